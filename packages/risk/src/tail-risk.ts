import { ValidationError, assertArrayLike } from '@quantpipe/core';
import { quantileLinear } from './return-statistics';

function checkLevel(confidenceLevel: number): void {
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new ValidationError(
      'confidenceLevel',
      `expected a number in (0, 1), got ${String(confidenceLevel)}`,
    );
  }
}

function checkReturns(returns: readonly number[]): void {
  assertArrayLike('returns', returns);
  if (returns.length === 0) throw new ValidationError('returns', 'expected at least one return');
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (typeof r !== 'number' || !Number.isFinite(r)) {
      throw new ValidationError(`returns[${i}]`, `expected a finite number, got ${String(r)}`);
    }
  }
}

/**
 * Historical Value at Risk, **reported as a loss (positive = losing)**:
 *
 *     VaR_c = -quantile(returns, 1 - c)     (linear interpolation, as pandas/numpy)
 *
 * With c = 0.95 (default) a VaR of 0.021 means: on 5 % of periods the return was -2.1 % or worse.
 * A negative VaR means even the 5 % quantile is a gain.
 */
export function valueAtRisk(returns: readonly number[], confidenceLevel = 0.95): number {
  checkLevel(confidenceLevel);
  checkReturns(returns);
  // 0 - q rather than -q, so a zero quantile reports 0, not -0.
  return 0 - quantileLinear(returns, 1 - confidenceLevel);
}

/**
 * Historical Conditional VaR (expected shortfall), **reported as a loss (positive = losing)**:
 *
 *     CVaR_c = -mean(r_t : r_t <= quantile(returns, 1 - c))
 *
 * the average of the returns at or below the VaR quantile (always >= VaR). Note the spec's
 * TailRisk signal calls the plain 5 % quantile "expected_shortfall"; this is the real one.
 */
export function conditionalValueAtRisk(returns: readonly number[], confidenceLevel = 0.95): number {
  checkLevel(confidenceLevel);
  checkReturns(returns);
  const q = quantileLinear(returns, 1 - confidenceLevel);
  let sum = 0;
  let count = 0;
  for (const r of returns) {
    if (r <= q) {
      sum += r;
      count++;
    }
  }
  // count >= 1: the smallest return is always <= the interpolated quantile.
  return 0 - sum / count;
}
