import { generateSyntheticMarket } from '@quantpipe/data-adapters';
import { startAlpacaEmulator, type AlpacaEmulator } from './emulator';
import { parseEmulatorArgs } from './cli-args';
import { parseFaultSpec } from './faults';
import { dailyBarInstant, marketClockAt } from './market-hours';

const market = generateSyntheticMarket({
  sessions: 60,
  marketSymbol: 'SPY',
  symbols: [
    { symbol: 'AAA', beta: 1, idioVolDaily: 0.01, startPriceUsd: 50 },
    { symbol: 'BBB', beta: 0.8, idioVolDaily: 0.01, startPriceUsd: 20 },
  ],
});

let emu: AlpacaEmulator;
let auth: Record<string, string>;

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${emu.url}${path}`, {
    ...init,
    headers: { ...auth, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? undefined : JSON.parse(text),
    headers: res.headers,
  };
}

function order(
  clientOrderId: string,
  side: 'buy' | 'sell',
  qty: number,
  symbol = 'AAA',
): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      symbol,
      qty: String(qty),
      side,
      type: 'market',
      time_in_force: 'day',
      client_order_id: clientOrderId,
    }),
  };
}

beforeAll(async () => {
  emu = await startAlpacaEmulator({
    bars: { kind: 'bars', daily: market.daily, hourly: market.hourly ?? {} },
    slippageBps: 10,
  });
  auth = { 'APCA-API-KEY-ID': emu.keyId, 'APCA-API-SECRET-KEY': emu.secretKey };
});
afterAll(() => emu.close());

describe('market hours', () => {
  it('stamps daily bars at midnight New York, in winter and summer', () => {
    expect(dailyBarInstant('2024-01-15')).toBe('2024-01-15T05:00:00Z');
    expect(dailyBarInstant('2024-07-15')).toBe('2024-07-15T04:00:00Z');
  });
  it('knows when the market is open', () => {
    expect(marketClockAt(Date.parse('2024-07-15T14:00:00Z')).isOpen).toBe(true); // 10:00 EDT
    expect(marketClockAt(Date.parse('2024-07-15T13:00:00Z')).isOpen).toBe(false); // 09:00 EDT
    const sat = marketClockAt(Date.parse('2024-07-13T15:00:00Z'));
    expect(sat.isOpen).toBe(false);
    expect(new Date(sat.nextOpenMs).toISOString()).toBe('2024-07-15T13:30:00.000Z');
  });
});

describe('auth', () => {
  it('answers 401 to an unknown key and 403 to a wrong secret', async () => {
    const a = await fetch(`${emu.url}/v2/account`, {
      headers: { 'APCA-API-KEY-ID': 'nope', 'APCA-API-SECRET-KEY': emu.secretKey },
    });
    expect(a.status).toBe(401);
    const b = await fetch(`${emu.url}/v2/account`, {
      headers: { 'APCA-API-KEY-ID': emu.keyId, 'APCA-API-SECRET-KEY': 'nope' },
    });
    expect(b.status).toBe(403);
  });
});

describe('bars', () => {
  it('pages across symbols with limit counted across symbols and returns every bar once', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const q = new URLSearchParams({
        symbols: 'BBB,AAA',
        timeframe: '1Day',
        start: '2015-01-01',
        limit: '7',
      });
      if (token) q.set('page_token', token);
      const r = await call(`/v2/stocks/bars?${q}`);
      expect(r.status).toBe(200);
      const body = r.body as {
        bars: Record<string, { t: string }[]>;
        next_page_token: string | null;
      };
      const count = Object.values(body.bars).reduce((n, l) => n + l.length, 0);
      expect(count).toBeLessThanOrEqual(7);
      for (const [s, list] of Object.entries(body.bars))
        for (const b of list) seen.push(`${s} ${b.t}`);
      token = body.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil(120 / 7));
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]?.startsWith('AAA')).toBe(true);
    expect(seen[119]?.startsWith('BBB')).toBe(true);
  });

  it('serves the single-symbol endpoint with its own pagination and descending order', async () => {
    const first = await call(
      '/v2/stocks/AAA/bars?timeframe=1Hour&start=2015-01-01&limit=100&sort=desc',
    );
    const body = first.body as {
      symbol: string;
      bars: { t: string }[];
      next_page_token: string | null;
    };
    expect(body.symbol).toBe('AAA');
    expect(body.bars).toHaveLength(100);
    const visible = (market.hourly?.['AAA'] ?? []).filter(
      (b) => Date.parse(b.timestamp) <= emu.clock.now(),
    );
    expect(body.bars[0]?.t).toBe(visible.at(-1)?.timestamp);
    expect(body.bars[1]?.t).toBe(visible.at(-2)?.timestamp);
    expect(body.next_page_token).not.toBeNull();
    const unknown = await call('/v2/stocks/ZZZ/bars?timeframe=1Day&start=2015-01-01');
    expect(unknown.body).toEqual({ bars: [], symbol: 'ZZZ', next_page_token: null });
    expect((await call('/v2/stocks/ZZZ/bars/latest')).status).toBe(404);
  });

  it('rejects bad parameters and tokens with 400', async () => {
    expect((await call('/v2/stocks/bars?symbols=AAA&timeframe=1Min')).status).toBe(400);
    expect((await call('/v2/stocks/bars?symbols=AAA&timeframe=1Day&limit=10001')).status).toBe(400);
    expect((await call('/v2/stocks/bars?symbols=AAA&timeframe=1Day&page_token=zzz')).status).toBe(
      400,
    );
    expect((await call('/v2/stocks/bars?symbols=A$A&timeframe=1Day')).status).toBe(400);
  });

  it('serves no bar after its clock', async () => {
    const r = await call('/v2/stocks/bars/latest?symbols=AAA');
    const t = (r.body as { bars: Record<string, { t: string }> }).bars['AAA']?.t ?? '';
    expect(Date.parse(t)).toBeLessThanOrEqual(emu.clock.now());
  });
});

describe('trading', () => {
  it('fills market orders with slippage and keeps cash, positions and equity consistent', async () => {
    const latest = (await call('/v2/stocks/AAA/bars/latest')).body as { bar: { c: number } };
    const buy = await call('/v2/orders', order('t-1', 'buy', 10));
    expect(buy.status).toBe(200);
    const filled = buy.body as { status: string; filled_avg_price: string; filled_qty: string };
    expect(filled.status).toBe('filled');
    expect(Number(filled.filled_avg_price)).toBe(Math.round(latest.bar.c * 1.001 * 1e4) / 1e4);
    const account = (await call('/v2/account')).body as Record<string, string>;
    expect(Number(account['cash'])).toBeCloseTo(100_000 - 10 * Number(filled.filled_avg_price), 6);
    expect(Number(account['equity'])).toBeCloseTo(Number(account['cash']) + 10 * latest.bar.c, 6);
    const dup = await call('/v2/orders', order('t-1', 'buy', 10));
    expect(dup.status).toBe(422);
    const flip = await call('/v2/orders', order('t-2', 'sell', 15));
    expect(flip.status).toBe(403);
    const close = await call('/v2/orders', order('t-3', 'sell', 10));
    expect((close.body as { status: string }).status).toBe('filled');
    const positions = (await call('/v2/positions')).body as unknown[];
    expect(positions).toHaveLength(0);
    const short = await call('/v2/orders', order('t-4', 'sell', 5, 'BBB'));
    expect(short.status).toBe(200);
    const pos = (await call('/v2/positions')).body as { qty: string; side: string }[];
    expect(pos[0]).toMatchObject({ qty: '-5', side: 'short' });
  });

  it('refuses orders beyond buying power with 403 40310000', async () => {
    const r = await call('/v2/orders', order('t-big', 'buy', 1_000_000));
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ code: 40310000, message: 'insufficient buying power' });
  });
});

describe('faults', () => {
  it('injects 429 with rate-limit headers, then serves normally', async () => {
    emu.faults.add({ kind: 'rate_limit', count: 2, pathPrefix: '/v2/clock', retryAfterSeconds: 3 });
    const a = await call('/v2/clock');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect(a.headers.get('x-ratelimit-limit')).toBe('200');
    expect(a.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect((await call('/v2/clock')).status).toBe(429);
    expect((await call('/v2/clock')).status).toBe(200);
  });

  it('drops connections and answers 5xx when told to over the control endpoint', async () => {
    await fetch(`${emu.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        faults: [
          { kind: 'drop', count: 1 },
          { kind: 'server_error', status: 503, count: 1 },
        ],
      }),
    });
    await expect(call('/v2/account')).rejects.toThrow();
    expect((await call('/v2/account')).status).toBe(503);
    expect((await call('/v2/account')).status).toBe(200);
  });
});

describe('CLI arguments', () => {
  it('parses flags and refuses non-loopback hosts', () => {
    const o = parseEmulatorArgs([
      '--port',
      '0',
      '--synthetic',
      '--sessions',
      '10',
      '--fault',
      'rate_limit:3:/v2/stocks',
    ]);
    expect(o.port).toBe(0);
    expect(o.faults).toEqual([parseFaultSpec('rate_limit:3:/v2/stocks')]);
    expect(() => parseEmulatorArgs(['--host', '0.0.0.0'])).toThrow(RangeError);
    expect(() => parseFaultSpec('explode')).toThrow(RangeError);
  });
});
