import { RollingMomentsWindow } from '../online/rolling-moments-window';
import { SQRT_252_VALUE } from '../kernels/constants';
import { volatilityKernel } from '../kernels/signal-kernels';
import { asFloat64, assertArrayLike } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';

/** sqrt(252): daily to annual volatility. */
export const SQRT_252 = SQRT_252_VALUE;

/** Days in the volatility z-score's mean and std window (fixed in the spec). */
const ZSCORE_WINDOW = 252;

/**
 * Online state of the Volatility signal (spec 3.2): one `step` per daily return. Shared by
 * {@link volatilitySignal} and the streaming class, so both give identical bits.
 */
export class VolatilityState {
  private readonly returnsVar: RollingMomentsWindow;
  private readonly volOfVol: RollingMomentsWindow;
  private readonly volVar: RollingMomentsWindow;

  /** @param volatilityWindow realized-vol window in bars (validated by the caller). */
  constructor(volatilityWindow: number) {
    this.returnsVar = new RollingMomentsWindow(volatilityWindow);
    this.volOfVol = new RollingMomentsWindow(volatilityWindow);
    this.volVar = new RollingMomentsWindow(ZSCORE_WINDOW);
  }

  /** Feeds the next return; returns the signal at that bar (0 where the spec's fillna(0) is). */
  step(ret: number): number {
    this.returnsVar.push(ret);
    const realizedVol = this.returnsVar.std() * SQRT_252;
    this.volOfVol.push(realizedVol);
    this.volVar.push(realizedVol);
    const zscore = (realizedVol - this.volVar.mean()) / (this.volVar.std() + 1e-8);
    const signal = -zscore * (1 + this.volOfVol.std());
    return signal === signal ? signal : 0;
  }
}

/**
 * Volatility signal (spec 3.2, mean reversion on realized volatility):
 * `rv = std_w(r)*sqrt(252)`, `vov = std_w(rv)`, `z = (rv - mean_252(rv)) / (std_252(rv) + 1e-8)`,
 * `signal = -z * (1 + vov)`, then `fillna(0)`.
 *
 * @param returns daily simple returns (NaN allowed: it propagates, then becomes 0).
 * @param opts `volatility_window` (default 20).
 * @returns the signal aligned with `returns`.
 */
export function volatilitySignal(
  returns: ArrayLike<number>,
  opts?: DailySignalConfig,
): Float64Array {
  assertArrayLike('returns', returns);
  const { volatilityWindow } = resolveDailySignalConfig(opts, 'opts');
  const r = asFloat64(returns);
  return volatilityKernel(r, volatilityWindow, new Float64Array(r.length));
}
