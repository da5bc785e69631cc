import {
  DataError,
  ValidationError,
  assertArrayLike,
  assertBarTimestamp,
  isIsoDate,
  sessionDateOf,
} from '@quantpipe/core';
import {
  DAILY_SIGNAL_NAMES,
  computeDailySignals,
  healthScore,
  hourlySignal,
  pctChange,
  rollingValidation,
  type DailySignalConfig,
  type HealthScore,
} from '@quantpipe/signals';
import { combineHybrid } from './combine-hybrid';
import { dynamicCorrelationWeights } from './dynamic-correlation-weights';
import { applyRiskBudgets } from './risk-budgets';

/** Hourly bars of the symbol (for the spec's 70/30 daily/hourly blend). */
export interface HourlyBarsInput {
  /** ISO-8601 UTC timestamps, strictly increasing. */
  readonly timestamps: readonly string[];
  /** Bar highs (finite, > 0). */
  readonly high: ArrayLike<number>;
  /** Bar lows (finite, > 0). */
  readonly low: ArrayLike<number>;
  /** Bar closes (finite, > 0). */
  readonly close: ArrayLike<number>;
}

/** One symbol's history for {@link computeCompositeSignal}. */
export interface CompositeSignalInput {
  /** Session dates (`YYYY-MM-DD`) of the daily bars, strictly increasing. */
  readonly dates: readonly string[];
  /** Daily closes aligned with `dates` (finite, > 0). */
  readonly close: ArrayLike<number>;
  /** Market (SPY) simple returns aligned with `dates` (optional, see `computeDailySignals`). */
  readonly marketReturns?: ArrayLike<number>;
  /** Hourly bars; when absent the composite is the daily composite with confidence 1. */
  readonly hourly?: HourlyBarsInput;
  /**
   * Index of the decision bar t in `dates` (default: the last). Only daily bars 0..t and
   * hourly bars whose session date is <= dates[t] are used.
   */
  readonly decisionIndex?: number;
}

/** Risk budgets applied to the optimised weights (optional step, spec section 4.2). */
export interface CompositeRiskBudgets {
  /** Category per signal (a signal not listed is its own category). */
  readonly categories?: Readonly<Record<string, string>>;
  /** Budget per category (default: the spec's `DEFAULT_RISK_BUDGETS`). */
  readonly budgets?: Readonly<Record<string, number>>;
  /** Iterate until every budget holds instead of the spec's single pass. */
  readonly strict?: boolean;
}

/** Configuration of the composite pipeline. Window keys use the spec's names (section 9.2). */
export interface CompositePipelineConfig {
  /** Daily signal windows (`volatility_window`, ...), passed to `computeDailySignals`. */
  readonly signals?: DailySignalConfig;
  /** Rolling validation window in bars (spec default 252). */
  readonly validation_window?: number;
  /** Health score lookback in bars (spec default 63). */
  readonly health_lookback?: number;
  /** Rows (ending at the decision bar) over which ICs and correlations are measured (default 252). */
  readonly weight_window?: number;
  /** Lower bound of every signal weight (spec 0.05). */
  readonly lower?: number;
  /** Upper bound of every signal weight (spec 0.5). */
  readonly upper?: number;
  /** When given, the spec's risk budgets are applied to the optimised weights. */
  readonly riskBudgets?: CompositeRiskBudgets;
}

/** Everything the pipeline decided for one symbol at one decision bar. */
export interface CompositeSignal {
  /** Session date of the decision bar. */
  readonly date: string;
  /** Composite signal for sizing (`0.7 daily + 0.3 hourly`, or the daily composite alone). */
  readonly composite: number;
  /** Confidence for sizing (the spec's rule; 1 without hourly bars). */
  readonly confidence: number;
  /** `sum_i weights_i * signals_i` at the decision bar. */
  readonly dailyComposite: number;
  /** Last hourly signal of the decision date (NaN without one). */
  readonly hourlyDaily: number;
  /** The five daily signals at the decision bar. */
  readonly signals: Record<string, number>;
  /** Health score per signal (all components), from data up to the decision bar. */
  readonly health: Record<string, HealthScore>;
  /** Health used: the score, or 0.5 (neutral) where it is NaN for lack of history. */
  readonly healthUsed: Record<string, number>;
  /** Signals whose health was NaN (not enough history) and counted as 0.5. */
  readonly healthMissing: string[];
  /** Normalised health scores: the optimiser's base weights. */
  readonly baseWeights: Record<string, number>;
  /** ICs over the weight window (NaN -> 0). */
  readonly ics: Record<string, number>;
  /** `ics * healthUsed`: the ICs the optimiser maximises. */
  readonly effectiveIcs: Record<string, number>;
  /** Final signal weights (after risk budgets when configured). */
  readonly weights: Record<string, number>;
  /** The spec's objective at the optimised weights (before risk budgets). */
  readonly objective: number;
}

function windowBars(key: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 2) {
    throw new ValidationError(key, `expected an integer >= 2, got ${String(value)}`);
  }
  return value;
}

function sliceHourly(hourly: HourlyBarsInput, lastDate: string): HourlyBarsInput {
  const { timestamps, high, low, close } = hourly;
  if (
    high.length !== timestamps.length ||
    low.length !== timestamps.length ||
    close.length !== timestamps.length
  ) {
    throw new ValidationError(
      'hourly',
      'timestamps, high, low and close must have the same length',
    );
  }
  let end = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i] as string;
    assertBarTimestamp(`hourly.timestamps[${i}]`, ts);
    if (sessionDateOf(ts) <= lastDate) end = i + 1;
  }
  const cut = <T>(xs: ArrayLike<T>): T[] => Array.from({ length: end }, (_, i) => xs[i] as T);
  return {
    timestamps: timestamps.slice(0, end),
    high: cut(high),
    low: cut(low),
    close: cut(close),
  };
}

/**
 * The spec's EnhancedProductionPipeline for one symbol at one decision bar t:
 * daily signals → rolling validation → health scores → correlation-aware weights →
 * composite and confidence. Nothing after bar t is read: the daily bars are cut at t, so every
 * IC (rolling validation and weighting) pairs signal[s] with return[s + 1] where s + 1 <= t,
 * and hourly bars are cut at the decision date.
 *
 * How health scores enter the weights (not specified by the spec's text):
 * 1. each signal's IC over the weight window is multiplied by its health score
 *    (health in (0, 1) acts as confidence in the measured IC and shrinks it toward 0);
 * 2. the normalised health scores are the optimiser's base weights (the spec's start point; the
 *    exact optimiser uses them to choose among tied optima).
 * A NaN health score (fewer than `validation_window + 1` bars) counts as 0.5, listed in
 * `healthMissing`.
 *
 * @throws ValidationError for malformed inputs or config; DataError when there are fewer than
 *   3 daily bars up to the decision bar.
 */
export function computeCompositeSignal(
  input: CompositeSignalInput,
  config: CompositePipelineConfig = {},
): CompositeSignal {
  if (input === null || typeof input !== 'object')
    throw new ValidationError('input', 'expected { dates, close, marketReturns?, hourly? }');
  const { dates, close, marketReturns, hourly } = input;
  if (!Array.isArray(dates))
    throw new ValidationError('dates', 'expected an array of session dates');
  assertArrayLike('close', close);
  if (marketReturns !== undefined) assertArrayLike('marketReturns', marketReturns);
  if (close.length !== dates.length) {
    throw new ValidationError(
      'close',
      `length ${close.length} differs from dates (${dates.length})`,
    );
  }
  if (marketReturns !== undefined && marketReturns.length !== dates.length) {
    throw new ValidationError(
      'marketReturns',
      `length ${marketReturns.length} differs from dates (${dates.length})`,
    );
  }
  const t = input.decisionIndex ?? dates.length - 1;
  if (!Number.isSafeInteger(t) || t < 0 || t >= dates.length) {
    throw new ValidationError(
      'decisionIndex',
      `expected an index in [0, ${dates.length - 1}], got ${String(t)}`,
    );
  }
  if (t < 2)
    throw new DataError(
      `composite signal needs at least 3 daily bars up to the decision, got ${t + 1}`,
    );
  const validationWindow = windowBars('validation_window', config.validation_window ?? 252);
  const healthLookback = windowBars('health_lookback', config.health_lookback ?? 63);
  const weightWindow = windowBars('weight_window', config.weight_window ?? 252);

  // Everything below sees bars 0..t only.
  const n = t + 1;
  const datesT = dates.slice(0, n);
  const date = datesT[t] as string;
  if (!isIsoDate(date))
    throw new ValidationError(`dates[${t}]`, `expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const closeT = Array.from({ length: n }, (_, i) => close[i] as number);
  const daily = computeDailySignals(
    {
      close: closeT,
      dates: datesT,
      ...(marketReturns === undefined
        ? {}
        : { marketReturns: Array.from({ length: n }, (_, i) => marketReturns[i] as number) }),
    },
    config.signals,
  );
  const returns = pctChange(closeT);

  const health: Record<string, HealthScore> = {};
  const healthUsed: Record<string, number> = {};
  const healthMissing: string[] = [];
  for (const name of DAILY_SIGNAL_NAMES) {
    const v = rollingValidation(daily[name], returns, { window: validationWindow });
    const h = healthScore(
      { ic: v.ic, turnoverAdjustedIc: v.turnoverAdjustedIc },
      { lookback: healthLookback },
    );
    health[name] = h;
    if (Number.isFinite(h.score)) healthUsed[name] = h.score;
    else {
      healthUsed[name] = 0.5;
      healthMissing.push(name);
    }
  }
  let healthTotal = 0;
  for (const name of DAILY_SIGNAL_NAMES) healthTotal += healthUsed[name] as number;
  const baseWeights: Record<string, number> = {};
  for (const name of DAILY_SIGNAL_NAMES)
    baseWeights[name] = (healthUsed[name] as number) / healthTotal;

  const from = Math.max(0, n - weightWindow);
  const frame: Record<string, Float64Array> = {};
  for (const name of DAILY_SIGNAL_NAMES) frame[name] = daily[name].subarray(from, n);
  const optimised = dynamicCorrelationWeights(frame, returns.subarray(from, n), baseWeights, {
    ...(config.lower === undefined ? {} : { lower: config.lower }),
    ...(config.upper === undefined ? {} : { upper: config.upper }),
    icMultipliers: healthUsed,
  });
  const weights =
    config.riskBudgets === undefined
      ? optimised.weights
      : applyRiskBudgets(
          optimised.weights,
          config.riskBudgets.categories ?? {},
          config.riskBudgets.budgets,
          { strict: config.riskBudgets.strict ?? false },
        );

  const signals: Record<string, number> = {};
  let dailyComposite = 0;
  for (const name of DAILY_SIGNAL_NAMES) {
    const value = daily[name][t] as number;
    signals[name] = value;
    dailyComposite += (weights[name] as number) * value;
  }

  let composite = dailyComposite;
  let confidence = 1;
  let hourlyDaily = NaN;
  if (hourly !== undefined) {
    const cut = sliceHourly(hourly, date);
    const h = cut.timestamps.length === 0 ? new Float64Array(0) : hourlySignal(cut);
    const combined = combineHybrid({
      dailyDates: [date],
      dailySignal: [dailyComposite],
      hourlyTimestamps: cut.timestamps,
      hourlySignal: h,
    });
    composite = combined.composite[0] as number;
    confidence = combined.confidence[0] as number;
    hourlyDaily = combined.hourlyDaily[0] as number;
  }

  return {
    date,
    composite,
    confidence,
    dailyComposite,
    hourlyDaily,
    signals,
    health,
    healthUsed,
    healthMissing,
    baseWeights,
    ics: optimised.ics,
    effectiveIcs: optimised.effectiveIcs,
    weights,
    objective: optimised.objective,
  };
}
