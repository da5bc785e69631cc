import {
  NotFoundError,
  type Bar,
  type BarsRequest,
  type Clock,
  type MarketData,
  type Timeframe,
} from '@quantpipe/core';
import { lastVisibleTimestamp } from './bar-visibility';

/** Days looked back by {@link ClockBoundedMarketData.getLatestBar} (covers long holidays). */
const LATEST_BAR_LOOKBACK_DAYS = 14;

/**
 * A {@link MarketData} view that ends at the simulated clock: only bars complete at
 * `clock.now()` exist. The strategy and engine of a backtest read history through this view
 * only, which makes look-ahead impossible by construction — whatever they ask for, a bar that
 * completes after the clock is never returned.
 */
export class ClockBoundedMarketData implements MarketData {
  /** The cutoffs of the last clock reading (an engine cycle asks many times at one instant). */
  private cutoffs: { nowMs: number; daily: string; hourly: string } | undefined;

  constructor(
    private readonly source: MarketData,
    private readonly clock: Clock,
  ) {}

  private cutoff(timeframe: Timeframe): string {
    const nowMs = this.clock.now();
    if (this.cutoffs?.nowMs !== nowMs) {
      this.cutoffs = {
        nowMs,
        daily: lastVisibleTimestamp(nowMs, '1Day'),
        hourly: lastVisibleTimestamp(nowMs, '1Hour'),
      };
    }
    return timeframe === '1Day' ? this.cutoffs.daily : this.cutoffs.hourly;
  }

  async getBars(request: BarsRequest): Promise<Bar[]> {
    const bounded = this.bound(request);
    if (bounded === undefined) return [];
    return trimAfter(await this.source.getBars(bounded.request), bounded.cutoff);
  }

  /**
   * The requests answered as {@link ClockBoundedMarketData.getBars} would answer each, in one
   * call to the source's `getBarsBatch` when it has one (an engine refreshes its whole
   * universe every cycle).
   */
  async getBarsBatch(requests: readonly BarsRequest[]): Promise<Bar[][]> {
    const bounded = requests.map((r) => this.bound(r));
    const asked: BarsRequest[] = [];
    for (const b of bounded) if (b !== undefined) asked.push(b.request);
    const fetched = this.source.getBarsBatch
      ? await this.source.getBarsBatch(asked)
      : await Promise.all(asked.map((r) => this.source.getBars(r)));
    let next = 0;
    return bounded.map((b) =>
      b === undefined ? [] : trimAfter(fetched[next++] as Bar[], b.cutoff),
    );
  }

  /** The request with its end clipped to the clock, or undefined when nothing can be visible. */
  private bound(request: BarsRequest): BoundedRequest | undefined {
    const cutoff = this.cutoff(request.timeframe);
    const end = effectiveEnd(request.end, cutoff, request.timeframe);
    const wholeDayEnd = request.timeframe === '1Hour' && end.length === 10;
    if (end < request.start && !(wholeDayEnd && request.start.startsWith(end))) return undefined;
    // Built field by field: `{ ...request, end }` (a spread then an override) takes V8's slow
    // generic path, and the engine asks once per symbol and cycle.
    return {
      request: { symbol: request.symbol, timeframe: request.timeframe, start: request.start, end },
      cutoff,
    };
  }

  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    const nowMs = this.clock.now();
    const start = new Date(nowMs - LATEST_BAR_LOOKBACK_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const bars = await this.getBars({ symbol, timeframe, start });
    const last = bars[bars.length - 1];
    if (!last) {
      throw new NotFoundError(
        `no ${timeframe} bar of ${symbol} visible at ${new Date(nowMs).toISOString()}`,
        {
          context: { symbol, timeframe },
        },
      );
    }
    return last;
  }
}

interface BoundedRequest {
  readonly request: BarsRequest;
  /** The last visible timestamp of the request's timeframe. */
  readonly cutoff: string;
}

/**
 * Defence in depth: the source may treat `end` loosely; never let a bar after `cutoff` through.
 */
function trimAfter(bars: Bar[], cutoff: string): Bar[] {
  let n = bars.length;
  while (n > 0 && (bars[n - 1] as Bar).timestamp > cutoff) n--;
  return n === bars.length ? bars : bars.slice(0, n);
}

/** The request's end clipped to the last visible timestamp. */
function effectiveEnd(end: string | undefined, cutoff: string, timeframe: Timeframe): string {
  if (end === undefined) return cutoff;
  if (timeframe === '1Hour' && end.length === 10) {
    // A date end covers that whole day's intraday bars.
    return end < cutoff.slice(0, 10) ? end : cutoff;
  }
  return end < cutoff ? end : cutoff;
}
