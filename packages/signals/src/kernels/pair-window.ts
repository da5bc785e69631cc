import { SeriesHistory } from './series-history';

/**
 * A rolling window over the pairs `(x, y)`: their co-moments, with pandas' `a.rolling(w).cov(b)`
 * / `.corr(b)` semantics (each series masked by the other's NaNs, `x + 0*y`; a value only when
 * the window holds `windowBars` complete pairs), and, for the rolling validation (`x` a signal,
 * `y` the next bar's return), the hit count (`(x > 0) == (y > 0)`, NaN compares false) and the
 * mean absolute change of `x` (its turnover; NaN-skipping, a value only when the window holds
 * `windowBars` changes). Beta reads the covariance, the validation the rest.
 *
 * The window sums of `dx = x - kx`, `dy = y - ky` (shifted by the first complete pair, so the
 * sums of squares do not cancel for series far from 0), of their products and of the changes
 * are updated by subtracting the leaving pair and adding the new one; every `windowBars` pairs
 * they are replaced by the exact sums of the window, accumulated in window order by a second
 * set of sums restarted at each such boundary (so rounding cannot drift, no window is re-read).
 *
 * The state holds `n` complete pairs in the window, the runs of identical masked values ending
 * at the newest complete pair (`sameX`, `sameY`, `prevX`, `prevY`), the pairs `left` to the next
 * boundary, the shifts `kx`, `ky`, the window sums (`s*`) and the sums since the boundary
 * (`b*`), and the validation's hits, count `tn` and sum `st` of changes, changes since the
 * boundary `bt`. {@link pairRun} is the one update (with {@link hitsRun} for a validation), run
 * over whole series by the batch passes and one pair at a time by the streaming
 * {@link PairWindow}.
 */
export function pairState(windowBars: number) {
  const w = windowBars;
  return {
    w,
    invW: 1 / w,
    invW1: 1 / (w - 1),
    ratio: w / (w - 1),
    n: 0,
    sameX: 0,
    sameY: 0,
    left: w,
    kx: NaN,
    ky: NaN,
    prevX: NaN,
    prevY: NaN,
    sx: 0,
    sy: 0,
    sxy: 0,
    sxx: 0,
    syy: 0,
    bx: 0,
    by: 0,
    bxy: 0,
    bxx: 0,
    byy: 0,
    hits: 0,
    tn: 0,
    st: 0,
    bt: 0,
  };
}

/** The running state of a pair window. */
export type PairState = ReturnType<typeof pairState>;

/** Where {@link pairRun} writes: Beta's covariance, or the validation's three metrics. */
export interface PairOutputs {
  /**
   * Without `hitRate`: the sample covariance `(Sxy - Sx*Sy/n) / (n - 1)` (Beta's). With it: the
   * Pearson correlation with pandas' arithmetic, `cov = (mean(xy) - mean(x)mean(y)) * n/(n-1)`
   * over the sample variances, NaN when either member is constant over the window (pandas
   * gives NaN for the constant-zero windows of a warming-up signal).
   */
  readonly first: Float64Array;
  /** The share of hits, `hits / w`; validation only. */
  readonly hitRate?: Float64Array;
  /** `ic / (1 + 100 * turnover)`, the spec's turnover-adjusted IC; validation only. */
  readonly adjusted?: Float64Array;
}

/** 1 when `(x > 0) == (y > 0)` (NaN compares false), else 0; without a branch. */
function hit(x: number, y: number): number {
  return +(x > 0) ^ +(y > 0) ^ 1;
}

/** The sample covariance `(Sxy - Sx*Sy/w) / (w - 1)` of a full window's sums (Beta's). */
function covarianceOf(sx: number, sy: number, sxy: number, invW: number, invW1: number): number {
  return (sxy - sx * sy * invW) * invW1;
}

/**
 * The Pearson correlation of a full window's sums with pandas' arithmetic: `cov = (mean(xy) -
 * mean(x)mean(y)) * w/(w-1)` over the sample variances.
 */
function correlationOf(
  sx: number,
  sy: number,
  sxy: number,
  sxx: number,
  syy: number,
  invW: number,
  invW1: number,
  ratio: number,
): number {
  const meanX = sx * invW;
  const meanY = sy * invW;
  const cov = (sxy * invW - meanX * meanY) * ratio;
  const varX = (sxx - sx * meanX) * invW1;
  const varY = (syy - sy * meanY) * invW1;
  return cov / Math.sqrt(varX * varY);
}

/** `ic / (1 + 100 * mean change)`; NaN until the window holds `w` changes (`tn`, sum `st`). */
function adjustedOf(ic: number, tn: number, st: number, w: number, invW: number): number {
  return ic / (1 + (tn >= w ? st * invW : NaN) * 100);
}

const NONE = new Float64Array(0);

/**
 * Advances `s` over the pairs `(x[i], y[i])`, `i` in `[from, to)` (local indices of series
 * whose index 0 is global index `base`; once the window is full the pair at `i - w` leaves it,
 * and for a validation `x[i - w - 1]` must be readable too), writing each value of `out` after
 * each pair at `i + shift` (NaN before the window holds `w` complete pairs, `w` pairs for the
 * hit rate, `w` changes for the turnover). The state lives in locals during the run.
 *
 * The run goes block by block, a block ending at the next boundary: its inner loop holds no
 * boundary test (a per-pair countdown costs more than the rest of the sums), and at a boundary
 * the exact sums replace the running ones and the boundary pair's outputs are written again
 * from them, so every value is the one a reset before that pair's outputs gives. A validation
 * then runs its hits and changes over the same pairs in a loop of their own ({@link hitsRun}).
 */
export function pairRun(
  s: PairState,
  x: Float64Array,
  y: Float64Array,
  from: number,
  to: number,
  base: number,
  out: PairOutputs,
  shift: number,
): void {
  const { w, invW, invW1, ratio } = s;
  const first = out.first;
  const validation = out.hitRate !== undefined;
  const leftAtStart = s.left;
  let { n, sameX, sameY, left, kx, ky, prevX, prevY, sx, sy, sxy, sxx, syy } = s;
  let { bx, by, bxy, bxx, byy } = s;
  for (let start = from; start < to;) {
    const end = Math.min(to, start + left);
    for (let i = start; i < end; i++) {
      const g = i + base;
      if (g >= w) {
        const xo = x[i - w] as number;
        const yo = y[i - w] as number;
        // pandas masks each series by the other's NaNs (and here by infinities: a pair counts
        // when both values are finite, which `x - x` tells in one subtraction each)
        if (xo - xo + (yo - yo) === 0) {
          const dx = xo - kx;
          const dy = yo - ky;
          n--;
          sx -= dx;
          sy -= dy;
          sxy -= dx * dy;
          sxx -= dx * dx;
          syy -= dy * dy;
        }
      }
      const xs = x[i] as number;
      const ys = y[i] as number;
      if (xs - xs + (ys - ys) === 0) {
        if (kx !== kx) {
          kx = xs;
          ky = ys;
        }
        const dx = xs - kx;
        const dy = ys - ky;
        n++;
        // each term goes to the window sum and to the sum since the boundary
        sx += dx;
        bx += dx;
        sy += dy;
        by += dy;
        const pxy = dx * dy;
        sxy += pxy;
        bxy += pxy;
        const pxx = dx * dx;
        sxx += pxx;
        bxx += pxx;
        const pyy = dy * dy;
        syy += pyy;
        byy += pyy;
        // restarts and increments without a branch (see momentsRun): signals hold their value
        // for runs of bars (TailRisk between changes of its tails, warm-up zeros), and the
        // mispredicted branches cost a tenth of a validation (500 of 5,849 bars: 42.7 -> 39.3 ms)
        sameX = sameX * +(xs === prevX) + 1;
        sameY = sameY * +(ys === prevY) + 1;
        prevX = xs;
        prevY = ys;
      }
      const o = i + shift;
      if (!validation) {
        first[o] = n < w ? NaN : covarianceOf(sx, sy, sxy, invW, invW1);
        continue;
      }
      first[o] =
        n >= w && sameX < n && sameY < n
          ? correlationOf(sx, sy, sxy, sxx, syy, invW, invW1, ratio)
          : NaN;
    }
    left -= end - start;
    start = end;
    if (left === 0) {
      left = w;
      sx = bx;
      sy = by;
      sxy = bxy;
      sxx = bxx;
      syy = byy;
      bx = by = bxy = bxx = byy = 0;
      const o = end - 1 + shift;
      first[o] = !validation
        ? n < w
          ? NaN
          : covarianceOf(sx, sy, sxy, invW, invW1)
        : n >= w && sameX < n && sameY < n
          ? correlationOf(sx, sy, sxy, sxx, syy, invW, invW1, ratio)
          : NaN;
    }
  }
  s.n = n;
  s.sameX = sameX;
  s.sameY = sameY;
  s.left = left;
  s.kx = kx;
  s.ky = ky;
  s.prevX = prevX;
  s.prevY = prevY;
  s.sx = sx;
  s.sy = sy;
  s.sxy = sxy;
  s.sxx = sxx;
  s.syy = syy;
  s.bx = bx;
  s.by = by;
  s.bxy = bxy;
  s.bxx = bxx;
  s.byy = byy;
  if (validation) hitsRun(s, x, y, from, to, base, out, shift, leftAtStart);
}

/**
 * The validation's part of {@link pairRun} over the same pairs, after it (it reads the ICs
 * pairRun wrote): the hits and the changes of `x`, into the hit rate and the adjusted IC. A loop
 * of its own: in the co-moments' loop its state did not fit the registers (500 validations of
 * 5,849 bars: 43.2 -> 40.7 ms).
 */
function hitsRun(
  s: PairState,
  x: Float64Array,
  y: Float64Array,
  from: number,
  to: number,
  base: number,
  out: PairOutputs,
  shift: number,
  leftAtStart: number,
): void {
  const { w, invW } = s;
  const first = out.first;
  const hitRate = out.hitRate ?? NONE;
  const adjusted = out.adjusted ?? NONE;
  let { hits, tn, st, bt } = s;
  let left = leftAtStart;
  // the values before the entering and the leaving ones, carried from bar to bar
  let beforeX = from + base > 0 ? (x[from - 1] as number) : NaN;
  let beforeLeaving = from + base > w ? (x[from - w - 1] as number) : NaN;
  for (let start = from; start < to;) {
    const end = Math.min(to, start + left);
    for (let i = start; i < end; i++) {
      const g = i + base;
      if (g >= w) {
        const xo = x[i - w] as number;
        const tj = Math.abs(xo - beforeLeaving);
        beforeLeaving = xo;
        if (tj === tj) {
          tn--;
          st -= tj;
        }
        hits -= hit(xo, y[i - w] as number);
      }
      const xs = x[i] as number;
      const ts = Math.abs(xs - beforeX);
      beforeX = xs;
      if (ts === ts) {
        tn++;
        st += ts;
        bt += ts;
      }
      hits += hit(xs, y[i] as number);
      const o = i + shift;
      hitRate[o] = g + 1 < w ? NaN : hits / w;
      adjusted[o] = adjustedOf(first[o] as number, tn, st, w, invW);
    }
    left -= end - start;
    start = end;
    if (left === 0) {
      left = w;
      st = bt;
      bt = 0;
      const o = end - 1 + shift;
      adjusted[o] = adjustedOf(first[o] as number, tn, st, w, invW);
    }
  }
  s.hits = hits;
  s.tn = tn;
  s.st = st;
  s.bt = bt;
}

/** Beta's covariance after each pair of `(x, y)`, into `cov`. */
export function covariancePass(x: Float64Array, y: Float64Array, w: number, cov: Float64Array) {
  pairRun(pairState(w), x, y, 0, x.length, 0, { first: cov }, 0);
}

/**
 * The rolling IC, hit rate and turnover-adjusted IC of `x` against the next bar's return,
 * `y[i] = returns[i + 1]` (NaN on the last bar), after each pair, without a shifted copy of the
 * returns: every pair but the last reads them through a view one bar on; the last pair, whose
 * return is unknown, reads its window's returns copied beside a NaN (at most `windowBars + 2`
 * values, into the work array `tail`).
 */
export function nextReturnValidationPass(
  x: Float64Array,
  returns: Float64Array,
  w: number,
  ic: Float64Array,
  hitRate: Float64Array,
  adjusted: Float64Array,
  tail: Float64Array,
): void {
  const n = x.length;
  if (n === 0) return;
  const out = { first: ic, hitRate, adjusted };
  const s = pairState(w);
  // the last pair reads the values from `n - w - 2` on (its leaving pair's change needs the
  // value before it); a shorter series copies all of its returns
  const from = Math.max(0, n - w - 2);
  const span = n - from;
  pairRun(s, x, returns.subarray(1), 0, n - 1, 0, out, 0);
  const y = tail.subarray(0, span);
  y.set(returns.subarray(from + 1));
  y[span - 1] = NaN;
  pairRun(s, x.subarray(from), y, span - 1, span, from, out, from);
}

/** A streaming pair window: `push` one pair at a time, then read the window. */
export class PairWindow {
  private readonly s: PairState;
  private readonly history: SeriesHistory;
  private readonly latest = new Float64Array(3);
  private readonly out: PairOutputs;

  /**
   * @param windowBars window length (an integer >= 2, checked by the callers).
   * @param validation also track the hits and the turnover of `x`.
   */
  constructor(windowBars: number, validation: boolean) {
    this.s = pairState(windowBars);
    // the leaving pair's change needs the value before it: one bar more than the window
    this.history = new SeriesHistory(windowBars + 1, true);
    const l = this.latest;
    const first = l.subarray(0, 1);
    this.out = validation
      ? { first, hitRate: l.subarray(1, 2), adjusted: l.subarray(2, 3) }
      : { first };
  }

  /** Adds the newest pair; the oldest one leaves once the window is full. */
  push(x: number, y: number): void {
    const h = this.history;
    const i = h.appendPair(x, y);
    pairRun(this.s, h.x, h.y, i, i + 1, h.base, this.out, -i);
  }

  /** The covariance (or, for a validation window, the IC) after the newest pair. */
  get first(): number {
    return this.latest[0] as number;
  }

  /** The hit rate after the newest pair (validation windows). */
  get hitRate(): number {
    return this.latest[1] as number;
  }

  /** The turnover-adjusted IC after the newest pair (validation windows). */
  get adjusted(): number {
    return this.latest[2] as number;
  }
}
