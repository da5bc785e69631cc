/**
 * The fixed rule of the engine benchmark, as the peers run it: hold a symbol while its 20-bar
 * simple moving average of closes is above its 60-bar one (both from bars <= t), sized to an
 * equal share of 90 % of equity. `inMarket[t]` is 1 where the rule holds at bar t.
 */
export const FAST_BARS = 20;
export const SLOW_BARS = 60;
/** Fraction of equity invested across the universe. */
export const INVESTED = 0.9;

/**
 * The rule over one series, bar by bar: running sums of the last FAST_BARS and SLOW_BARS
 * closes, advanced to any later bar (state kept between calls, nothing allocated).
 */
export class SmaRuleState {
  private fast = 0;
  private slow = 0;
  /** Bars consumed. */
  private next = 0;
  private holds = false;

  /** Consumes bars up to `end` (exclusive) of `close`; whether the rule holds at bar end − 1. */
  advanceTo(close: Float64Array, end: number): boolean {
    for (let t = this.next; t < end; t++) {
      const c = close[t] as number;
      this.fast += c;
      this.slow += c;
      if (t >= FAST_BARS) this.fast -= close[t - FAST_BARS] as number;
      if (t >= SLOW_BARS) this.slow -= close[t - SLOW_BARS] as number;
      this.holds = t >= SLOW_BARS - 1 && this.fast / FAST_BARS > this.slow / SLOW_BARS;
    }
    if (end > this.next) this.next = end;
    return this.holds;
  }
}

/** 1 at each bar where SMA(fast) > SMA(slow) of `close`, else 0 (0 during the warm-up). */
export function smaRule(close: Float64Array): Uint8Array {
  const n = close.length;
  const out = new Uint8Array(n);
  const state = new SmaRuleState();
  for (let t = 0; t < n; t++) out[t] = state.advanceTo(close, t + 1) ? 1 : 0;
  return out;
}

/** The rule's target: `trunc(equity × weight / close)` shares while in the market, else 0. */
export function ruleTargetShares(
  inMarket: boolean,
  equityUsd: number,
  weight: number,
  closeUsd: number,
): number {
  return inMarket ? Math.trunc((equityUsd * weight) / closeUsd) || 0 : 0;
}
