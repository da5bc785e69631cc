import {
  BrokerError,
  NotFoundError,
  OrderRejectedError,
  sessionDateOf,
  silentLogger,
  type Bar,
} from '@quantpipe/core';
import { DualBrokerAdapter } from '../dual/dual-broker-adapter';
import { InMemoryMarketData } from '../in-memory-market-data';
import { generateSyntheticMarket } from '../synthetic/generate-market';
import { IbkrBroker } from './ibkr-broker';
import { IbkrConnection } from './ibkr-connection';
import { IbkrMarketData } from './ibkr-market-data';
import { spawnTwsEmulator, type SpawnedTwsEmulator } from './testing/spawn-tws-emulator';

// The emulator serves the default synthetic market; the same generator gives the expected bars.
const market = generateSyntheticMarket();
const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 50, jitter: 0 };
const EMULATOR_IDENTICAL_MS = 2000;
/** The adapters' identical-request gap: the emulator's window plus a margin. */
const CLIENT_IDENTICAL_MS = 2200;

interface EmulatorState {
  orders: { orderRef: string; status: string; filled: number }[];
  positions: { symbol: string; quantity: number }[];
}

describe('IBKR adapters against the TWS emulator (loopback)', () => {
  let tws: SpawnedTwsEmulator;
  let nextClientId = 10;
  const closers: (() => void)[] = [];

  const connection = (): IbkrConnection => {
    const c = new IbkrConnection({
      port: tws.port,
      clientId: nextClientId++,
      retry: FAST_RETRY,
      requestTimeoutMs: 10_000,
    });
    closers.push(() => c.close());
    return c;
  };
  const state = async (): Promise<EmulatorState> =>
    (await tws.control('GET', '/state')) as EmulatorState;

  beforeAll(async () => {
    tws = await spawnTwsEmulator([
      '--control-port',
      '0',
      '--cash',
      '1000000',
      '--pacing-identical-ms',
      String(EMULATOR_IDENTICAL_MS),
      '--pacing-window-ms',
      '600000',
      '--pacing-max-requests',
      '1000',
    ]);
  });
  afterAll(async () => {
    for (const close of closers) close();
    await tws?.stop();
  });

  describe('IbkrMarketData', () => {
    it('returns several years of daily bars in one years-duration request, complete and in order', async () => {
      const data = new IbkrMarketData({
        connection: connection(),
        pacing: { identicalWindowMs: CLIENT_IDENTICAL_MS },
      });
      const bars = await data.getBars({
        symbol: 'SYNA',
        timeframe: '1Day',
        start: '2016-01-04',
        end: '2020-12-31',
      });
      const expected = (market.daily['SYNA'] as Bar[]).filter(
        (b) => b.timestamp >= '2016-01-04' && b.timestamp <= '2020-12-31',
      );
      expect(bars.length).toBe(expected.length);
      expect(bars.length).toBeGreaterThan(1250);
      expect(bars).toEqual(expected);
    });

    it('returns hourly bars chunked by month, complete, in order and without duplicates', async () => {
      const data = new IbkrMarketData({
        connection: connection(),
        pacing: { identicalWindowMs: CLIENT_IDENTICAL_MS },
      });
      const bars = await data.getBars({
        symbol: 'SYNB',
        timeframe: '1Hour',
        start: '2019-01-01',
        end: '2019-06-30',
      });
      const expected = (market.hourly?.['SYNB'] as Bar[]).filter((b) => {
        const d = sessionDateOf(b.timestamp);
        return d >= '2019-01-01' && d <= '2019-06-30';
      });
      expect(bars).toEqual(expected);
      expect(new Set(bars.map((b) => b.timestamp)).size).toBe(bars.length);
      expect(bars.length).toBeGreaterThan(6 * 20 * 7);
    });

    it('delays an identical request client-side instead of triggering pacing error 162', async () => {
      const data = new IbkrMarketData({
        connection: connection(),
        pacing: { identicalWindowMs: CLIENT_IDENTICAL_MS },
      });
      const request = {
        symbol: 'SYNC',
        timeframe: '1Day' as const,
        start: '2020-01-01',
        end: '2020-03-31',
      };
      const first = await data.getBars(request);
      const t0 = Date.now();
      const second = await data.getBars(request);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(EMULATOR_IDENTICAL_MS - 300);
      expect(second).toEqual(first);
    });

    it('surfaces a persisting pacing violation as BrokerError rate_limit after its retries', async () => {
      const request = {
        symbol: 'SYND',
        timeframe: '1Day' as const,
        start: '2021-01-01',
        end: '2021-03-31',
      };
      const paced = new IbkrMarketData({
        connection: connection(),
        pacing: { identicalWindowMs: CLIENT_IDENTICAL_MS },
      });
      await paced.getBars(request);
      // A second client without the identical-request delay, retrying quickly within the window.
      const c = new IbkrConnection({
        port: tws.port,
        clientId: nextClientId++,
        retry: { maxAttempts: 2, baseDelayMs: 20, jitter: 0 },
      });
      closers.push(() => c.close());
      const careless = new IbkrMarketData({ connection: c, pacing: { identicalWindowMs: 0 } });
      // Two calls back to back: whatever the first does, the second repeats an accepted
      // request well inside the service's window, and its quick retry does too.
      await careless.getBars(request).catch(() => undefined);
      const error = await careless.getBars(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({ kind: 'rate_limit', status: 162 });
    });

    it('throws NotFoundError for an unknown symbol (error 200)', async () => {
      const data = new IbkrMarketData({
        connection: connection(),
        pacing: { identicalWindowMs: CLIENT_IDENTICAL_MS },
      });
      await expect(
        data.getBars({
          symbol: 'NOSUCH',
          timeframe: '1Day',
          start: '2020-01-01',
          end: '2020-02-01',
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('reconnects and completes a request whose connection dropped mid-request', async () => {
      await tws.control('POST', '/faults', { historicalDrop: { count: 1 } });
      const warnings: string[] = [];
      const logger = {
        ...silentLogger,
        warn: (_obj: object | string, msg?: string) => void warnings.push(msg ?? ''),
      };
      const c = new IbkrConnection({
        port: tws.port,
        clientId: nextClientId++,
        retry: FAST_RETRY,
        logger,
      });
      closers.push(() => c.close());
      const data = new IbkrMarketData({
        connection: c,
        pacing: { identicalWindowMs: CLIENT_IDENTICAL_MS },
      });
      const bars = await data.getBars({
        symbol: 'SYNE',
        timeframe: '1Day',
        start: '2019-01-01',
        end: '2019-01-31',
      });
      expect(bars.map((b) => b.timestamp)).toEqual(
        (market.daily['SYNE'] as Bar[])
          .filter((b) => b.timestamp >= '2019-01-01' && b.timestamp <= '2019-01-31')
          .map((b) => b.timestamp),
      );
      expect(warnings).toEqual(['ibkr: disconnected', 'ibkr: retrying']);
    });
  });

  describe('IbkrBroker', () => {
    it('reads the account and positions after a filled market order', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      const before = await broker.getAccount();
      expect(before).toMatchObject({
        accountId: 'DU1234567',
        cashUsd: 1_000_000,
        equityUsd: 1_000_000,
        buyingPowerUsd: 1_000_000,
      });
      const order = await broker.submitOrder({
        clientOrderId: 'acct-1',
        symbol: 'SYNF',
        side: 'buy',
        quantity: 20,
        type: 'market',
        timeInForce: 'day',
      });
      expect(order.clientOrderId).toBe('acct-1');
      // TWS reports the commission in its own message after the execution: wait for it (a
      // loaded machine can read the order in between).
      let final = await broker.getOrderByClientId('acct-1');
      for (let i = 0; i < 50 && final?.commissionUsd !== 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        final = await broker.getOrderByClientId('acct-1');
      }
      const lastClose = (market.daily['SYNF'] as Bar[]).at(-1)?.close as number;
      expect(final).toMatchObject({
        status: 'filled',
        filledQuantity: 20,
        filledAvgPriceUsd: lastClose,
        commissionUsd: 1,
      });
      const positions = await broker.getPositions();
      expect(positions).toEqual([
        {
          symbol: 'SYNF',
          quantity: 20,
          avgEntryPriceUsd: expect.closeTo((20 * lastClose + 1) / 20, 9),
          currentPriceUsd: lastClose,
          marketValueUsd: expect.closeTo(20 * lastClose, 9),
          unrealizedPnlUsd: expect.closeTo(-1, 9),
        },
      ]);
      const after = await broker.getAccount();
      expect(after.cashUsd).toBeCloseTo(1_000_000 - 20 * lastClose - 1, 6);
      expect(after.grossExposureUsd).toBeCloseTo(20 * lastClose, 6);
      const fills = await broker.listFills();
      expect(fills.filter((f) => f.clientOrderId === 'acct-1')).toEqual([
        expect.objectContaining({
          symbol: 'SYNF',
          side: 'buy',
          quantity: 20,
          priceUsd: lastClose,
          commissionUsd: 1,
        }),
      ]);
    });

    it('is idempotent on clientOrderId, also for a new broker instance (restart)', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      const request = {
        clientOrderId: 'idem-1',
        symbol: 'SYNG',
        side: 'buy' as const,
        quantity: 3,
        type: 'market' as const,
        timeInForce: 'day' as const,
      };
      const a = await broker.submitOrder(request);
      const b = await broker.submitOrder(request);
      expect(b.id).toBe(a.id);
      const restarted = new IbkrBroker({ connection: connection() });
      const c = await restarted.submitOrder(request);
      expect(c.id).toBe(a.id);
      expect(c.status).toBe('filled');
      expect((await state()).orders.filter((o) => o.orderRef === 'idem-1')).toHaveLength(1);
    });

    it('reports a disconnect during an order and recovers its final state after reconnect', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      await broker.connect();
      await tws.control('POST', '/faults', { orderDrop: { mode: 'before-fill', count: 1 } });
      const request = {
        clientOrderId: 'drop-1',
        symbol: 'SYNH',
        side: 'buy' as const,
        quantity: 7,
        type: 'market' as const,
        timeInForce: 'day' as const,
      };
      const error = await broker.submitOrder(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({ kind: 'connection' });
      const recovered = await broker.getOrderByClientId('drop-1');
      expect(recovered).toMatchObject({
        clientOrderId: 'drop-1',
        status: 'filled',
        filledQuantity: 7,
      });
      // Resubmitting after the recovery does not create a second order.
      const again = await broker.submitOrder(request);
      expect(again.id).toBe(recovered?.id);
      expect((await state()).orders.filter((o) => o.orderRef === 'drop-1')).toHaveLength(1);
    });

    it('recovers a fill booked before the connection dropped (after-fill fault)', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      await broker.connect();
      await tws.control('POST', '/faults', { orderDrop: { mode: 'after-fill', count: 1 } });
      const request = {
        clientOrderId: 'drop-2',
        symbol: 'SYNA',
        side: 'buy' as const,
        quantity: 2,
        type: 'market' as const,
        timeInForce: 'gtc' as const,
      };
      await expect(broker.submitOrder(request)).rejects.toMatchObject({ kind: 'connection' });
      await expect(broker.getOrderByClientId('drop-2')).resolves.toMatchObject({
        status: 'filled',
        filledQuantity: 2,
      });
    });

    it('knows nothing of an order the venue never received, so it can be resent', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      await broker.connect();
      await tws.control('POST', '/faults', { orderDrop: { mode: 'order-lost', count: 1 } });
      const request = {
        clientOrderId: 'lost-1',
        symbol: 'SYNB',
        side: 'buy' as const,
        quantity: 1,
        type: 'market' as const,
        timeInForce: 'day' as const,
      };
      await expect(broker.submitOrder(request)).rejects.toMatchObject({ kind: 'connection' });
      await expect(broker.getOrderByClientId('lost-1')).resolves.toBeUndefined();
      const resent = await broker.submitOrder(request);
      expect(resent.clientOrderId).toBe('lost-1');
      await expect(broker.getOrderByClientId('lost-1')).resolves.toMatchObject({
        status: 'filled',
      });
    });

    it('gives OrderRejectedError for an order beyond the buying power (201) and NotFoundError for an unknown symbol (200)', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      const rejected = await broker
        .submitOrder({
          clientOrderId: 'big-1',
          symbol: 'SYNA',
          side: 'buy',
          quantity: 10_000_000,
          type: 'market',
          timeInForce: 'day',
        })
        .catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(OrderRejectedError);
      expect(rejected).toMatchObject({
        clientOrderId: 'big-1',
        context: { ibCode: 201, kind: 'insufficient_buying_power' },
      });
      await expect(broker.getOrderByClientId('big-1')).resolves.toMatchObject({
        status: 'rejected',
      });
      await expect(
        broker.submitOrder({
          clientOrderId: 'bad-sym',
          symbol: 'NOSUCH',
          side: 'buy',
          quantity: 1,
          type: 'market',
          timeInForce: 'day',
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists and cancels an open limit order', async () => {
      const broker = new IbkrBroker({ connection: connection() });
      const order = await broker.submitOrder({
        clientOrderId: 'lmt-1',
        symbol: 'SYNC',
        side: 'buy',
        quantity: 5,
        type: 'limit',
        limitPriceUsd: 0.01,
        timeInForce: 'gtc',
      });
      expect(order.status).toBe('new');
      expect((await broker.listOpenOrders()).map((o) => o.clientOrderId)).toContain('lmt-1');
      await broker.cancelOrder(order.id);
      await expect(broker.getOrderByClientId('lmt-1')).resolves.toMatchObject({
        status: 'canceled',
      });
      expect((await broker.listOpenOrders()).map((o) => o.clientOrderId)).not.toContain('lmt-1');
      await expect(broker.cancelOrder(order.id)).rejects.toBeInstanceOf(BrokerError);
    });
  });

  describe('DualBrokerAdapter', () => {
    it('takes data from the market-data side and executes on the IBKR side', async () => {
      const data = new InMemoryMarketData({
        daily: { SYNA: (market.daily['SYNA'] as Bar[]).slice(0, 30) },
      });
      const broker = new IbkrBroker({ connection: connection() });
      const dual = new DualBrokerAdapter({ marketData: data, broker });
      expect(dual.venue).toBe('dual');
      await expect(
        dual.getBars({ symbol: 'SYNA', timeframe: '1Day', start: '2015-01-01' }),
      ).resolves.toEqual((market.daily['SYNA'] as Bar[]).slice(0, 30));
      await expect(dual.getLatestBar('SYNA')).resolves.toEqual((market.daily['SYNA'] as Bar[])[29]);
      const request = { symbol: 'SYNA', timeframe: '1Day' as const, start: '2015-01-01' };
      await expect(dual.getBarsBatch([request, request])).resolves.toEqual([
        (market.daily['SYNA'] as Bar[]).slice(0, 30),
        (market.daily['SYNA'] as Bar[]).slice(0, 30),
      ]);
      // A data side without a batch is asked once per request.
      const single = new DualBrokerAdapter({
        marketData: { getBars: (r) => data.getBars(r), getLatestBar: (s) => data.getLatestBar(s) },
        broker,
      });
      await expect(single.getBarsBatch([request])).resolves.toEqual([
        (market.daily['SYNA'] as Bar[]).slice(0, 30),
      ]);
      await dual.submitOrder({
        clientOrderId: 'dual-1',
        symbol: 'SYND',
        side: 'buy',
        quantity: 4,
        type: 'market',
        timeInForce: 'day',
      });
      await expect(dual.getOrderByClientId('dual-1')).resolves.toMatchObject({
        status: 'filled',
        filledQuantity: 4,
      });
      expect((await state()).orders.filter((o) => o.orderRef === 'dual-1')).toHaveLength(1);
      expect((await dual.getPositions()).map((p) => p.symbol)).toContain('SYND');
      expect((await dual.getAccount()).accountId).toBe('DU1234567');
    });
  });
});
