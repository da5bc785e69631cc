import {
  DataError,
  NotFoundError,
  sessionDateOf,
  validateBars,
  ValidationError,
  type Bar,
  type BarsRequest,
  type MarketData,
  type Timeframe,
} from '@quantpipe/core';
import {
  createAlpacaClient,
  type AlpacaConnectionOptions,
  type AlpacaRestClient,
} from './alpaca-client';
import { AlpacaCallPolicy } from './call-policy';
import { asRecord, num, str } from './wire';

/** Alpaca's price adjustment of historical bars. */
export type AlpacaAdjustment = 'raw' | 'split' | 'dividend' | 'all';
/** Alpaca's market-data feed: `iex` is free, `sip` needs a subscription. */
export type AlpacaFeed = 'iex' | 'sip' | 'delayed_sip' | 'otc' | 'boats' | 'overnight';

/** Options of {@link AlpacaMarketData}. */
export interface AlpacaMarketDataOptions extends AlpacaConnectionOptions {
  /** Default `all` (splits and dividends), as the spec's research uses. */
  readonly adjustment?: AlpacaAdjustment;
  /** Default `iex` (free plans). */
  readonly feed?: AlpacaFeed;
  /** Bars per page requested (max 10 000, Alpaca's maximum). Default 10 000. */
  readonly pageLimit?: number;
  /** How far back daily history may reach. Default 10 years (the spec's limit). */
  readonly maxDailyYears?: number;
  /** How far back hourly history may reach. Default 2 years. */
  readonly maxHourlyYears?: number;
  /** For tests: a client to use instead of creating one. */
  readonly client?: AlpacaRestClient;
}

const YEAR_MS = 365.25 * 86_400_000;
const DAY_MS = 86_400_000;

/** A request instant as Alpaca wants it: dates widen to the whole UTC day (start 00:00, end 23:59:59). */
function toRfc3339(value: string, edge: 'start' | 'end', argument: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return `${value}T${edge === 'start' ? '00:00:00' : '23:59:59'}Z`;
  if (Number.isNaN(Date.parse(value)))
    throw new ValidationError(argument, `not an ISO date or instant: ${JSON.stringify(value)}`);
  return value;
}

// Midnight New York is 04:00Z (EDT) or 05:00Z (EST) of the same date: the common case needs no
// time-zone conversion, which is most of the cost of a long daily history.
const MIDNIGHT_NEW_YORK = /^(\d{4}-\d{2}-\d{2})T0[45]:00:00(\.0+)?Z$/;

/** The session date of Alpaca's daily-bar instant. */
function dailySessionDate(t: string): string {
  return MIDNIGHT_NEW_YORK.exec(t)?.[1] ?? sessionDateOf(t);
}

/** A bar from the client (`{Symbol, Timestamp, OpenPrice, ...}`) as a core Bar. */
function toBar(raw: unknown, timeframe: Timeframe): Bar {
  const r = asRecord(raw, 'bar');
  const what = 'bar';
  const t = str(r, 'Timestamp', what);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new DataError(`alpaca bar timestamp is invalid: ${t}`);
  return {
    symbol: str(r, 'Symbol', what),
    // Alpaca stamps a daily bar with midnight New York of its session.
    timestamp:
      timeframe === '1Day' ? dailySessionDate(t) : new Date(ms).toISOString().replace('.000Z', 'Z'),
    open: num(r, 'OpenPrice', what),
    high: num(r, 'HighPrice', what),
    low: num(r, 'LowPrice', what),
    close: num(r, 'ClosePrice', what),
    volume: num(r, 'Volume', what),
  };
}

function noBars(request: BarsRequest): NotFoundError {
  return new NotFoundError(
    `alpaca has no ${request.timeframe} bars for ${request.symbol} in ${request.start}..${request.end ?? 'now'} (unknown symbol or no data)`,
    { context: { symbol: request.symbol, timeframe: request.timeframe } },
  );
}

/** One step of a multi-symbol download: the symbols still to fetch from a start instant. */
interface PendingRequest {
  readonly symbols: string[];
  readonly start: string;
}

/**
 * {@link MarketData} from Alpaca's market-data API v2 through the official client
 * (`getMultiBarsAsyncV2`): daily bars up to 10 years back, hourly up to 2 years, `adjustment=all`
 * and `feed=iex` by default, every `next_page_token` followed. Each page takes a rate-limiter
 * slot; a failed page is retried and the download resumes after the last bar received, so a
 * 429 storm in the middle of a long history neither restarts it nor duplicates bars.
 *
 * Daily bars are stamped with their session date (`YYYY-MM-DD`), hourly bars with the bar start
 * in ISO-8601 UTC. Every series is checked with `validateBars`.
 */
export class AlpacaMarketData implements MarketData {
  private readonly client: AlpacaRestClient;
  private readonly policy: AlpacaCallPolicy;
  private readonly adjustment: AlpacaAdjustment;
  private readonly feed: AlpacaFeed;
  private readonly pageLimit: number;
  private readonly maxYears: Record<Timeframe, number>;

  constructor(options: AlpacaMarketDataOptions) {
    this.client = options.client ?? createAlpacaClient(options);
    this.policy = new AlpacaCallPolicy(options);
    this.adjustment = options.adjustment ?? 'all';
    this.feed = options.feed ?? 'iex';
    this.pageLimit = options.pageLimit ?? 10_000;
    if (!Number.isInteger(this.pageLimit) || this.pageLimit < 1 || this.pageLimit > 10_000) {
      throw new ValidationError(
        'pageLimit',
        `expected an integer in 1..10000, got ${this.pageLimit}`,
      );
    }
    this.maxYears = { '1Day': options.maxDailyYears ?? 10, '1Hour': options.maxHourlyYears ?? 2 };
  }

  private checkRange(timeframe: Timeframe, start: string, end: string | undefined): void {
    // Without an end the range runs to the data's "now", which is not known here: not checked.
    if (end === undefined) return;
    const startMs = Date.parse(start);
    const endMs = Date.parse(end);
    if (endMs < startMs) throw new ValidationError('end', `end ${end} is before start ${start}`);
    const years = this.maxYears[timeframe];
    if (endMs - startMs > years * YEAR_MS + 2 * DAY_MS) {
      throw new ValidationError(
        'start',
        `${timeframe} history is limited to ${years} years; ${start}..${end} is longer`,
      );
    }
  }

  /**
   * Bars of several symbols in one paginated download (`limit` counts across symbols, as
   * Alpaca pages them). Symbols without bars in the range are absent from the map.
   */
  async getBarsForSymbols(
    symbols: readonly string[],
    timeframe: Timeframe,
    start: string,
    end?: string,
  ): Promise<Map<string, Bar[]>> {
    if (symbols.length === 0)
      throw new ValidationError('symbols', 'at least one symbol is required');
    for (const s of symbols) {
      if (typeof s !== 'string' || !/^[A-Za-z0-9.]{1,12}$/.test(s))
        throw new ValidationError('symbols', `invalid symbol ${JSON.stringify(s)}`);
    }
    if (timeframe !== '1Day' && timeframe !== '1Hour')
      throw new ValidationError('timeframe', `expected 1Day or 1Hour, got ${String(timeframe)}`);
    const startIso = toRfc3339(start, 'start', 'start');
    const endIso = end === undefined ? undefined : toRfc3339(end, 'end', 'end');
    this.checkRange(timeframe, startIso, endIso);

    const out = new Map<string, Bar[]>();
    const done = new Set<string>();
    let lastSeen: { symbol: string; t: string } | undefined;
    const wanted = [...new Set(symbols.map((s) => s.toUpperCase()))];

    const attempt = async (): Promise<void> => {
      // Resume: the symbol cut off mid-way restarts after its last bar; untouched ones from start.
      const plan: PendingRequest[] = [];
      if (lastSeen && !done.has(lastSeen.symbol)) {
        plan.push({
          symbols: [lastSeen.symbol],
          start: new Date(Date.parse(lastSeen.t) + 1000).toISOString(),
        });
      }
      const fresh = wanted.filter((s) => !done.has(s) && !out.has(s));
      if (fresh.length > 0) plan.push({ symbols: fresh, start: startIso });
      for (const step of plan)
        await this.download(
          step,
          timeframe,
          endIso,
          out,
          done,
          (s, t) => (lastSeen = { symbol: s, t }),
        );
    };
    await this.policy.run(`bars ${timeframe} ${wanted.join(',')}`, attempt);
    for (const [symbol, bars] of out) validateBars(bars, symbol);
    return out;
  }

  private async download(
    step: PendingRequest,
    timeframe: Timeframe,
    endIso: string | undefined,
    out: Map<string, Bar[]>,
    done: Set<string>,
    seen: (symbol: string, t: string) => void,
  ): Promise<void> {
    const operation = `bars ${timeframe} ${step.symbols.join(',')}`;
    const pages = this.client.getMultiBarsAsyncV2(step.symbols, {
      timeframe,
      start: step.start,
      ...(endIso !== undefined ? { end: endIso } : {}),
      adjustment: this.adjustment,
      feed: this.feed,
      sort: 'asc',
      pageLimit: this.pageLimit,
    });
    let received = 0;
    let current: string | undefined;
    for (;;) {
      // The client asks for the next page when the previous one is used up: that is when a
      // rate-limiter slot is taken (at worst one slot too many, never one too few).
      if (received % this.pageLimit === 0) await this.policy.acquire();
      const item = await this.policy.withTimeout(pages.next(), operation);
      if (item.done) break;
      received++;
      const raw = asRecord(item.value, 'bar');
      const bar = toBar(raw, timeframe);
      const symbol = bar.symbol.toUpperCase();
      if (symbol !== current) {
        // Alpaca pages symbol after symbol: a new symbol means the previous one is complete.
        if (current !== undefined) done.add(current);
        current = symbol;
      }
      let list = out.get(symbol);
      if (!list) out.set(symbol, (list = []));
      list.push(bar);
      seen(symbol, str(raw, 'Timestamp', 'bar'));
    }
    for (const s of step.symbols) done.add(s.toUpperCase());
  }

  /** Bars of one symbol; NotFoundError when Alpaca has none in the range (unknown symbol). */
  async getBars(request: BarsRequest): Promise<Bar[]> {
    const bars = await this.getBarsForSymbols(
      [request.symbol],
      request.timeframe,
      request.start,
      request.end,
    );
    const list = bars.get(request.symbol.toUpperCase());
    if (!list || list.length === 0) throw noBars(request);
    return list;
  }

  /**
   * The requests answered as {@link AlpacaMarketData.getBars} answers each, with one paginated
   * download per distinct (timeframe, start, end): an engine refreshing its universe asks for
   * every symbol from the same last bar, so a cycle costs one request instead of one per symbol.
   * A symbol without bars in its range fails the batch with NotFoundError, as `getBars` would.
   */
  async getBarsBatch(requests: readonly BarsRequest[]): Promise<Bar[][]> {
    const groups = new Map<string, { request: BarsRequest; symbols: string[] }>();
    const keys = requests.map((r) => {
      const key = `${r.timeframe}\u0000${r.start}\u0000${r.end ?? ''}`;
      const group = groups.get(key);
      if (group) group.symbols.push(r.symbol);
      else groups.set(key, { request: r, symbols: [r.symbol] });
      return key;
    });
    const fetched = new Map<string, Map<string, Bar[]>>();
    for (const [key, { request, symbols }] of groups)
      fetched.set(
        key,
        await this.getBarsForSymbols(symbols, request.timeframe, request.start, request.end),
      );
    const handedOut = new Set<Bar[]>();
    return requests.map((r, i) => {
      const list = fetched.get(keys[i] as string)?.get(r.symbol.toUpperCase());
      if (!list || list.length === 0) throw noBars(r);
      // Each answer is its own array, as from getBars (a symbol asked twice gets a copy).
      if (handedOut.has(list)) return [...list];
      handedOut.add(list);
      return list;
    });
  }

  /**
   * The latest bar of a timeframe. Alpaca's latest-bar endpoint answers with a minute bar, so
   * it is only used to find "now" on the data's own clock; the bar itself comes from the
   * historical endpoint (the last one before that instant).
   */
  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    const latest = await this.getLatestMinuteBars([symbol]);
    const anchor = latest.get(symbol.toUpperCase());
    if (!anchor)
      throw new NotFoundError(`alpaca has no latest bar for ${symbol}`, { context: { symbol } });
    const anchorMs = Date.parse(
      anchor.timestamp.length === 10 ? `${anchor.timestamp}T00:00:00Z` : anchor.timestamp,
    );
    const end = new Date(anchorMs + DAY_MS).toISOString();
    const start = new Date(anchorMs - (timeframe === '1Day' ? 30 : 10) * DAY_MS).toISOString();
    const bars = await this.getBars({ symbol, timeframe, start, end });
    return bars[bars.length - 1] as Bar;
  }

  /**
   * Alpaca's latest bars (`GET /v2/stocks/bars/latest`): the last minute bar of each symbol,
   * stamped as an ISO-8601 UTC instant. Symbols Alpaca does not know are absent.
   */
  async getLatestMinuteBars(symbols: readonly string[]): Promise<Map<string, Bar>> {
    const wanted = symbols.map((s) => s.toUpperCase());
    const raw = await this.policy.request(`latest bars ${wanted.join(',')}`, () =>
      this.client.getLatestBars(wanted),
    );
    const out = new Map<string, Bar>();
    for (const [symbol, value] of raw) {
      const bar = toBar({ ...asRecord(value, 'bar'), Symbol: symbol }, '1Hour');
      validateBars([bar], symbol);
      out.set(symbol, bar);
    }
    return out;
  }
}
