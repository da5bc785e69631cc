import {
  silentLogger,
  BrokerError,
  DataError,
  NotFoundError,
  RateLimiter,
  ValidationError,
  type Bar,
  type Logger,
} from '@quantpipe/core';
import { InMemoryMarketData } from '../in-memory-market-data';
import { generateSyntheticMarket } from '../synthetic/generate-market';
import { AlpacaMarketData, type AlpacaMarketDataOptions } from './alpaca-market-data';
import { fetchMarketReturns } from './market-returns';
import { spawnAlpacaEmulator, type SpawnedEmulator } from './testing/spawn-emulator';

const SESSIONS = 300;
// The emulator serves the same deterministic market (default seed, market symbol SPY).
const market = generateSyntheticMarket({
  sessions: SESSIONS,
  marketSymbol: 'SPY',
  // The emulator serves the weekdays calendar (its clock knows no holidays).
  calendar: 'weekdays',
});
const daily = (s: string): readonly Bar[] => market.daily[s] ?? [];
const hourly = (s: string): readonly Bar[] => market.hourly?.[s] ?? [];
const first = market.dates[0] as string;
const last = market.dates[SESSIONS - 1] as string;

let emu: SpawnedEmulator;
const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

function source(extra: Partial<AlpacaMarketDataOptions> = {}): AlpacaMarketData {
  return new AlpacaMarketData({
    keyId: emu.keyId,
    secretKey: emu.secretKey,
    baseUrl: emu.url,
    dataBaseUrl: emu.url,
    retry: fast,
    ...extra,
  });
}

async function stats(): Promise<{ requests: number; byRoute: Record<string, number> }> {
  return (await emu.control('stats', undefined, 'GET')) as {
    requests: number;
    byRoute: Record<string, number>;
  };
}

beforeAll(async () => {
  emu = await spawnAlpacaEmulator(['--sessions', String(SESSIONS)]);
});
afterAll(() => emu.stop());
beforeEach(async () => {
  await emu.control('reset');
});

describe('AlpacaMarketData against the emulator', () => {
  it('follows next_page_token across pages: every bar exactly once, in order (limit across symbols)', async () => {
    const bars = await source({ pageLimit: 70 }).getBarsForSymbols(
      ['SYNB', 'SPY', 'SYNA'],
      '1Day',
      first,
      last,
    );
    expect([...bars.keys()].sort()).toEqual(['SPY', 'SYNA', 'SYNB']);
    for (const s of ['SPY', 'SYNA', 'SYNB']) expect(bars.get(s)).toEqual(daily(s));
    // 900 bars, 70 a page across symbols.
    expect((await stats()).byRoute['GET /v2/stocks/bars']).toBe(Math.ceil((3 * SESSIONS) / 70));
  });

  it('takes a rate-limiter slot for every page it requests (limiter shared with the broker)', async () => {
    let slots = 0;
    class CountingLimiter extends RateLimiter {
      override acquire(): Promise<void> {
        slots++;
        return super.acquire();
      }
    }
    const limiter = new CountingLimiter({ maxCalls: 200, windowMs: 60_000 });
    await source({ pageLimit: 50, rateLimiter: limiter }).getBars({
      symbol: 'SYNH',
      timeframe: '1Day',
      start: first,
      end: last,
    });
    const pages = (await stats()).byRoute['GET /v2/stocks/bars'] ?? 0;
    expect(pages).toBe(SESSIONS / 50);
    expect(slots).toBeGreaterThanOrEqual(pages);
    expect(slots).toBeLessThanOrEqual(pages + 1);
  });

  it('returns hourly bars as ISO-8601 UTC instants', async () => {
    const bars = await source({ pageLimit: 500 }).getBars({
      symbol: 'SYNC',
      timeframe: '1Hour',
      start: first,
      end: last,
    });
    expect(bars).toEqual(hourly('SYNC'));
  });

  it('answers a batch with one download per distinct range, each answer as getBars gives it', async () => {
    const from = market.dates[250] as string;
    const requests = [
      { symbol: 'SYNA', timeframe: '1Day' as const, start: from, end: last },
      { symbol: 'SYNB', timeframe: '1Day' as const, start: from, end: last },
      { symbol: 'SPY', timeframe: '1Day' as const, start: from, end: last },
      { symbol: 'SYNA', timeframe: '1Hour' as const, start: from, end: last },
      { symbol: 'SYNB', timeframe: '1Day' as const, start: from, end: last },
    ];
    const batch = await source().getBarsBatch(requests);
    expect((await stats()).byRoute['GET /v2/stocks/bars']).toBe(2);
    const one = source();
    for (const [i, r] of requests.entries()) expect(batch[i]).toEqual(await one.getBars(r));
    expect(batch[1]).not.toBe(batch[4]);
    await expect(
      source().getBarsBatch([...requests, { symbol: 'NOPE', timeframe: '1Day', start: from }]),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('honours start and end (inclusive session dates)', async () => {
    const from = market.dates[10] as string;
    const to = market.dates[19] as string;
    const bars = await source().getBars({
      symbol: 'SYND',
      timeframe: '1Day',
      start: from,
      end: to,
    });
    expect(bars.map((b) => b.timestamp)).toEqual(market.dates.slice(10, 20));
  });

  it('absorbs a 429 storm in the middle of a download and resumes without duplicates', async () => {
    await emu.control('faults', {
      kind: 'rate_limit',
      count: 3,
      skip: 2,
      pathPrefix: '/v2/stocks',
      retryAfterSeconds: 0,
    });
    const bars = await source({ pageLimit: 100 }).getBarsForSymbols(
      ['SPY', 'SYNA'],
      '1Day',
      first,
      last,
    );
    expect(bars.get('SPY')).toEqual(daily('SPY'));
    expect(bars.get('SYNA')).toEqual(daily('SYNA'));
    // 6 pages + 3 refused requests; the resumed download does not fetch the first pages again.
    expect((await stats()).byRoute['GET /v2/stocks/bars']).toBe(6 + 3);
  });

  it('retries 5xx answers and dropped connections', async () => {
    await emu.control('faults', {
      faults: [
        { kind: 'server_error', status: 503, count: 1, skip: 1, pathPrefix: '/v2/stocks' },
        { kind: 'drop', count: 1, pathPrefix: '/v2/stocks' },
      ],
    });
    const bars = await source({ pageLimit: 120 }).getBars({
      symbol: 'SYNE',
      timeframe: '1Day',
      start: first,
      end: last,
    });
    expect(bars).toEqual(daily('SYNE'));
  });

  it('gives a rate_limit BrokerError when the storm outlasts the retry budget', async () => {
    await emu.control('faults', {
      kind: 'rate_limit',
      count: 50,
      pathPrefix: '/v2/stocks',
      retryAfterSeconds: 0,
    });
    const error = await source()
      .getBars({ symbol: 'SPY', timeframe: '1Day', start: first, end: last })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, venue: 'alpaca' });
    expect((await stats()).byRoute['GET /v2/stocks/bars']).toBe(fast.maxAttempts);
  });

  it('times out a slow page and retries it', async () => {
    await emu.control('faults', {
      kind: 'slow',
      delayMs: 1500,
      count: 1,
      pathPrefix: '/v2/stocks',
    });
    const bars = await source({ timeoutMs: 300 }).getBars({
      symbol: 'SYNF',
      timeframe: '1Day',
      start: first,
      end: last,
    });
    expect(bars).toEqual(daily('SYNF'));
  });

  it('gives typed errors for unknown symbols, malformed symbols and bad credentials', async () => {
    await expect(
      source().getBars({ symbol: 'NOSUCH', timeframe: '1Day', start: first, end: last }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(source().getLatestBar('NOSUCH')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      source().getBars({ symbol: 'BAD$', timeframe: '1Day', start: first }),
    ).rejects.toBeInstanceOf(ValidationError);
    const wrongKey = source({ keyId: 'wrong' }).getBars({
      symbol: 'SPY',
      timeframe: '1Day',
      start: first,
    });
    await expect(wrongKey).rejects.toMatchObject({ kind: 'auth', status: 401 });
    const wrongSecret = source({ secretKey: 'wrong' }).getBars({
      symbol: 'SPY',
      timeframe: '1Day',
      start: first,
    });
    await expect(wrongSecret).rejects.toMatchObject({ kind: 'permission', status: 403 });
    // Auth errors are final: one request each, no retries.
    expect((await stats()).byRoute['GET /v2/stocks/bars']).toBe(3);
  });

  it('refuses ranges beyond the history limits', async () => {
    await expect(
      source().getBars({
        symbol: 'SPY',
        timeframe: '1Hour',
        start: '2015-01-01',
        end: '2018-01-01',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      source().getBars({
        symbol: 'SPY',
        timeframe: '1Day',
        start: '2000-01-01',
        end: '2015-01-01',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('returns the latest daily and hourly bar as of the emulator clock', async () => {
    expect(await source().getLatestBar('SYNG', '1Day')).toEqual(daily('SYNG')[SESSIONS - 1]);
    const latestHour = await source().getLatestBar('SYNG', '1Hour');
    const clock = (await stats()) as unknown as { now: string };
    const visible = hourly('SYNG').filter((b) => b.timestamp <= clock.now);
    expect(latestHour).toEqual(visible[visible.length - 1]);
  });

  it('fetches the SPY benchmark, and falls back to returns x 0.6 with a warning when it fails', async () => {
    const closes = daily('SYNA').map((b) => b.close);
    const assetReturns = closes.map((c, i) =>
      i === 0 ? Number.NaN : c / (closes[i - 1] as number) - 1,
    );
    const dates = market.dates.slice();
    const ok = await fetchMarketReturns(source(), { dates, assetReturns });
    expect(ok.source).toBe('benchmark');
    const spy = daily('SPY');
    expect(ok.returns[0]).toBeNaN();
    expect(ok.returns[5]).toBe((spy[5] as Bar).close / (spy[4] as Bar).close - 1);

    await emu.control('faults', { kind: 'server_error', count: 50, pathPrefix: '/v2/stocks' });
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (_o, msg) => warnings.push(msg ?? ''),
    };
    const fb = await fetchMarketReturns(source(), { dates, assetReturns, logger });
    expect(fb.source).toBe('fallback');
    expect(fb.returns[7]).toBe((assetReturns[7] as number) * 0.6);
    expect(warnings.some((w) => w.includes('SPY fetch failed'))).toBe(true);
  });
});

describe('fetchMarketReturns alignment', () => {
  it('reindexes onto the asset dates and forward-fills like pandas', async () => {
    const bar = (timestamp: string, close: number): Bar => ({
      symbol: 'SPY',
      timestamp,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    });
    const data = new InMemoryMarketData({
      daily: {
        SPY: [
          bar('2024-01-02', 100),
          bar('2024-01-03', 110),
          bar('2024-01-04', 99),
          bar('2024-01-08', 99),
        ],
      },
    });
    const dates = ['2024-01-03', '2024-01-05', '2024-01-08', '2024-01-09'];
    const warnings: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (_o: object | string, msg?: string) => void warnings.push(msg ?? ''),
    };
    const r = await fetchMarketReturns(data, {
      dates,
      assetReturns: [0.1, 0.2, 0.3, 0.4],
      start: '2024-01-01',
      logger,
    });
    // Said, not silent: which dates took an earlier value.
    expect(r.filledDates).toEqual(['2024-01-05', '2024-01-09']);
    expect(warnings).toEqual([
      "SPY has no return on 2 of the asset's dates: its previous return is carried forward there",
    ]);
    // 01-05 is not a benchmark date: it takes 01-03's value (not 01-04's), as reindex().ffill() does.
    expect(r.returns[0]).toBeCloseTo(0.1, 15);
    expect(r.returns[1]).toBeCloseTo(0.1, 15);
    expect(r.returns[2]).toBe(0);
    expect(r.returns[3]).toBe(0);
    await expect(fetchMarketReturns(data, { dates, assetReturns: [1] })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('falls back on any benchmark failure, broken data included, as the spec does', async () => {
    const broken = {
      getBars: () => Promise.reject(new DataError('bad bar')),
      getLatestBar: () => Promise.reject(new DataError('bad bar')),
    };
    const r = await fetchMarketReturns(broken, { dates: ['2024-01-02'], assetReturns: [0.05] });
    expect(r).toEqual({ returns: [0.05 * 0.6], source: 'fallback', filledDates: [] });
  });
});
