import { ValidationError } from '@quantpipe/core';
import { pctChange } from '../kernels/pct-change';
import { assertArrayLike, assertLengths, assertPrices, checkDates } from '../validate';

/** The market (benchmark) series: its own session dates and closes. */
export interface MarketSeries {
  /** ISO `YYYY-MM-DD` session dates of the market bars, strictly increasing. */
  readonly dates: ArrayLike<string>;
  /** Market closes aligned with `dates` (finite, > 0). */
  readonly close: ArrayLike<number>;
}

/**
 * The spec's market returns for one symbol (section 2.2):
 * `spy.close.pct_change().reindex(symbol dates).ffill()`. A symbol date the market lacks takes
 * the previous symbol date's value; dates before any market value stay NaN (Momentum and Beta
 * then give 0 there, as in the spec).
 *
 * @param market the market's dates and closes.
 * @param dates the symbol's ISO session dates, strictly increasing.
 * @returns market returns aligned with `dates`.
 * @throws ValidationError naming the argument for bad dates, lengths or prices.
 */
export function alignMarketReturns(market: MarketSeries, dates: ArrayLike<string>): Float64Array {
  if (market === null || typeof market !== 'object') {
    throw new ValidationError('market', 'expected { dates, close }');
  }
  assertArrayLike('market.dates', market.dates);
  assertArrayLike('market.close', market.close);
  assertLengths({ 'market.dates': market.dates, 'market.close': market.close });
  assertPrices('market.close', market.close);
  checkDates('market.dates', market.dates);
  assertArrayLike('dates', dates);
  checkDates('dates', dates);
  const returns = pctChange(market.close);
  const byDate = new Map<string, number>();
  for (let i = 0; i < returns.length; i++)
    byDate.set(market.dates[i] as string, returns[i] as number);
  const out = new Float64Array(dates.length);
  let last = NaN;
  for (let i = 0; i < dates.length; i++) {
    const v = byDate.get(dates[i] as string);
    // reindex (missing -> NaN), then ffill (NaN -> the previous row's value)
    if (v !== undefined && v === v) last = v;
    out[i] = last;
  }
  return out;
}
