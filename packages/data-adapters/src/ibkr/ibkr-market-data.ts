import {
  DataError,
  sessionDateOf,
  validateBars,
  ValidationError,
  type Bar,
  type BarsRequest,
  type MarketData,
  type Timeframe,
  newYorkParts,
} from '@quantpipe/core';
import { HistoricalPacer, type HistoricalPacerOptions } from './historical-pacer';
import { IbkrConnection, type IbkrConnectionOptions } from './ibkr-connection';
import type { RawHistoricalBar } from './ibkr-raw-records';
import { planHistoricalRequests, requestStartDate, type HistoricalChunk } from './historical-plan';
import { isoSeconds, parseTwsTime } from './ibkr-time';

/** Options of {@link IbkrMarketData}. */
export interface IbkrMarketDataOptions extends IbkrConnectionOptions {
  /** Share a connection (e.g. with an {@link IbkrBroker}); otherwise one is created. */
  readonly connection?: IbkrConnection;
  /** Client-side pacing; defaults follow the service's limits (15 s + margin, 60 / 10 min). */
  readonly pacing?: HistoricalPacerOptions;
  /** Wall clock for "now" ends. Default Date.now. */
  readonly now?: () => number;
}

function toBar(symbol: string, timeframe: Timeframe, row: RawHistoricalBar): Bar {
  const t = parseTwsTime(row.time);
  const timestamp =
    timeframe === '1Day'
      ? t.kind === 'date'
        ? t.date
        : newYorkParts(t.ms).date
      : t.kind === 'instant'
        ? isoSeconds(t.ms)
        : `${t.date}T00:00:00Z`;
  return {
    symbol,
    timestamp,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
  };
}

/**
 * Historical bars from TWS through `@stoqey/ib`, obeying the service's rules: daily history in
 * one request (`"N D"` up to 365 days, whole years beyond), hourly history in `"1 M"` chunks,
 * identical requests at least 15 s apart and at most 60 requests per 10 minutes (paced on the
 * client, so the service should never answer 162). A pacing violation that still happens is
 * retried and, if it persists, surfaces as `BrokerError('rate_limit')`. Unknown symbols throw
 * `NotFoundError`. Bars come back ascending, without duplicates, trimmed to the request.
 */
export class IbkrMarketData implements MarketData {
  readonly connection: IbkrConnection;
  private readonly pacer: HistoricalPacer;
  private readonly now: () => number;

  constructor(options: IbkrMarketDataOptions = {}) {
    this.connection = options.connection ?? new IbkrConnection(options);
    this.pacer = new HistoricalPacer(options.pacing);
    this.now = options.now ?? Date.now;
  }

  async getBars(request: BarsRequest): Promise<Bar[]> {
    if (typeof request.symbol !== 'string' || request.symbol.trim() === '') {
      throw new ValidationError('symbol', 'expected a non-empty symbol');
    }
    const chunks = planHistoricalRequests(request, this.now());
    const byTimestamp = new Map<string, Bar>();
    for (const chunk of chunks) {
      const rows = await this.fetch(request.symbol, chunk, request.timeframe);
      // Older months than the symbol's history answer "no data": stop walking back.
      if (rows.length === 0 && byTimestamp.size > 0) break;
      for (const row of rows) {
        const bar = toBar(request.symbol, request.timeframe, row);
        byTimestamp.set(bar.timestamp, bar);
      }
    }
    const bars = [...byTimestamp.values()]
      .filter((b) => this.inRange(b, request))
      .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    validateBars(bars, request.symbol);
    return bars;
  }

  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    const nowMs = this.now();
    const lookbackDays = timeframe === '1Day' ? 14 : 7;
    const start = new Date(nowMs - lookbackDays * 86_400_000).toISOString().slice(0, 10);
    const bars = await this.getBars({ symbol, timeframe, start });
    const last = bars[bars.length - 1];
    if (!last)
      throw new DataError(
        `ibkr: no ${timeframe} bar for ${symbol} in the last ${lookbackDays} days`,
      );
    return last;
  }

  /** Closes the connection this instance uses. */
  close(): void {
    this.connection.close();
  }

  private fetch(
    symbol: string,
    chunk: HistoricalChunk,
    timeframe: Timeframe,
  ): Promise<RawHistoricalBar[]> {
    const key = [symbol, chunk.endDateTime, chunk.durationStr, chunk.barSizeSetting].join('|');
    return this.connection.call(async (api) => {
      await this.pacer.acquire(key);
      return this.connection.historicalBars(api, symbol, chunk, timeframe === '1Day' ? 1 : 2);
    });
  }

  private inRange(bar: Bar, request: BarsRequest): boolean {
    if (request.timeframe === '1Day') {
      if (bar.timestamp < requestStartDate(request.start)) return false;
      if (request.end === undefined) return true;
      const endDate = request.end.length === 10 ? request.end : sessionDateOf(request.end);
      return bar.timestamp <= endDate;
    }
    const startOk =
      request.start.length === 10
        ? sessionDateOf(bar.timestamp) >= request.start
        : bar.timestamp >= request.start;
    if (!startOk) return false;
    if (request.end === undefined) return true;
    return request.end.length === 10
      ? sessionDateOf(bar.timestamp) <= request.end
      : bar.timestamp <= request.end;
  }
}
