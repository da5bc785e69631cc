import { SeriesHistory } from './series-history';
import { countShares } from './work-arrays';

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
 * boundary `bt`. {@link pairStep} is the one update, run over whole series by the batch passes
 * and one pair at a time by the streaming windows.
 */
export function pairState(windowBars: number, validation: boolean) {
  const w = windowBars;
  return {
    w,
    validation,
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

/** Takes the pair `(xo, yo)` out of the window's sums (if complete). */
function pairRemove(s: PairState, xo: number, yo: number): void {
  const ox = xo + 0 * yo;
  const oy = yo + 0 * xo;
  if (ox + oy === ox + oy) {
    const dx = ox - s.kx;
    const dy = oy - s.ky;
    s.n--;
    s.sx -= dx;
    s.sy -= dy;
    s.sxy -= dx * dy;
    s.sxx -= dx * dx;
    s.syy -= dy * dy;
  }
}

/** Adds the pair `(xs, ys)` to the window's sums (if complete; the first one sets the shifts). */
function pairAdd(s: PairState, xs: number, ys: number): void {
  // pandas masks each series by the other's NaNs
  const mx = xs + 0 * ys;
  const my = ys + 0 * xs;
  if (mx + my === mx + my) {
    if (s.kx !== s.kx) {
      s.kx = mx;
      s.ky = my;
    }
    const dx = mx - s.kx;
    const dy = my - s.ky;
    const pxy = dx * dy;
    const pxx = dx * dx;
    const pyy = dy * dy;
    s.n++;
    s.sx += dx;
    s.sy += dy;
    s.sxy += pxy;
    s.sxx += pxx;
    s.syy += pyy;
    s.bx += dx;
    s.by += dy;
    s.bxy += pxy;
    s.bxx += pxx;
    s.byy += pyy;
    s.sameX = mx === s.prevX ? s.sameX + 1 : 1;
    s.sameY = my === s.prevY ? s.sameY + 1 : 1;
    s.prevX = mx;
    s.prevY = my;
  }
}

/** 1 when `(x > 0) == (y > 0)` (NaN compares false), else 0; without a branch. */
function hit(x: number, y: number): number {
  return +(x > 0) ^ +(y > 0) ^ 1;
}

/** The validation's part of a step: the hits and the changes of `x` entering and leaving. */
function turnoverStep(s: PairState, x: Float64Array, y: Float64Array, i: number, g: number): void {
  if (g >= s.w) {
    const j = i - s.w;
    const xo = x[j] as number;
    const tj = Math.abs(xo - (g > s.w ? (x[j - 1] as number) : NaN));
    if (tj === tj) {
      s.tn--;
      s.st -= tj;
    }
    s.hits -= hit(xo, y[j] as number);
  }
  const xs = x[i] as number;
  const ts = Math.abs(xs - (g > 0 ? (x[i - 1] as number) : NaN));
  if (ts === ts) {
    s.tn++;
    s.st += ts;
    s.bt += ts;
  }
  s.hits += hit(xs, y[i] as number);
}

/**
 * Advances `s` by the pair `(x[i], y[i])` (global index `g`); once the window is full the pair
 * at `i - w` leaves it (for a validation window `x[i - w - 1]` must be readable too).
 */
export function pairStep(s: PairState, x: Float64Array, y: Float64Array, i: number, g: number) {
  const w = s.w;
  if (g >= w) pairRemove(s, x[i - w] as number, y[i - w] as number);
  pairAdd(s, x[i] as number, y[i] as number);
  if (s.validation) turnoverStep(s, x, y, i, g);
  if (--s.left === 0) {
    s.left = w;
    s.sx = s.bx;
    s.sy = s.by;
    s.sxy = s.bxy;
    s.sxx = s.bxx;
    s.syy = s.byy;
    s.st = s.bt;
    s.bx = s.by = s.bxy = s.bxx = s.byy = s.bt = 0;
  }
}

/** Sample covariance `(Sxy - Sx*Sy/n) / (n - 1)` (Beta's), or NaN before `w` complete pairs. */
export function pairCov(s: PairState): number {
  return s.n < s.w ? NaN : (s.sxy - s.sx * s.sy * s.invW) * s.invW1;
}

/**
 * Pearson correlation with pandas' arithmetic, `cov = (mean(xy) - mean(x)mean(y)) * n/(n-1)`
 * over the sample variances; NaN before `w` complete pairs and when either member is constant
 * over the window (pandas gives NaN for the constant-zero windows of a warming-up signal).
 */
export function pairCorr(s: PairState): number {
  const n = s.n;
  if (n < s.w || s.sameX >= n || s.sameY >= n) return NaN;
  const invW = s.invW;
  const meanX = s.sx * invW;
  const meanY = s.sy * invW;
  const cov = (s.sxy * invW - meanX * meanY) * s.ratio;
  const varX = (s.sxx - s.sx * meanX) * s.invW1;
  const varY = (s.syy - s.sy * meanY) * s.invW1;
  return cov / Math.sqrt(varX * varY);
}

/** Mean absolute change of `x` over the window, or NaN before `w` changes. */
export function pairTurnover(s: PairState): number {
  return s.tn >= s.w ? s.st * s.invW : NaN;
}

/** `ic / (1 + 100 * turnover)`: the spec's turnover-adjusted IC. */
export function turnoverAdjustedIc(ic: number, turnover: number): number {
  return ic / (1 + turnover * 100);
}

/**
 * Share of hits in the window after `steps` pairs, or NaN before `w`: `hits / w` from the
 * table `shares = countShares(w)` (one division per possible count, not per bar).
 */
export function pairHitRate(s: PairState, steps: number, shares: Float64Array): number {
  return steps < s.w ? NaN : (shares[s.hits] as number);
}

/** The hit-rate table of a window that never fills. */
const NO_SHARES = new Float64Array(0);

/** Beta's covariance after each pair of `(x, y)`, into `cov`. */
export function covariancePass(x: Float64Array, y: Float64Array, w: number, cov: Float64Array) {
  const s = pairState(w, false);
  for (let i = 0; i < x.length; i++) {
    pairStep(s, x, y, i, i);
    cov[i] = pairCov(s);
  }
}

/** The rolling IC, hit rate and turnover-adjusted IC after each pair of `(x, y)`. */
export function validationPass(
  x: Float64Array,
  y: Float64Array,
  w: number,
  ic: Float64Array,
  hitRate: Float64Array,
  adjusted: Float64Array,
): void {
  const s = pairState(w, true);
  // the table is built only once a window fills: a long window over a short series costs nothing
  const shares = x.length >= w ? countShares(w) : NO_SHARES;
  for (let i = 0; i < x.length; i++) {
    pairStep(s, x, y, i, i);
    const corr = pairCorr(s);
    ic[i] = corr;
    hitRate[i] = pairHitRate(s, i + 1, shares);
    adjusted[i] = turnoverAdjustedIc(corr, pairTurnover(s));
  }
}

/** A streaming pair window: `push` one pair at a time, then read the window. */
export class PairWindow {
  private readonly s: PairState;
  private readonly history: SeriesHistory;
  private steps = 0;
  private shares: Float64Array = NO_SHARES;

  /**
   * @param windowBars window length (an integer >= 2, checked by the callers).
   * @param validation also track the hits and the turnover of `x`.
   */
  constructor(windowBars: number, validation: boolean) {
    this.s = pairState(windowBars, validation);
    // the leaving pair's change needs the value before it: one bar more than the window
    this.history = new SeriesHistory(windowBars + 1, true);
  }

  /** Adds the newest pair; the oldest one leaves once the window is full. */
  push(x: number, y: number): void {
    const h = this.history;
    const i = h.appendPair(x, y);
    pairStep(this.s, h.x, h.y, i, i + h.base);
    this.steps++;
  }

  /** {@link pairCov} of the window. */
  cov(): number {
    return pairCov(this.s);
  }

  /** {@link pairCorr} of the window. */
  corr(): number {
    return pairCorr(this.s);
  }

  /** {@link pairHitRate} of the window. */
  hitRate(): number {
    if (this.shares.length === 0 && this.steps >= this.s.w) this.shares = countShares(this.s.w);
    return pairHitRate(this.s, this.steps, this.shares);
  }

  /** {@link pairTurnover} of the window. */
  turnover(): number {
    return pairTurnover(this.s);
  }
}
