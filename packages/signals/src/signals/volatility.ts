import { annualizedVolatility } from '../kernels/annualized-volatility';
import { SQRT_252_VALUE } from '../kernels/constants';
import { SeriesMoments } from '../kernels/series-moments';
import { ShiftedMoments, zsqrt } from '../kernels/shifted-moments';
import { assertWindow } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { signalOfReturns, type SignalOfInputs } from './signal-inputs';
import { settleInto, Warmup, warmupFill, type WarmupMode } from './warmup';

/** sqrt(252): daily to annual volatility. */
export const SQRT_252 = SQRT_252_VALUE;

/** Days in the volatility z-score's mean and std window (fixed in the spec). */
const ZSCORE_WINDOW = 252;

/**
 * The Volatility signal at one bar (NaN where the spec's value is NaN, before `fillna`):
 * `-z * (1 + vov)` with `z = (rv - mean_252(rv)) / (std_252(rv) + 1e-8)` and `vov = std_w(rv)`,
 * from the realized volatility `rv` and the variances of its windows.
 */
export function volatilityValue(
  realizedVol: number,
  volMean: number,
  volVariance: number,
  volOfVolVariance: number,
): number {
  const zscore = (realizedVol - volMean) / (zsqrt(volVariance) + 1e-8);
  return -zscore * (1 + zsqrt(volOfVolVariance));
}

/**
 * Bars before the Volatility signal's first value on gap-free closes (its returns start at the
 * second bar): `max(2w - 1, w + 251)` for window `w` (271 for the spec's 20).
 */
export function volatilityWarmupBars(opts?: DailySignalConfig): number {
  const w = resolveDailySignalConfig(opts, 'opts').volatilityWindow;
  return Math.max(2 * w - 1, w + ZSCORE_WINDOW - 1);
}

/**
 * Online state of the Volatility signal (spec 3.2): one `step` per daily return. Its windows
 * run the same passes as {@link volatilitySignal}, so both give identical bits.
 */
export class VolatilityState {
  private readonly returnsVar: ShiftedMoments;
  private readonly volOfVol: ShiftedMoments;
  private readonly volStats: ShiftedMoments;
  private readonly warmup: Warmup;

  /**
   * @param volatilityWindow realized-vol window in bars (integer in [2, MAX_WINDOW_BARS]).
   * @param warmup how the bars before the first value are reported (default `'zero'`).
   */
  constructor(volatilityWindow: number, warmup: WarmupMode = 'zero') {
    assertWindow('volatilityWindow', volatilityWindow);
    this.returnsVar = new ShiftedMoments(volatilityWindow);
    this.volOfVol = new ShiftedMoments(volatilityWindow);
    this.volStats = new ShiftedMoments(ZSCORE_WINDOW);
    this.warmup = new Warmup(warmup);
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.warmup.isReady;
  }

  /** Feeds the next return; returns the signal at that bar (0 where the spec's fillna(0) is). */
  step(ret: number): number {
    this.returnsVar.push(ret);
    const realizedVol = annualizedVolatility(this.returnsVar.variance());
    this.volOfVol.push(realizedVol);
    this.volStats.push(realizedVol);
    const { volStats } = this;
    const raw = volatilityValue(
      realizedVol,
      volStats.mean(),
      volStats.variance(),
      this.volOfVol.variance(),
    );
    return this.warmup.settle(raw);
  }
}

/** Batch Volatility on trusted inputs; the passes of {@link VolatilityState}. */
export const volatilityFromReturns: SignalOfInputs = (
  { returns },
  { volatilityWindow, warmup },
  into,
) => {
  const n = returns.x.length;
  const realizedVol = returns.volatility(volatilityWindow);
  const vol = new SeriesMoments(realizedVol, 'volatility');
  const volOfVol = vol.of(volatilityWindow).variance;
  const { mean, variance } = vol.of(ZSCORE_WINDOW);
  const out = into ?? new Float64Array(n);
  let fill = warmupFill(warmup);
  for (let i = 0; i < n; i++) {
    const rv = realizedVol[i] as number;
    const raw = volatilityValue(
      rv,
      mean[i] as number,
      variance[i] as number,
      volOfVol[i] as number,
    );
    fill = settleInto(out, i, raw, fill);
  }
  return out;
};

/**
 * Volatility signal (spec 3.2, mean reversion on realized volatility):
 * `rv = std_w(r)*sqrt(252)`, `vov = std_w(rv)`, `z = (rv - mean_252(rv)) / (std_252(rv) + 1e-8)`,
 * `signal = -z * (1 + vov)`, then `fillna(0)` (or NaN during the warm-up with `warmup: 'nan'`).
 *
 * @param returns daily simple returns (NaN allowed: it propagates, then becomes 0).
 * @param opts `volatility_window` (default 20), `warmup`.
 * @returns the signal aligned with `returns`.
 */
export const volatilitySignal = signalOfReturns(volatilityFromReturns);
