import { ValidationError } from '@quantpipe/core';
import { pctChangeInto } from '../kernels/pct-change';
import { SeriesMoments } from '../kernels/series-moments';
import { sharedMoments } from '../kernels/shared-moments';
import { workArray } from '../kernels/work-arrays';
import {
  asFloat64,
  assertArrayLike,
  assertLengths,
  assertNumbersOrNaN,
  assertOutputs,
  assertPrices,
  checkDates,
} from '../validate';
import { betaFromReturns, betaWarmupBars } from './beta';
import { carryFromReturns, carryWarmupBars } from './carry';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { momentumFromReturns, momentumWarmupBars } from './momentum';
import { tailRiskFromReturns, tailRiskWarmupBars } from './tail-risk';
import { volatilityFromReturns, volatilityWarmupBars } from './volatility';

/** Names of the five daily signals, in the spec's order. */
export const DAILY_SIGNAL_NAMES = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'] as const;

/** One of {@link DAILY_SIGNAL_NAMES}. */
export type DailySignalName = (typeof DAILY_SIGNAL_NAMES)[number];

/** The five daily signals of one symbol, each aligned with the input bars. */
export type DailySignals = Record<DailySignalName, Float64Array>;

/** Input of {@link computeDailySignals}: one symbol's daily closes. */
export interface DailySignalsInput {
  /** Daily closes, oldest first (finite, > 0). */
  readonly close: ArrayLike<number>;
  /** ISO `YYYY-MM-DD` session dates, strictly increasing, aligned with `close`. */
  readonly dates: ArrayLike<string>;
  /**
   * Market (benchmark) simple returns aligned with `close` (the spec reindexes SPY's returns
   * onto the symbol's dates and forward-fills). NaN allowed, e.g. the first value. Without it,
   * Momentum uses raw momentum and Beta uses `returns * 0.6`, as the spec's fallback.
   */
  readonly marketReturns?: ArrayLike<number>;
}

/**
 * Bars before each daily signal's first value (its warm-up) on gap-free closes, whose returns
 * start at the second bar (market returns too): for the spec's windows Volatility 271,
 * Momentum 60, TailRisk 60, Beta 119, Carry 251. `warmup: 'nan'` marks these bars NaN; the
 * default `'zero'` gives the spec's 0.
 *
 * @param config the signal windows, as {@link computeDailySignals}'s.
 */
export function dailySignalWarmupBars(
  config?: DailySignalConfig,
): Readonly<Record<DailySignalName, number>> {
  return Object.freeze({
    Volatility: volatilityWarmupBars(config),
    Momentum: momentumWarmupBars(config),
    TailRisk: tailRiskWarmupBars(config),
    Beta: betaWarmupBars(config),
    Carry: carryWarmupBars(),
  });
}

/**
 * Computes the five daily signals of one symbol (spec 3.2): returns are `pctChange(close)`,
 * every signal is `fillna(0)` — or NaN before its first value with `warmup: 'nan'`.
 *
 * @param input closes, dates and optional market returns.
 * @param config signal windows (spec names `volatility_window`, `momentum_fast`,
 *   `momentum_slow`, `tail_window`, `beta_window`, or camelCase aliases) and `warmup`.
 * @param out arrays to write the signals into (a Float64Array of `close`'s length per signal,
 *   none sharing memory with another or with the inputs), for callers that compute symbol after
 *   symbol and read each before the next: reused arrays touch no fresh memory. Default: new ones.
 * @returns `{ Volatility, Momentum, TailRisk, Beta, Carry }`, each a Float64Array aligned with
 *   `close` (`out` itself when given).
 * @throws ValidationError naming the argument for different lengths, non-finite or
 *   non-positive closes, malformed, unsorted or duplicate dates, ±Infinity market returns, a
 *   bad window, or unusable `out` arrays.
 */
export function computeDailySignals(
  input: DailySignalsInput,
  config?: DailySignalConfig,
  out?: DailySignals,
): DailySignals {
  if (input === null || typeof input !== 'object') {
    throw new ValidationError('input', 'expected { close, dates, marketReturns? }');
  }
  const { close, dates, marketReturns } = input;
  assertArrayLike('close', close);
  assertArrayLike('dates', dates);
  if (marketReturns !== undefined) assertLengths({ close, dates, marketReturns });
  else assertLengths({ close, dates });
  const cfg = resolveDailySignalConfig(config);
  assertPrices('close', close);
  const doy = checkDates('dates', dates);
  const c = asFloat64(close);
  const m = marketReturns === undefined ? undefined : asFloat64(marketReturns);
  if (out !== undefined) assertOutputs('out', out, DAILY_SIGNAL_NAMES, c.length, m ? [c, m] : [c]);
  // the returns are a work array (slot 0; the signals take slots from 1 on)
  const r = pctChangeInto(c, workArray('daily:returns', c.length));
  // the signals share the windows of the returns (and of the market: the same market array is
  // typically passed for every symbol of a universe, see sharedMoments)
  const returns = new SeriesMoments(r, 'returns');
  let market: SeriesMoments | undefined;
  if (marketReturns !== undefined && m !== undefined) {
    assertNumbersOrNaN('marketReturns', marketReturns);
    market = sharedMoments(marketReturns, m);
  }
  const inputs = { returns, market };
  const signals = {
    Volatility: volatilityFromReturns(inputs, cfg, out?.Volatility),
    Momentum: momentumFromReturns(inputs, cfg, out?.Momentum),
    TailRisk: tailRiskFromReturns(inputs, cfg, out?.TailRisk),
    Beta: betaFromReturns(inputs, cfg, out?.Beta),
    Carry: carryFromReturns(returns, c, doy, cfg.warmup, out?.Carry),
  };
  return out ?? signals;
}
