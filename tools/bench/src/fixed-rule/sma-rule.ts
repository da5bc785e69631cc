/**
 * The fixed rule of the engine benchmark, as the peers run it: hold a symbol while its 20-bar
 * simple moving average of closes is above its 60-bar one (both from bars <= t), sized to an
 * equal share of 90 % of equity. `inMarket[t]` is 1 where the rule holds at bar t.
 */
export const FAST_BARS = 20;
export const SLOW_BARS = 60;
/** Fraction of equity invested across the universe. */
export const INVESTED = 0.9;

/** 1 at each bar where SMA(fast) > SMA(slow) of `close`, else 0 (0 during the warm-up). */
export function smaRule(close: Float64Array): Uint8Array {
  const n = close.length;
  const out = new Uint8Array(n);
  let fast = 0;
  let slow = 0;
  for (let t = 0; t < n; t++) {
    const c = close[t] as number;
    fast += c;
    slow += c;
    if (t >= FAST_BARS) fast -= close[t - FAST_BARS] as number;
    if (t >= SLOW_BARS) slow -= close[t - SLOW_BARS] as number;
    if (t >= SLOW_BARS - 1 && fast / FAST_BARS > slow / SLOW_BARS) out[t] = 1;
  }
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
