import { ValidationError } from '@quantpipe/core';
import { pctChange } from '../kernels/pct-change';
import {
  asFloat64,
  assertArrayLike,
  assertLengths,
  assertNumbersOrNaN,
  assertPrices,
  checkDates,
} from '../validate';
import { volatilityKernel } from '../kernels/signal-kernels';
import { betaFromReturns } from './beta';
import { carryFromReturns } from './carry';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { momentumFromReturns } from './momentum';
import { tailRiskFromReturns } from './tail-risk';

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
 * Computes the five daily signals of one symbol in one pass (spec 3.2): returns are
 * `pctChange(close)`, every signal is `fillna(0)`.
 *
 * @param input closes, dates and optional market returns.
 * @param config signal windows (spec names `volatility_window`, `momentum_fast`,
 *   `momentum_slow`, `tail_window`, `beta_window`, or camelCase aliases).
 * @returns `{ Volatility, Momentum, TailRisk, Beta, Carry }`, each a Float64Array aligned with
 *   `close`.
 * @throws ValidationError naming the argument for different lengths, non-finite or
 *   non-positive closes, malformed, unsorted or duplicate dates, ±Infinity market returns, or a
 *   bad window.
 */
export function computeDailySignals(
  input: DailySignalsInput,
  config?: DailySignalConfig,
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
  const r = pctChange(c);
  let m: Float64Array | undefined;
  if (marketReturns !== undefined) {
    assertNumbersOrNaN('marketReturns', marketReturns);
    m = asFloat64(marketReturns);
  }

  return {
    Volatility: volatilityKernel(r, cfg.volatilityWindow, new Float64Array(c.length)),
    Momentum: momentumFromReturns(r, m, cfg.momentumFast, cfg.momentumSlow),
    TailRisk: tailRiskFromReturns(r, cfg.tailWindow),
    Beta: betaFromReturns(r, m, cfg.betaWindow),
    Carry: carryFromReturns(r, c, doy),
  };
}
