import { kahanPass, kahanState } from './kernels/kahan-sum';
import { covariancePass, validationPass } from './kernels/pair-window';
import { momentsPass } from './kernels/shifted-moments';
import { sortedPass, sortedState } from './kernels/sorted-window';
import { tailPass } from './kernels/tail-quantiles';
import { welfordPass, welfordState } from './kernels/welford-variance';
import { computeDailySignals } from './signals/daily';
import { hourlySignal } from './signals/hourly';
import { DailySignalsStream } from './streaming/signal-streams';
import { healthScore } from './validation/health-score';
import { rollingValidation, ValidationState } from './validation/rolling-validation';

/** Runs: V8 gives a function type feedback after a few calls, and optimizes it after more. */
const PRIME_RUNS = 12;

/** Bars of the priming series: enough for each branch of a pass with small windows. */
const PRIME_BARS = 64;

/**
 * Runs every kernel a few times over a few bars, at load time, and discards the results.
 *
 * V8 optimizes a kernel whose first call is long while that call's loop runs (on-stack
 * replacement), from the type feedback gathered so far: code after the loop has none yet, and
 * the state a pass creates before the loop then lives in memory instead of registers. Short
 * calls first make V8 compile each kernel whole, with its state factory inlined (which needs
 * feedback for the factory itself, so the factories run first), so later long calls find
 * compiled code that keeps the windows' state in registers. Nothing observable changes.
 */
export function primeKernels(): void {
  for (let run = 0; run < PRIME_RUNS; run++) {
    kahanState(2);
    welfordState(2);
    sortedState(2);
  }
  const n = PRIME_BARS;
  const close = new Float64Array(n);
  const market = new Float64Array(n);
  const dates: string[] = [];
  for (let i = 0; i < n; i++) {
    close[i] = 100 * (1 + 0.01 * Math.sin(i)) + (i % 7 === 3 ? 0 : i * 0.01);
    market[i] = i % 11 === 5 ? NaN : 0.004 * Math.cos(i);
    dates.push(new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
  }
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  for (let run = 0; run < PRIME_RUNS; run++) {
    momentsPass(market, 3, new Float64Array(3 * n));
    kahanPass(market, 3, a, undefined);
    kahanPass(market, 3, undefined, b);
    welfordPass(market, 3, a);
    sortedPass(market, 3, [{ q: 0.5, values: a }]);
    tailPass(market, 24, 0.05, 0.95, a, b);
    tailPass(market, 3, 0.05, 0.95, a, b);
    covariancePass(market, close, 3, a);
    validationPass(market, close, 5, a, b, c);
  }
  const windows = { volatility_window: 3, momentum_fast: 2, momentum_slow: 4, beta_window: 3 };
  for (const tail_window of [3, 24]) {
    const config = { ...windows, tail_window };
    const signals = computeDailySignals({ close, dates, marketReturns: market }, config);
    const stream = new DailySignalsStream(config);
    const state = new ValidationState(5);
    for (let i = 0; i < n; i++) {
      stream.update({
        date: dates[i] as string,
        close: close[i] as number,
        marketReturn: market[i],
      });
      state.step(signals.Momentum[i] as number, market[i] as number);
    }
    healthScore(rollingValidation(signals.Momentum, market, { window: 5 }), { lookback: 4 });
  }
  hourlySignal({ high: close, low: close, close });
}
