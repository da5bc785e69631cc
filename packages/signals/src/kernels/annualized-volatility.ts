import { SQRT_252_VALUE } from './constants';
import { zsqrt } from './shifted-moments';

/** Annualised volatility `std * sqrt(252)` from a daily variance. */
export function annualizedVolatility(variance: number): number {
  return zsqrt(variance) * SQRT_252_VALUE;
}
