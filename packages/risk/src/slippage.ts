import { ValidationError } from '@quantpipe/core';

/** Input of {@link estimateSlippageBps}. */
export interface SlippageInput {
  /** Signed share count of the trade (the sign is ignored). */
  readonly shares: number;
  /** Average daily volume in shares (the spec uses the mean volume of the last 20 daily bars). */
  readonly adv: number;
  /** Annualised volatility as a fraction (0.20 = 20 %). */
  readonly volatility: number;
}

/** Half of the assumed 10 bps large-cap spread (spec 6.3: `base_spread_bps / 2`). */
export const HALF_SPREAD_BPS = 5;
/** Ceiling of the estimate, and the estimate when ADV is 0 (1 %). */
export const MAX_SLIPPAGE_BPS = 100;
/** Impact coefficient in bps per sqrt(participation) at the reference volatility. */
export const IMPACT_COEFFICIENT_BPS = 10;
/** Volatility at which the impact coefficient applies (20 % a year). */
export const REFERENCE_VOLATILITY = 0.2;

/**
 * The spec's square-root market-impact model (6.3), in basis points of the traded notional:
 *
 *     adv == 0:  100
 *     else:      min(10/2 + (10 * sqrt(|shares| / adv)) * (volatility / 0.20), 100)
 *
 * evaluated in the seed's floating-point order, so it matches the reference to the last bit.
 * Throws a {@link ValidationError} for non-finite input, a negative ADV or a negative volatility.
 */
export function estimateSlippageBps(input: SlippageInput): number {
  if (input === null || typeof input !== 'object')
    throw new ValidationError('input', 'expected { shares, adv, volatility }');
  return slippageBps(input.shares, input.adv, input.volatility);
}

/** {@link estimateSlippageBps} with positional arguments (for loops that price every order). */
export function slippageBps(shares: number, adv: number, volatility: number): number {
  if (typeof shares !== 'number' || !Number.isFinite(shares)) {
    throw new ValidationError('shares', `expected a finite number, got ${String(shares)}`);
  }
  if (typeof adv !== 'number' || !Number.isFinite(adv) || adv < 0) {
    throw new ValidationError('adv', `expected a finite number >= 0, got ${String(adv)}`);
  }
  if (typeof volatility !== 'number' || !Number.isFinite(volatility) || volatility < 0) {
    throw new ValidationError(
      'volatility',
      `expected a finite number >= 0, got ${String(volatility)}`,
    );
  }
  if (adv === 0) return MAX_SLIPPAGE_BPS;
  const participation = Math.abs(shares) / adv;
  const impactBps =
    IMPACT_COEFFICIENT_BPS * Math.sqrt(participation) * (volatility / REFERENCE_VOLATILITY);
  return Math.min(HALF_SPREAD_BPS + impactBps, MAX_SLIPPAGE_BPS);
}
