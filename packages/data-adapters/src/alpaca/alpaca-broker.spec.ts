import { BrokerError, StateError, ValidationError, type OrderRequest } from '@quantpipe/core';
import { AlpacaBroker, type AlpacaBrokerOptions } from './alpaca-broker';
import { spawnAlpacaEmulator, type SpawnedEmulator } from './testing/spawn-emulator';

let emu: SpawnedEmulator;
const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

function broker(extra: Partial<AlpacaBrokerOptions> = {}): AlpacaBroker {
  return new AlpacaBroker({
    keyId: emu.keyId,
    secretKey: emu.secretKey,
    baseUrl: emu.url,
    dataBaseUrl: emu.url,
    retry: fast,
    ...extra,
  });
}

function market(
  clientOrderId: string,
  symbol: string,
  side: 'buy' | 'sell',
  quantity: number,
): OrderRequest {
  return { clientOrderId, symbol, side, quantity, type: 'market', timeInForce: 'day' };
}

async function routeCount(route: string): Promise<number> {
  const s = (await emu.control('stats', undefined, 'GET')) as { byRoute: Record<string, number> };
  return s.byRoute[route] ?? 0;
}

beforeAll(async () => {
  emu = await spawnAlpacaEmulator(['--sessions', '120', '--cash', '100000', '--slippage-bps', '5']);
});
afterAll(() => emu.stop());
beforeEach(async () => {
  await emu.control('reset');
  await emu.control('config', { fillMode: 'immediate' });
});

describe('AlpacaBroker against the emulator', () => {
  it('keeps account, positions and fills consistent through buys, sells and shorts', async () => {
    const b = broker();
    const start = await b.getAccount();
    expect(start).toMatchObject({ cashUsd: 100_000, equityUsd: 100_000, buyingPowerUsd: 200_000 });
    const orders = [
      await b.submitOrder(market('c-1', 'SYNA', 'buy', 100)),
      await b.submitOrder(market('c-2', 'SYNB', 'buy', 40)),
      await b.submitOrder(market('c-3', 'SYNA', 'sell', 30)),
      await b.submitOrder(market('c-4', 'SYNC', 'sell', 200)),
    ];
    for (const o of orders)
      expect(o).toMatchObject({ status: 'filled', filledQuantity: o.quantity });
    const fills = await b.listFills();
    expect(fills.map((f) => f.clientOrderId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    const account = await b.getAccount();
    const spent = fills.reduce(
      (sum, f) => sum + (f.side === 'buy' ? 1 : -1) * f.quantity * f.priceUsd,
      0,
    );
    expect(account.cashUsd).toBeCloseTo(100_000 - spent, 6);
    const positions = await b.getPositions();
    expect(positions.map((p) => [p.symbol, p.quantity])).toEqual([
      ['SYNA', 70],
      ['SYNB', 40],
      ['SYNC', -200],
    ]);
    const value = positions.reduce((sum, p) => sum + p.marketValueUsd, 0);
    expect(account.equityUsd).toBeCloseTo(account.cashUsd + value, 6);
    // Gross exposure from the account's long and short market values.
    const gross = positions.reduce((sum, p) => sum + Math.abs(p.marketValueUsd), 0);
    expect(account.grossExposureUsd).toBeCloseTo(gross, 6);
    expect(start.grossExposureUsd).toBe(0);
    for (const p of positions)
      expect(p.marketValueUsd).toBeCloseTo(p.quantity * p.currentPriceUsd, 6);
    // SYNA was bought once: its average entry is that fill's price.
    expect(positions[0]?.avgEntryPriceUsd).toBe(fills[0]?.priceUsd);
    const clock = await b.getClock();
    expect(clock.isOpen).toBe(true);
    expect(Date.parse(clock.nextClose)).toBeGreaterThan(Date.parse(clock.timestamp));
  });

  it('returns the same order when a client order id is submitted again', async () => {
    const b = broker();
    const a = await b.submitOrder(market('dup-1', 'SYND', 'buy', 10));
    const again = await b.submitOrder(market('dup-1', 'SYND', 'buy', 10));
    expect(again.id).toBe(a.id);
    expect(await b.getPositions()).toEqual([
      expect.objectContaining({ symbol: 'SYND', quantity: 10 }),
    ]);
    await expect(b.submitOrder(market('dup-1', 'SYND', 'buy', 11))).rejects.toBeInstanceOf(
      StateError,
    );
    expect(await b.getOrderByClientId('dup-1')).toMatchObject({ id: a.id });
    expect(await b.getOrderByClientId('never-sent')).toBeUndefined();
  });

  it('places an order once when the answer to the POST is lost and the call is retried', async () => {
    await emu.control('faults', {
      kind: 'drop_after',
      count: 1,
      pathPrefix: '/v2/orders',
      method: 'POST',
    });
    const b = broker();
    const order = await b.submitOrder(market('lost-1', 'SYNE', 'buy', 7));
    expect(order).toMatchObject({ clientOrderId: 'lost-1', status: 'filled', quantity: 7 });
    expect((await b.listFills()).filter((f) => f.clientOrderId === 'lost-1')).toHaveLength(1);
    expect((await b.getPositions())[0]).toMatchObject({ symbol: 'SYNE', quantity: 7 });
  });

  it('absorbs 429s within the retry budget, waiting for Retry-After', async () => {
    await emu.control('faults', {
      kind: 'rate_limit',
      count: 1,
      pathPrefix: '/v2/account',
      retryAfterSeconds: 1,
    });
    const t0 = Date.now();
    await expect(broker().getAccount()).resolves.toMatchObject({ cashUsd: 100_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('gives a rate_limit BrokerError with retryAfterMs when the storm outlasts the budget', async () => {
    await emu.control('faults', {
      kind: 'rate_limit',
      count: 20,
      pathPrefix: '/v2/positions',
      retryAfterSeconds: 0,
    });
    await expect(broker().getPositions()).rejects.toMatchObject({
      kind: 'rate_limit',
      status: 429,
      retryAfterMs: 0,
    });
    expect(await routeCount('GET /v2/positions')).toBe(fast.maxAttempts);
  });

  it('retries 5xx and dropped connections', async () => {
    await emu.control('faults', {
      faults: [
        { kind: 'server_error', count: 2, pathPrefix: '/v2/clock' },
        { kind: 'drop', count: 1, pathPrefix: '/v2/clock' },
      ],
    });
    await expect(broker().getClock()).resolves.toMatchObject({ isOpen: true });
    expect(await routeCount('GET /v2/clock')).toBe(4);
  });

  it('maps insufficient buying power, bad credentials and unknown orders to typed errors', async () => {
    const b = broker();
    await expect(b.submitOrder(market('big', 'SYNA', 'buy', 1_000_000))).rejects.toMatchObject({
      kind: 'insufficient_buying_power',
      status: 403,
    });
    await emu.control('faults', {
      kind: 'insufficient_buying_power',
      count: 1,
      pathPrefix: '/v2/orders',
    });
    await expect(b.submitOrder(market('small', 'SYNA', 'buy', 1))).rejects.toMatchObject({
      kind: 'insufficient_buying_power',
    });
    await expect(broker({ keyId: 'wrong' }).getAccount()).rejects.toMatchObject({
      kind: 'auth',
      status: 401,
    });
    await expect(broker({ secretKey: 'wrong' }).getAccount()).rejects.toMatchObject({
      kind: 'permission',
      status: 403,
    });
    await expect(b.cancelOrder('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
    });
    await expect(b.submitOrder(market('unknown', 'NOSUCH', 'buy', 1))).rejects.toMatchObject({
      kind: 'bad_request',
      status: 422,
    });
    await expect(b.submitOrder(market('frac', 'SYNA', 'buy', 1.5))).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('reports a connection error when nothing listens, without leaking the secret', async () => {
    const b = broker({ baseUrl: 'http://127.0.0.1:1', secretKey: 'very-secret-value' });
    const error = await b.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ kind: 'connection' });
    expect(
      JSON.stringify({ ...(error as BrokerError), message: (error as Error).message }),
    ).not.toContain('very-secret-value');
    expect((error as Error).cause).toBeUndefined();
  });

  it('lists open orders and cancels them', async () => {
    await emu.control('config', { fillMode: 'manual' });
    const b = broker();
    const o = await b.submitOrder(market('open-1', 'SYNB', 'buy', 3));
    expect(o.status).toBe('new');
    expect((await b.listOpenOrders()).map((x) => x.clientOrderId)).toEqual(['open-1']);
    await b.cancelOrder(o.id);
    expect(await b.listOpenOrders()).toEqual([]);
    expect(await b.getOrderByClientId('open-1')).toMatchObject({ status: 'canceled' });
    await expect(b.cancelOrder(o.id)).rejects.toMatchObject({ kind: 'bad_request', status: 422 });
  });

  it('follows activity pages for fills and filters them by time', async () => {
    const b = broker();
    for (let i = 0; i < 103; i++)
      await b.submitOrder(market(`many-${i}`, i % 2 ? 'SYNF' : 'SYNG', 'buy', 1));
    const fills = await b.listFills();
    expect(fills).toHaveLength(103);
    expect(new Set(fills.map((f) => f.fillId)).size).toBe(103);
    expect(fills[102]?.clientOrderId).toBe('many-102');
    expect(await routeCount('GET /v2/account/activities')).toBe(2);
    // The emulator clock is frozen: every fill has the same instant, none is after it.
    expect(await b.listFills(fills[0]?.timestamp)).toEqual([]);
  });
});
