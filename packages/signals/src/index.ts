/**
 * @packageDocumentation
 * Alpha signals (volatility, momentum, tail risk, beta, carry), hourly signals, rolling
 * validation and health scores: batch and streaming, reproducing the spec's pandas code.
 *
 * The danfojs interop lives in the separate entry `@quantpipe/signals/danfo`; this entry never
 * loads danfojs.
 */

// Rolling primitives (pandas semantics: min_periods = window, ddof 1, linear quantile).
export { pctChange } from './kernels/pct-change';
export { rollingSum, rollingMean, rollingVar, rollingStd } from './kernels/rolling-moments';
export { rollingQuantile, assertQuantile } from './kernels/rolling-quantile';
export { rollingMin, rollingMax } from './kernels/rolling-extreme';
export { rollingCov, rollingCorr } from './kernels/rolling-cov';
export { expit } from './kernels/expit';
export { diff, shift, fillNaN } from './kernels/series-ops';

// Online windows (they run the passes of the batch primitives one value at a time).
export { RollingSumWindow } from './online/rolling-sum-window';
export { RollingVarWindow } from './online/rolling-var-window';
export { RollingQuantileWindow } from './online/rolling-quantile-window';
export { RollingCovWindow } from './online/rolling-cov-window';

// Daily and hourly signals.
export {
  DEFAULT_DAILY_SIGNAL_CONFIG,
  resolveDailySignalConfig,
  type DailySignalConfig,
  type ResolvedDailySignalConfig,
} from './signals/config';
export type { WarmupMode } from './signals/warmup';
export {
  volatilitySignal,
  volatilityWarmupBars,
  VolatilityState,
  SQRT_252,
} from './signals/volatility';
export { momentumSignal, momentumWarmupBars, MomentumState } from './signals/momentum';
export { tailRiskSignal, tailRiskWarmupBars, TailRiskState } from './signals/tail-risk';
export { betaSignal, betaWarmupBars, BetaState, MARKET_FALLBACK_BETA } from './signals/beta';
export { carrySignal, carryWarmupBars, CarryState, carrySeasonality } from './signals/carry';
export {
  computeDailySignals,
  dailySignalWarmupBars,
  DAILY_SIGNAL_NAMES,
  type DailySignalName,
  type DailySignals,
  type DailySignalsInput,
} from './signals/daily';
export { dailySignalsFromBars, type DailyBarsInput } from './signals/daily-from-bars';
export { hourlySignal, type HourlySignalInput } from './signals/hourly';
export { alignMarketReturns, type MarketSeries } from './signals/market-returns';

// Validation and health.
export {
  rollingValidation,
  ValidationState,
  type RollingValidation,
  type RollingValidationOptions,
  type ValidationPoint,
} from './validation/rolling-validation';
export {
  healthScore,
  healthScoreValue,
  type HealthScore,
  type HealthScoreInput,
  type HealthScoreOptions,
} from './validation/health-score';

// Input checks and date helpers.
export { isoDayOfYear, MAX_WINDOW_BARS } from './validate';

// Streaming (one update per new bar; values equal the batch values bit for bit).
export {
  DailyBarFeed,
  type DailyBar,
  type DailyStreamOptions,
  type CheckedBar,
} from './streaming/daily-bar';
export {
  VolatilityStream,
  MomentumStream,
  TailRiskStream,
  BetaStream,
  CarryStream,
  DailySignalsStream,
  type DailySignalValues,
  type StreamOptions,
} from './streaming/signal-streams';
export {
  ValidationStream,
  type ValidationBar,
  type IndexedValidationPoint,
} from './streaming/validation-stream';

// Give every kernel type feedback on all its paths at load time (see primeKernels).
import { primeKernels } from './prime';
primeKernels();
