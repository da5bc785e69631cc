/**
 * Storage bounds what it accepts: symbols (32 characters), ids (256) and JSON payloads and
 * alert text (8 MiB of UTF-8). Anything larger is a ValidationError naming the argument, with
 * a short message (the value is not copied into it), and nothing is written.
 */
import { ValidationError, type Bar } from '@quantpipe/core';
import { openDatabase } from './open-database';
import type { TradingDatabase } from './trading-database';
import { MAX_ID_LENGTH, MAX_JSON_BYTES, MAX_SYMBOL_LENGTH } from './validate';

const bar = (symbol: string): Bar => ({
  symbol,
  timestamp: '2024-01-02',
  open: 10,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 1000,
});

const order = (clientOrderId: string, symbol = 'SYNA') => ({
  clientOrderId,
  symbol,
  side: 'buy' as const,
  quantity: 1,
  type: 'market' as const,
  timeInForce: 'day' as const,
  status: 'new' as const,
  filledQuantity: 0,
  submittedAt: '2024-01-02T15:00:00Z',
  updatedAt: '2024-01-02T15:00:00Z',
});

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  expect(v.message.length).toBeLessThan(300);
  return v;
}

describe('storage size limits', () => {
  let db: TradingDatabase;
  beforeEach(async () => {
    db = await openDatabase('sqlite::memory:');
  });
  afterEach(() => db.close());

  it('refuses a 50 MB symbol in bars, orders and queries, and takes one of 32 characters', async () => {
    const huge = 'S'.repeat(50_000_000);
    expect((await rejection(db.upsertBars('1Day', [bar(huge)]))).argument).toBe('bars[0].symbol');
    expect((await rejection(db.insertOrder(order('c-1', huge)))).argument).toBe('order.symbol');
    expect(
      (await rejection(db.getBars({ symbol: huge, timeframe: '1Day', start: '2024-01-01' })))
        .argument,
    ).toBe('request.symbol');
    expect((await rejection(db.listOrders({ symbol: huge }))).argument).toBe('query.symbol');
    expect(await db.listSymbols('1Day')).toEqual([]);
    const longest = 'S'.repeat(MAX_SYMBOL_LENGTH);
    expect(await db.upsertBars('1Day', [bar(longest)])).toBe(1);
    await rejection(db.upsertBars('1Day', [bar(`${longest}S`)]));
  });

  it('refuses ids longer than 256 characters and takes one of 256', async () => {
    const id = 'i'.repeat(MAX_ID_LENGTH);
    await db.insertOrder(order(id));
    expect((await rejection(db.insertOrder(order(`${id}i`)))).argument).toBe('order.clientOrderId');
    const entry = {
      cycle: 0,
      kind: 'decision' as const,
      timestamp: '2024-01-02T15:00:00Z',
      payload: {},
    };
    expect((await rejection(db.append({ ...entry, runId: `${id}x` }))).argument).toBe(
      'entry.runId',
    );
    expect((await rejection(db.saveState('run', `${id}x`, 1))).argument).toBe('key');
    expect((await db.listOrders()).map((o) => o.clientOrderId)).toEqual([id]);
  });

  it('refuses a 200 MB journal entry and an over-size state, and takes one just under 8 MiB', async () => {
    const entry = {
      runId: 'run',
      cycle: 1,
      kind: 'decision' as const,
      timestamp: '2024-01-02T15:00:00Z',
    };
    const big = await rejection(db.append({ ...entry, payload: { blob: 'x'.repeat(200e6) } }));
    expect(big.argument).toBe('entry.payload');
    expect(big.context).toMatchObject({ maxBytes: MAX_JSON_BYTES });
    // Multi-byte text counts in UTF-8 bytes: 3 MiB of "€" is 9 MiB.
    await rejection(db.saveState('run', 'k', '€'.repeat(3 * 1024 * 1024)));
    const fits = 'x'.repeat(MAX_JSON_BYTES - 20);
    const stored = await db.append({ ...entry, payload: { blob: fits } });
    expect(stored.seq).toBeGreaterThan(0);
    expect((await db.entries({ runId: 'run' })).length).toBe(1);
    expect(await db.loadState('run', 'k')).toBeUndefined();
  });

  it('refuses an alert whose message or context exceeds 8 MiB', async () => {
    const alert = {
      level: 'WARNING' as const,
      title: 'big',
      message: 'm',
      timestamp: '2024-01-02T15:00:00Z',
    };
    expect(
      (await rejection(db.insertAlert({ ...alert, message: 'm'.repeat(MAX_JSON_BYTES + 1) })))
        .argument,
    ).toBe('alert.message');
    expect(
      (await rejection(db.insertAlert({ ...alert, context: { x: 'c'.repeat(MAX_JSON_BYTES) } })))
        .argument,
    ).toBe('alert.context');
    expect(await db.listAlerts()).toEqual([]);
  });
});
