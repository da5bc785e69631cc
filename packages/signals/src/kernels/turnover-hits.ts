import type { Outputs } from './online-window';
import type { PairSeries } from './series-history';

/** The outputs of {@link turnoverHitsPass}. */
export type TurnoverOutput = 'hitRate' | 'turnover';

/**
 * The rolling validation's other two windows over the pairs `(signal[s], next[s])`: the hit
 * count (`(signal > 0) == (next > 0)`, NaN compares false) and the mean absolute change of the
 * signal, `|signal[s] - signal[s-1]|` (the turnover; NaN-skipping, a result only when the window
 * holds `windowBars` of them). The turnover sum is updated by subtracting the leaving change and
 * adding the new one, and replaced every `windowBars` pairs by the exact sum of the window,
 * accumulated in window order since the previous such boundary.
 *
 * The fields are the running state of {@link turnoverHitsPass}: the pairs seen (`steps`), the
 * `hits` in the window, the non-NaN changes `tn` and their sum `st`, the sum `bt` since the last
 * exact boundary and the pairs `left` to the next one.
 */
export class TurnoverHits {
  /** Window length in bars. */
  readonly windowBars: number;
  steps = 0;
  hits = 0;
  tn = 0;
  st = 0;
  bt = 0;
  left: number;
  private table: Float64Array | undefined;

  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.left = windowBars;
  }

  /**
   * `hitTable()[c] = c / windowBars` for every possible count (one division per count, not
   * per bar). Built the first time a window fills, so a long window costs nothing before.
   */
  hitTable(): Float64Array {
    if (this.table === undefined) {
      const w = this.windowBars;
      this.table = new Float64Array(w + 1);
      for (let c = 0; c <= w; c++) this.table[c] = c / w;
    }
    return this.table;
  }
}

/** 1 when `(signal > 0) == (next > 0)` (NaN compares false), else 0; without a branch. */
function hit(signal: number, next: number): number {
  return +(signal > 0) ^ +(next > 0) ^ 1;
}

/** `ic / (1 + 100 * turnover)`: the spec's turnover-adjusted IC. */
export function turnoverAdjustedIc(ic: number, turnover: number): number {
  return ic / (1 + turnover * 100);
}

/**
 * Advances `acc` over the pairs `(series.x[i], series.y[i])`, `i` in `[from, to)` (local
 * indices; `x[i - windowBars - 1]` must be readable once `i + series.base > windowBars`),
 * writing the hit rate (NaN before `windowBars` pairs) and the turnover after each pair to
 * `out.*[i - from]` where an output is given.
 */
export function turnoverHitsPass(
  acc: TurnoverHits,
  series: PairSeries,
  from: number,
  to: number,
  out: Partial<Outputs<TurnoverOutput>>,
): void {
  const w = acc.windowBars;
  const invW = 1 / w;
  const { x, y, base } = series;
  const { hitRate: outHitRate, turnover: outTurnover } = out;
  const full = w - base;
  // local index of the first pair ever (it has no previous signal)
  const first = -base;
  const table = to + base >= w ? acc.hitTable() : undefined;
  let { hits, tn, st, bt, left } = acc;
  for (let i = from; i < to; i++) {
    const xs = x[i] as number;
    const ts = Math.abs(xs - (i > first ? (x[i - 1] as number) : NaN));
    if (i >= full) {
      const j = i - w;
      const xo = x[j] as number;
      const tj = Math.abs(xo - (j > first ? (x[j - 1] as number) : NaN));
      if (tj === tj) {
        tn--;
        st -= tj;
      }
      hits -= hit(xo, y[j] as number);
    }
    if (ts === ts) {
      tn++;
      st += ts;
      bt += ts;
    }
    if (--left === 0) {
      left = w;
      st = bt;
      bt = 0;
    }
    hits += hit(xs, y[i] as number);
    const o = i - from;
    if (outHitRate !== undefined) {
      outHitRate[o] = i + 1 < full ? NaN : ((table as Float64Array)[hits] as number);
    }
    if (outTurnover !== undefined) outTurnover[o] = tn >= w ? st * invW : NaN;
  }
  ({
    hits: acc.hits,
    tn: acc.tn,
    st: acc.st,
    bt: acc.bt,
    left: acc.left,
  } = { hits, tn, st, bt, left });
  acc.steps = to + base;
}
