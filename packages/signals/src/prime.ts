import { covariancePass } from './kernels/pair-window';
import { pandasPass } from './kernels/pandas-window';
import { momentsPass } from './kernels/shifted-moments';
import { sortedPass } from './kernels/sorted-window';
import { tailPass } from './kernels/tail-quantiles';
import { RollingCovWindow } from './online/rolling-cov-window';
import { RollingQuantileWindow } from './online/rolling-quantile-window';
import { computeDailySignals } from './signals/daily';
import { hourlySignal } from './signals/hourly';
import { DailySignalsStream } from './streaming/signal-streams';
import { healthScore } from './validation/health-score';
import { rollingValidation, ValidationState } from './validation/rolling-validation';

/** Runs of each kernel: enough for type feedback on every path, far from an optimization. */
const PRIME_RUNS = 3;

/** Bars of the priming series: enough for each branch of a pass with small windows. */
const PRIME_BARS = 64;

/**
 * Runs every kernel a few times over a few bars, at load time, and discards the results.
 *
 * V8 optimizes a kernel whose first call is long while that call's loop runs (on-stack
 * replacement), from the type feedback gathered so far: the code after the loop (which stores
 * the window's state back) has none yet. That compiled loop is kept and entered again by
 * later long calls, each of which then falls back to the interpreter at the loop's end (about
 * a millisecond each, again and again). Short calls first give every path its feedback, so
 * the code V8 compiles later runs to the end. Nothing observable changes.
 */
export function primeKernels(): void {
  const n = PRIME_BARS;
  const close = new Float64Array(n);
  const market = new Float64Array(n);
  const dates: string[] = [];
  for (let i = 0; i < n; i++) {
    close[i] = 100 * (1 + 0.01 * Math.sin(i)) + (i % 7 === 3 ? 0 : i * 0.01);
    market[i] = i % 11 === 5 ? NaN : 0.004 * Math.cos(i);
    dates.push(new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
  }
  const out = new Float64Array(3 * n);
  const a = new Float64Array(n);
  const windows = { volatility_window: 3, momentum_fast: 2, momentum_slow: 4, beta_window: 3 };
  for (let run = 0; run < PRIME_RUNS; run++) {
    momentsPass(market, 3, out);
    pandasPass(market, 3, out);
    sortedPass(market, 3, [{ q: 0.5, values: a }]);
    tailPass(market, 24, 0.05, 0.95, out);
    tailPass(market, 3, 0.05, 0.95, out);
    covariancePass(market, close, 3, a);
    for (const tail_window of [3, 24]) {
      const config = { ...windows, tail_window };
      const signals = computeDailySignals({ close, dates, marketReturns: market }, config);
      const stream = new DailySignalsStream(config);
      const state = new ValidationState(5);
      const cov = new RollingCovWindow(3);
      const quantile = new RollingQuantileWindow(3);
      for (let i = 0; i < n; i++) {
        stream.update({
          date: dates[i] as string,
          close: close[i] as number,
          marketReturn: market[i],
        });
        state.step(signals.Momentum[i] as number, market[i] as number);
        cov.push(close[i] as number, market[i] as number);
        cov.corr();
        quantile.push(market[i] as number);
        quantile.quantile(0.5);
      }
      healthScore(rollingValidation(signals.Momentum, market, { window: 5 }), { lookback: 4 });
    }
    hourlySignal({ high: close, low: close, close });
  }
}
