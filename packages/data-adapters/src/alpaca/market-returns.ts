import { silentLogger, ValidationError, type Logger, type MarketData } from '@quantpipe/core';

/** Options of {@link fetchMarketReturns}. */
export interface MarketReturnsRequest {
  /** Session dates of the asset's returns, ascending (`YYYY-MM-DD`). */
  readonly dates: readonly string[];
  /** The asset's daily returns on those dates (NaN where undefined, e.g. the first). */
  readonly assetReturns: readonly number[];
  /** The benchmark. Default `SPY`. */
  readonly benchmarkSymbol?: string;
  /** First date of benchmark bars to fetch. Default: the first of `dates`. */
  readonly start?: string;
  readonly logger?: Logger;
}

/** Market returns aligned to the asset's dates, and where they came from. */
export interface MarketReturns {
  readonly returns: number[];
  /** `benchmark`: the benchmark's close-to-close returns; `fallback`: asset returns x 0.6. */
  readonly source: 'benchmark' | 'fallback';
  /**
   * The asset dates whose value was forward-filled (the benchmark had no bar or no return
   * there, and an earlier value existed), ascending; empty for the fallback. A fill is
   * logged as a warning too, so it is never silent.
   */
  readonly filledDates: readonly string[];
}

/** The spec's approximation when the benchmark cannot be fetched: `returns * 0.6`. */
export const MARKET_RETURNS_FALLBACK_FACTOR = 0.6;

/**
 * The market series of the spec (section 2.2): the benchmark's daily close `pct_change()`,
 * reindexed to the asset's dates and forward-filled exactly as pandas' `reindex(...).ffill()`
 * (a date the benchmark lacks takes the value of the previous asset date; leading gaps are NaN). When the benchmark cannot be fetched for any reason (after the source's own
 * retries), the spec's fallback `assetReturns * 0.6` is returned with `source: 'fallback'` and a
 * warning is logged, so the approximation is never silent.
 */
export async function fetchMarketReturns(
  source: MarketData,
  request: MarketReturnsRequest,
): Promise<MarketReturns> {
  const { dates, assetReturns } = request;
  if (dates.length !== assetReturns.length) {
    throw new ValidationError(
      'assetReturns',
      `length ${assetReturns.length} differs from dates (${dates.length})`,
    );
  }
  for (let i = 1; i < dates.length; i++) {
    if ((dates[i] as string) <= (dates[i - 1] as string))
      throw new ValidationError('dates', `not strictly ascending at index ${i}`);
  }
  const symbol = request.benchmarkSymbol ?? 'SPY';
  const logger = request.logger ?? silentLogger;
  const fallback = (reason: string): MarketReturns => {
    logger.warn(
      { benchmark: symbol, reason, factor: MARKET_RETURNS_FALLBACK_FACTOR },
      `${symbol} fetch failed, using approximation (asset returns x ${MARKET_RETURNS_FALLBACK_FACTOR})`,
    );
    return {
      returns: assetReturns.map((r) => r * MARKET_RETURNS_FALLBACK_FACTOR),
      source: 'fallback',
      filledDates: [],
    };
  };
  if (dates.length === 0) return { returns: [], source: 'benchmark', filledDates: [] };
  let bars;
  try {
    bars = await source.getBars({
      symbol,
      timeframe: '1Day',
      start: request.start ?? (dates[0] as string),
      end: dates[dates.length - 1] as string,
    });
  } catch (error) {
    return fallback(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  // pct_change on the benchmark's own dates, then pandas' reindex(asset dates).ffill():
  // an asset date the benchmark lacks (or whose return is NaN) takes the last valid value of
  // the reindexed series, i.e. of an earlier asset date, not of a benchmark-only date.
  const byDate = new Map<string, number>();
  for (let i = 1; i < bars.length; i++) {
    const bar = bars[i] as (typeof bars)[number];
    byDate.set(bar.timestamp.slice(0, 10), bar.close / (bars[i - 1] as typeof bar).close - 1);
  }
  const returns: number[] = [];
  const filledDates: string[] = [];
  let last = Number.NaN;
  for (const date of dates) {
    const value = byDate.get(date);
    if (value !== undefined && !Number.isNaN(value)) last = value;
    else if (!Number.isNaN(last)) filledDates.push(date);
    returns.push(last);
  }
  if (filledDates.length > 0) {
    logger.warn(
      {
        benchmark: symbol,
        filled: filledDates.length,
        first: filledDates[0],
        last: filledDates[filledDates.length - 1],
      },
      `${symbol} has no return on ${filledDates.length} of the asset's dates: its previous return is carried forward there`,
    );
  }
  return { returns, source: 'benchmark', filledDates };
}
