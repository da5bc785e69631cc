import { SeriesMoments } from '../kernels/series-moments';
import { sharedMoments } from '../kernels/shared-moments';
import { asFloat64, assertArrayLike, assertLengths } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import type { ResolvedDailySignalConfig } from './config';

/**
 * What the batch daily signals read: the returns with their windows (shared between the
 * signals of one call) and, when given, the market returns' windows.
 */
export interface SignalInputs {
  /** The symbol's simple returns and their window moments. */
  readonly returns: SeriesMoments;
  /** The market's simple returns and their window moments (undefined without a market). */
  readonly market: SeriesMoments | undefined;
}

/** A batch daily signal over checked inputs, into `into` (checked by the caller) or a new array. */
export type SignalOfInputs = (
  inputs: SignalInputs,
  cfg: ResolvedDailySignalConfig,
  into?: Float64Array,
) => Float64Array;

/** The windows of the market returns (shared across calls, see `sharedMoments`), if given. */
export function marketMoments(
  marketReturns: ArrayLike<number> | undefined,
): SeriesMoments | undefined {
  return marketReturns === undefined
    ? undefined
    : sharedMoments(marketReturns, asFloat64(marketReturns));
}

/**
 * The public form of a daily signal of returns (and, optionally, market returns):
 * `(returns, marketReturns?, opts?)`. It checks the series (array-like, the same length) and
 * the options, then runs `signal`.
 */
export function signalOfReturnsAndMarket(signal: SignalOfInputs) {
  return (
    returns: ArrayLike<number>,
    marketReturns?: ArrayLike<number>,
    opts?: DailySignalConfig,
  ): Float64Array => {
    assertArrayLike('returns', returns);
    if (marketReturns !== undefined) assertLengths({ returns, marketReturns });
    const cfg = resolveDailySignalConfig(opts, 'opts');
    const inputs = {
      returns: new SeriesMoments(asFloat64(returns), 'returns'),
      market: marketMoments(marketReturns),
    };
    return signal(inputs, cfg);
  };
}

/**
 * The public form of a daily signal of returns alone: `(returns, opts?)`, checked as
 * {@link signalOfReturnsAndMarket} does.
 */
export function signalOfReturns(signal: SignalOfInputs) {
  const withMarket = signalOfReturnsAndMarket(signal);
  return (returns: ArrayLike<number>, opts?: DailySignalConfig): Float64Array =>
    withMarket(returns, undefined, opts);
}
