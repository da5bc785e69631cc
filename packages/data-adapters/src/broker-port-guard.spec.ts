/**
 * No order with a quantity a venue could misread (NaN, ±Infinity, a fraction, zero, negative,
 * past 2^53, not a number) leaves an adapter: each runs the core broker-port guard first and
 * throws a ValidationError naming `quantity`, before any request reaches the venue.
 */
import {
  ValidationError,
  type Account,
  type Broker,
  type MarketClock,
  type Order,
  type OrderRequest,
} from '@quantpipe/core';
import { AlpacaBroker } from './alpaca/alpaca-broker';
import { spawnAlpacaEmulator, type SpawnedEmulator } from './alpaca/testing/spawn-emulator';
import { DualBrokerAdapter } from './dual/dual-broker-adapter';
import { IbkrBroker } from './ibkr/ibkr-broker';
import { IbkrConnection } from './ibkr/ibkr-connection';
import { InMemoryMarketData } from './in-memory-market-data';

const BAD_QUANTITIES: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -5,
  1.5,
  1e21,
  2 ** 53,
  '10',
  null,
];

const request = (quantity: unknown): OrderRequest =>
  ({
    clientOrderId: 'guard-1',
    symbol: 'SYNA',
    side: 'sell',
    quantity,
    type: 'market',
    timeInForce: 'day',
  }) as OrderRequest;

async function expectQuantityRejected(broker: Broker, quantity: unknown): Promise<void> {
  const error = await broker.submitOrder(request(quantity)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ argument: 'quantity' });
}

/** A broker that records what reaches it. */
class RecordingBroker implements Broker {
  readonly venue = 'recording';
  readonly submitted: OrderRequest[] = [];
  getAccount(): Promise<Account> {
    return Promise.reject(new Error('not used'));
  }
  getPositions = () => Promise.resolve([]);
  getClock(): Promise<MarketClock> {
    return Promise.reject(new Error('not used'));
  }
  submitOrder(r: OrderRequest): Promise<Order> {
    this.submitted.push(r);
    return Promise.resolve({
      ...r,
      id: 'o-1',
      status: 'new',
      filledQuantity: 0,
      submittedAt: '2024-01-02T15:00:00Z',
      updatedAt: '2024-01-02T15:00:00Z',
    });
  }
  getOrderByClientId = () => Promise.resolve(undefined);
  listOpenOrders = () => Promise.resolve([]);
  cancelOrder = () => Promise.resolve();
  listFills = () => Promise.resolve([]);
}

describe('the broker-port guard in every adapter', () => {
  let emu: SpawnedEmulator;
  beforeAll(async () => {
    emu = await spawnAlpacaEmulator(['--sessions', '30', '--cash', '100000']);
  });
  afterAll(() => emu.stop());

  it('AlpacaBroker sends no order with a bad quantity (the emulator sees no POST)', async () => {
    const broker = new AlpacaBroker({
      keyId: emu.keyId,
      secretKey: emu.secretKey,
      baseUrl: emu.url,
      dataBaseUrl: emu.url,
      retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5 },
    });
    for (const quantity of BAD_QUANTITIES) await expectQuantityRejected(broker, quantity);
    const stats = (await emu.control('stats', undefined, 'GET')) as {
      byRoute: Record<string, number>;
    };
    expect(stats.byRoute['POST /v2/orders'] ?? 0).toBe(0);
  });

  it('IbkrBroker rejects a bad quantity before it connects', async () => {
    // Nothing listens on port 1: reaching the network would be a BrokerError, not a ValidationError.
    const connection = new IbkrConnection({ port: 1, retry: { maxAttempts: 1, baseDelayMs: 1 } });
    const broker = new IbkrBroker({ connection });
    try {
      for (const quantity of BAD_QUANTITIES) await expectQuantityRejected(broker, quantity);
      expect(connection.isConnected).toBe(false);
    } finally {
      broker.close();
    }
  });

  it('DualBrokerAdapter passes no bad quantity to its execution half', async () => {
    const inner = new RecordingBroker();
    const dual = new DualBrokerAdapter({
      marketData: new InMemoryMarketData({ daily: {} }),
      broker: inner,
    });
    for (const quantity of BAD_QUANTITIES) await expectQuantityRejected(dual, quantity);
    expect(inner.submitted).toEqual([]);
    await dual.submitOrder(request(12));
    expect(inner.submitted.map((r) => r.quantity)).toEqual([12]);
  });
});
