import { slippageBps, tradeCostUsd } from '@quantpipe/risk';
import { commissionOf, type CommissionModel } from '../sim-account';

/** One trade's estimated cost, written by {@link tradeCostInto} (reused; allocation-free). */
export interface TradeCost {
  /** The square-root model's slippage (spec 6.3), bps of the notional. */
  slippageBps: number;
  /** `|delta| × price × slippageBps / 10 000`, USD. */
  slippageUsd: number;
  /** The venue's commission on the trade's orders (a flip sends two), USD. */
  commissionUsd: number;
  /** `slippageUsd + commissionUsd`, USD. */
  costUsd: number;
}

/** A zeroed {@link TradeCost}. */
export function newTradeCost(): TradeCost {
  return { slippageBps: 0, slippageUsd: 0, commissionUsd: 0, costUsd: 0 };
}

/**
 * The estimated cost of trading from `currentShares` to `targetShares` at `priceUsd`: the
 * spec's slippage (6.3) on the whole delta plus the venue's commission on each order the trade
 * sends — one, or two for a flip (its close and its open), each charged at least the venue's
 * minimum. Under IBKR's fixed pricing a 1-share order of a $140 stock costs $1.00 of
 * commission (the minimum, under the 1 % cap), not the $0.005 a share it is quoted at: the
 * slippage alone would estimate it at $0.07.
 */
export function tradeCostInto(
  out: TradeCost,
  targetShares: number,
  currentShares: number,
  priceUsd: number,
  adv: number,
  volatility: number,
  commission: CommissionModel,
): void {
  const delta = targetShares - currentShares;
  const bps = slippageBps(delta, adv, volatility);
  const slippageUsd = tradeCostUsd(Math.abs(delta) * priceUsd, bps);
  const flip = (currentShares < 0 && targetShares > 0) || (currentShares > 0 && targetShares < 0);
  const commissionUsd = flip
    ? commissionOf(commission, Math.abs(currentShares), priceUsd) +
      commissionOf(commission, Math.abs(targetShares), priceUsd)
    : delta === 0
      ? 0
      : commissionOf(commission, Math.abs(delta), priceUsd);
  out.slippageBps = bps;
  out.slippageUsd = slippageUsd;
  out.commissionUsd = commissionUsd;
  out.costUsd = slippageUsd + commissionUsd;
}
