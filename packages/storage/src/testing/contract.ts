/**
 * The storage contract: one suite, run unchanged against every target (SQLite memory,
 * SQLite file, PostgreSQL) by the *.spec.ts files next to src/.
 */
import {
  NotFoundError,
  StateError,
  StorageError,
  ValidationError,
  type Bar,
  type Fill,
  type JsonValue,
  type Position,
} from '@quantpipe/core';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { sql } from 'kysely';
import { DuplicateKeyError, SchemaVersionError } from '../errors';
import { MIGRATION_TABLE, SCHEMA_VERSION, storageMigrations } from '../migrations';
import type { OrderRecord } from '../records';
import type { TradingDatabase } from '../trading-database';
import type { FreshDatabase, StorageTarget } from './targets';

/** 123456789.123456789 as JS reads it (the nearest double; the literal itself trips lint). */
const LONG_DECIMAL = Number('123456789.123456789');

/** Values that break lossy storage (text with limited digits, float4, numeric rounding). */
export const AWKWARD_NUMBERS: readonly number[] = [
  0.1 + 0.2,
  1e-300,
  LONG_DECIMAL,
  1 / 3,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  2 ** 53 - 1,
  (2 ** 53 + 2) / 3,
  Number('0.000123456789012345678'),
  98765.43210987654,
];

function dailyBar(symbol: string, timestamp: string, close: number, volume = 1000): Bar {
  return { symbol, timestamp, open: close, high: close * 1.01, low: close * 0.99, close, volume };
}

function hourlyBars(symbol: string, day: string, count: number): Bar[] {
  return Array.from({ length: count }, (_, h) =>
    dailyBar(symbol, `${day}T${String(14 + h).padStart(2, '0')}:00:00Z`, 100 + h),
  );
}

function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    clientOrderId: 'run1-c1-AAPL-open',
    runId: 'run1',
    symbol: 'AAPL',
    side: 'buy',
    quantity: 100,
    type: 'market',
    timeInForce: 'day',
    status: 'new',
    filledQuantity: 0,
    submittedAt: '2024-03-01T15:00:00Z',
    updatedAt: '2024-03-01T15:00:00Z',
    ...overrides,
  };
}

function fill(overrides: Partial<Fill> = {}): Fill {
  return {
    fillId: 'f1',
    orderId: 'venue-1',
    clientOrderId: 'run1-c1-AAPL-open',
    symbol: 'AAPL',
    side: 'buy',
    quantity: 40,
    priceUsd: 101.25,
    commissionUsd: 0.4,
    timestamp: '2024-03-01T15:00:01Z',
    ...overrides,
  };
}

async function countRows(
  db: TradingDatabase,
  table: 'market_data' | 'journal' | 'orders' | 'fills' | 'signals' | 'positions',
): Promise<number> {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every migration this code applies, in order. */
const KNOWN_MIGRATIONS = Object.keys(storageMigrations('sqlite'));

/** Registers the whole contract suite for one target. */
export function describeStorageContract(target: StorageTarget): void {
  describe(`storage contract: ${target.name}`, () => {
    let fresh: FreshDatabase;
    let db: TradingDatabase;

    beforeEach(async () => {
      fresh = await target.fresh();
      db = await fresh.open();
    });

    afterEach(async () => {
      await db.close();
      await fresh.cleanup();
    });

    describe('migrations', () => {
      it('creates the current schema version on open', async () => {
        expect(db.schemaVersion).toBe(SCHEMA_VERSION);
        const info = await db.kysely.selectFrom('schema_info').selectAll().execute();
        expect(info.map((r) => Number(r.version))).toEqual([SCHEMA_VERSION]);
        const applied = await sql<{
          name: string;
        }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db.kysely);
        expect(applied.rows.map((r) => r.name)).toEqual(KNOWN_MIGRATIONS);
      });

      if (target.persistent) {
        it('is idempotent: reopening keeps data and applies nothing twice', async () => {
          await db.upsertBars('1Day', [dailyBar('SPY', '2024-01-02', 470.5)]);
          await db.close();
          db = await fresh.open();
          await db.close();
          db = await fresh.open();
          expect(db.schemaVersion).toBe(SCHEMA_VERSION);
          expect(
            await db.getBars({ symbol: 'SPY', timeframe: '1Day', start: '2024-01-01' }),
          ).toHaveLength(1);
          const applied = await sql<{
            name: string;
          }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db.kysely);
          expect(applied.rows).toHaveLength(KNOWN_MIGRATIONS.length);
        });

        it('refuses a database with a migration this code does not know', async () => {
          await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('9999_future', '2030-01-01T00:00:00Z')`.execute(
            db.kysely,
          );
          await db.close();
          const error = await fresh.open().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(SchemaVersionError);
          expect((error as SchemaVersionError).unknownMigrations).toEqual(['9999_future']);
          expect((error as SchemaVersionError).code).toBe('E_STORAGE');
          db = await openAfterRepair(fresh);
        });

        it('refuses a database that records a newer schema version', async () => {
          await db.kysely
            .updateTable('schema_info')
            .set({ version: SCHEMA_VERSION + 1 })
            .execute();
          await db.close();
          await expect(fresh.open()).rejects.toThrow(SchemaVersionError);
          await expect(fresh.open()).rejects.toThrow(/newer than this code/);
          db = await openAfterRepair(fresh);
        });
      }
    });

    describe('exact numbers', () => {
      it('round-trips awkward prices and volumes bit for bit', async () => {
        const bars = AWKWARD_NUMBERS.map((x, i) => ({
          symbol: 'AWK',
          timestamp: `2024-01-${String(i + 1).padStart(2, '0')}`,
          open: x,
          high: x,
          low: x,
          close: x,
          volume: x,
        }));
        await db.upsertBars('1Day', bars);
        const back = await db.getBars({ symbol: 'AWK', timeframe: '1Day', start: '2024-01-01' });
        expect(back).toEqual(bars);
        back.forEach((bar, i) => expect(Object.is(bar.close, AWKWARD_NUMBERS[i])).toBe(true));
      });

      it('round-trips any finite money value through portfolio snapshots (property)', async () => {
        const money = fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .filter((x) => !Object.is(x, -0));
        let n = 0;
        await fc.assert(
          fc.asyncProperty(
            money,
            money,
            money,
            money,
            money,
            async (cash, value, equity, bp, pnl) => {
              n += 1;
              const snapshot = {
                timestamp: new Date(Date.UTC(2024, 0, 1) + n * 1000)
                  .toISOString()
                  .replace('.000Z', 'Z'),
                cashUsd: cash,
                portfolioValueUsd: value,
                equityUsd: equity,
                buyingPowerUsd: bp,
                dailyPnlUsd: pnl,
              };
              await db.savePortfolioSnapshot(snapshot);
              const [back] = await db.getPortfolioSnapshots({
                start: snapshot.timestamp,
                end: snapshot.timestamp,
              });
              expect(back).toEqual(snapshot);
            },
          ),
          { numRuns: 60 },
        );
      });

      it('round-trips any positive prices and volumes through the bar cache (property)', async () => {
        const price = fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });
        const volume = fc.oneof(
          fc.constant(0),
          fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
        );
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(price, price, price, price, volume), { minLength: 1, maxLength: 20 }),
            async (rows) => {
              run += 1;
              const symbol = `P${run}`;
              const bars: Bar[] = rows.map(([open, high, low, close, vol], i) => ({
                symbol,
                timestamp: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000)
                  .toISOString()
                  .replace('.000Z', 'Z'),
                open,
                high,
                low,
                close,
                volume: vol,
              }));
              await db.upsertBars('1Hour', bars);
              expect(await db.getBars({ symbol, timeframe: '1Hour', start: '2024-01-01' })).toEqual(
                bars,
              );
            },
          ),
          { numRuns: 25 },
        );
      });

      it('returns any JSON payload as JSON.parse(JSON.stringify(payload)) (property)', async () => {
        await fc.assert(
          fc.asyncProperty(fc.jsonValue(), async (payload) => {
            const entry = await db.append({
              runId: 'json',
              cycle: 0,
              kind: 'decision',
              timestamp: '2024-01-01T00:00:00Z',
              payload: payload as JsonValue,
            });
            const [back] = await db.entries({ runId: 'json', afterSeq: entry.seq - 1 });
            expect(back?.payload).toEqual(JSON.parse(JSON.stringify(payload)));
          }),
          { numRuns: 50 },
        );
      });

      it('round-trips share quantities up to 2^53-1 and signed', async () => {
        const positions: Position[] = [
          {
            symbol: 'BIG',
            quantity: 2 ** 53 - 1,
            avgEntryPriceUsd: 0.1 + 0.2,
            currentPriceUsd: 1e-300,
            marketValueUsd: 1,
            unrealizedPnlUsd: -(0.1 + 0.2),
          },
          {
            symbol: 'SHORT',
            quantity: -123,
            avgEntryPriceUsd: LONG_DECIMAL,
            currentPriceUsd: 1 / 3,
            marketValueUsd: -41,
            unrealizedPnlUsd: 2,
          },
        ];
        await db.savePositions('2024-02-01T21:00:00Z', positions);
        expect(await db.getPositions('2024-02-01T21:00:00Z')).toEqual(positions);
      });
    });

    describe('market data cache', () => {
      it('bulk-upserts and reads ranges by symbol, timeframe and time', async () => {
        const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
        await db.upsertBars('1Day', [
          ...days.map((d, i) => dailyBar('AAPL', d, 180 + i)),
          ...days.map((d) => dailyBar('MSFT', d, 370)),
        ]);
        await db.upsertBars('1Hour', hourlyBars('AAPL', '2024-01-03', 4));
        const range = await db.getBars({
          symbol: 'AAPL',
          timeframe: '1Day',
          start: '2024-01-03',
          end: '2024-01-04',
        });
        expect(range.map((b) => [b.timestamp, b.close])).toEqual([
          ['2024-01-03', 181],
          ['2024-01-04', 182],
        ]);
        // Hourly bars live apart from daily ones; date bounds cover whole days.
        const hourly = await db.getBars({
          symbol: 'AAPL',
          timeframe: '1Hour',
          start: '2024-01-03',
          end: '2024-01-03',
        });
        expect(hourly.map((b) => b.timestamp)).toEqual([
          '2024-01-03T14:00:00Z',
          '2024-01-03T15:00:00Z',
          '2024-01-03T16:00:00Z',
          '2024-01-03T17:00:00Z',
        ]);
        const inner = await db.getBars({
          symbol: 'AAPL',
          timeframe: '1Hour',
          start: '2024-01-03T14:30:00.500Z',
          end: '2024-01-03T16:00:00.000Z',
        });
        expect(inner.map((b) => b.timestamp)).toEqual([
          '2024-01-03T15:00:00Z',
          '2024-01-03T16:00:00Z',
        ]);
        expect(await db.getCoverage('AAPL', '1Day')).toEqual({
          first: '2024-01-02',
          last: '2024-01-05',
        });
        expect(await db.getCoverage('NOPE', '1Day')).toBeUndefined();
        expect((await db.getLatestBar('AAPL')).timestamp).toBe('2024-01-05');
        expect((await db.getLatestBar('AAPL', '1Hour')).timestamp).toBe('2024-01-03T17:00:00Z');
        expect(await db.listSymbols('1Day')).toEqual(['AAPL', 'MSFT']);
        expect(
          await db.getBars({ symbol: 'MSFT', timeframe: '1Day', start: '2025-01-01' }),
        ).toEqual([]);
      });

      it('replaces existing bars and lets the last duplicate of a batch win, across chunks', async () => {
        const count = 25_000;
        const start = Date.UTC(2020, 0, 1);
        const bars: Bar[] = Array.from({ length: count }, (_, i) =>
          dailyBar(
            'BULK',
            new Date(start + i * 86_400_000).toISOString().slice(0, 10),
            10 + i / 7,
            i,
          ),
        );
        expect(await db.upsertBars('1Day', bars)).toBe(count);
        const replaced = [
          dailyBar('BULK', bars[5]?.timestamp ?? '', 1.5),
          dailyBar('BULK', bars[5]?.timestamp ?? '', 2.5),
          dailyBar('BULK', bars[24_999]?.timestamp ?? '', 3.5),
        ];
        await db.upsertBars('1Day', replaced);
        const back = await db.getBars({ symbol: 'BULK', timeframe: '1Day', start: '2020-01-01' });
        expect(back).toHaveLength(count);
        expect(back[5]?.close).toBe(2.5);
        expect(back[24_999]?.close).toBe(3.5);
        expect(back[6]).toEqual(bars[6]);
        expect(back[12_345]).toEqual(bars[12_345]);
      });

      it.each<[string, Partial<Bar>]>([
        ['NaN close', { close: Number.NaN }],
        ['negative open', { open: -1 }],
        ['zero low', { low: 0 }],
        ['infinite high', { high: Number.POSITIVE_INFINITY }],
        ['negative volume', { volume: -5 }],
        ['local time', { timestamp: '2024-01-03 10:00:00' }],
        ['offset time', { timestamp: '2024-01-03T10:00:00+01:00' }],
        ['impossible date', { timestamp: '2024-02-30' }],
        ['empty symbol', { symbol: '' }],
      ])('refuses a bar with %s and writes nothing of the batch', async (_label, change) => {
        const good = [dailyBar('X', '2024-01-02', 10), dailyBar('X', '2024-01-03', 11)];
        const bad = { ...dailyBar('X', '2024-01-04', 12), ...change };
        const error = await db
          .upsertBars('1Day', [...good, bad, dailyBar('X', '2024-01-05', 13)])
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).argument).toMatch(/^bars\[2\]\./);
        expect(await countRows(db, 'market_data')).toBe(0);
      });

      it('refuses a timestamp in the wrong form for the timeframe', async () => {
        await expect(
          db.upsertBars('1Day', [dailyBar('X', '2024-01-02T00:00:00Z', 10)]),
        ).rejects.toThrow(ValidationError);
        await expect(db.upsertBars('1Hour', [dailyBar('X', '2024-01-02', 10)])).rejects.toThrow(
          ValidationError,
        );
        await expect(
          db.upsertBars('1Hour', [dailyBar('X', '2024-01-02T10:00:00.250Z', 10)]),
        ).rejects.toThrow(ValidationError);
        await expect(db.upsertBars('1Minute' as '1Day', [])).rejects.toThrow(ValidationError);
        expect(await countRows(db, 'market_data')).toBe(0);
      });

      it('answers an unknown symbol with NotFoundError and a bad range with ValidationError', async () => {
        await db.upsertBars('1Day', [dailyBar('AAPL', '2024-01-02', 10)]);
        await expect(
          db.getBars({ symbol: 'ZZZZ', timeframe: '1Day', start: '2024-01-01' }),
        ).rejects.toThrow(NotFoundError);
        // Known in daily bars, unknown in hourly ones.
        await expect(
          db.getBars({ symbol: 'AAPL', timeframe: '1Hour', start: '2024-01-01' }),
        ).rejects.toThrow(NotFoundError);
        await expect(db.getLatestBar('ZZZZ')).rejects.toThrow(NotFoundError);
        await expect(
          db.getBars({ symbol: 'AAPL', timeframe: '1Day', start: '01/02/2024' }),
        ).rejects.toThrow(ValidationError);
        await expect(
          db.getBars({ symbol: 'AAPL', timeframe: '1Day', start: '2024-01-01', end: 'yesterday' }),
        ).rejects.toThrow(ValidationError);
      });
    });

    describe('journal (core Journal port)', () => {
      const base = { runId: 'run1', cycle: 1, timestamp: '2024-03-01T15:00:00Z' } as const;

      it('appends with increasing seq and reads back with filters', async () => {
        const payload: JsonValue = {
          weights: AWKWARD_NUMBERS.slice(0, 4),
          note: 'héllo ✓ "quoted" \\ \u0000',
          nested: { ok: true, none: null },
        };
        const a = await db.append({ ...base, kind: 'decision', payload });
        const b = await db.append({
          ...base,
          kind: 'order_intent',
          clientOrderId: 'c1',
          payload: { qty: 10 },
        });
        const c = await db.append({
          ...base,
          kind: 'order_sent',
          clientOrderId: 'c1',
          payload: { qty: 10 },
        });
        await db.append({ ...base, runId: 'run2', kind: 'decision', payload: [] });
        expect(a.seq).toBeLessThan(b.seq);
        expect(b.seq).toBeLessThan(c.seq);
        const all = await db.entries({ runId: 'run1' });
        expect(all).toEqual([a, b, c]);
        expect(all[0]?.payload).toEqual(payload);
        expect(await db.entries({ runId: 'run1', kinds: ['order_sent'] })).toEqual([c]);
        expect(await db.entries({ runId: 'run1', clientOrderId: 'c1' })).toEqual([b, c]);
        expect(await db.entries({ runId: 'run1', afterSeq: a.seq })).toEqual([b, c]);
        expect(await db.entries({ runId: 'run1', kinds: [] })).toEqual([]);
        expect(await db.entries({ runId: 'nobody' })).toEqual([]);
      });

      it('keeps appends in call order when they are issued concurrently', async () => {
        const appended = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            db.append({ ...base, cycle: i, kind: 'decision', payload: { i } }),
          ),
        );
        const seqs = appended.map((e) => e.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect((await db.entries({ runId: 'run1' })).map((e) => e.cycle)).toEqual(
          Array.from({ length: 30 }, (_, i) => i),
        );
      });

      it.each<[string, Record<string, unknown>]>([
        ['NaN in the payload', { payload: { x: Number.NaN } }],
        ['undefined in the payload', { payload: { x: undefined } }],
        ['a Date in the payload', { payload: { at: new Date(0) } }],
        ['a non-UTC timestamp', { timestamp: '2024-03-01T10:00:00-05:00' }],
        ['a fractional cycle', { cycle: 1.5 }],
        ['an unknown kind', { kind: 'whatever' }],
        ['an empty run id', { runId: '' }],
      ])('refuses %s and writes nothing', async (_label, change) => {
        const entry = {
          ...base,
          kind: 'decision',
          payload: { ok: 1 },
          ...change,
        } as unknown as Parameters<TradingDatabase['append']>[0];
        await expect(db.append(entry)).rejects.toThrow(ValidationError);
        expect(await countRows(db, 'journal')).toBe(0);
      });

      it('detects a damaged row through its checksum', async () => {
        const entry = await db.append({ ...base, kind: 'fill', payload: { qty: 10 } });
        await db.kysely
          .updateTable('journal')
          .set({ payload: '{"qty":11}' })
          .where('seq', '=', entry.seq)
          .execute();
        await expect(db.entries({ runId: 'run1' })).rejects.toThrow(StorageError);
        await expect(db.entries({ runId: 'run1' })).rejects.toThrow(/checksum/);
      });

      it('saves and loads state per run and key', async () => {
        expect(await db.loadState('run1', 'peaks')).toBeUndefined();
        await db.saveState('run1', 'peaks', { equityPeak: 0.1 + 0.2, sessionPeak: 1e6 });
        await db.saveState('run1', 'peaks', { equityPeak: LONG_DECIMAL, sessionPeak: 1e6 });
        await db.saveState('run2', 'peaks', 'other');
        expect(await db.loadState('run1', 'peaks')).toEqual({
          equityPeak: LONG_DECIMAL,
          sessionPeak: 1e6,
        });
        expect(await db.loadState('run2', 'peaks')).toBe('other');
        // With the caller's own serialisation: the same row.
        const value = { equityPeak: LONG_DECIMAL, ages: [1, 2] };
        await db.saveState('run3', 'peaks', value, JSON.stringify(value));
        expect(await db.loadState('run3', 'peaks')).toEqual(value);
        await expect(db.saveState('run1', 'bad', { x: Number.POSITIVE_INFINITY })).rejects.toThrow(
          ValidationError,
        );
        expect(await db.loadState('run1', 'bad')).toBeUndefined();
      });
    });

    describe('orders and fills', () => {
      it('inserts, reads, updates and lists orders', async () => {
        await db.insertOrder(order());
        await db.insertOrder(
          order({
            clientOrderId: 'run1-c1-MSFT-open',
            symbol: 'MSFT',
            type: 'limit',
            limitPriceUsd: 0.1 + 0.2,
          }),
        );
        expect(await db.getOrder('run1-c1-AAPL-open')).toEqual(order());
        const updated = await db.updateOrder('run1-c1-AAPL-open', {
          status: 'canceled',
          id: 'venue-9',
          updatedAt: '2024-03-01T15:05:00Z',
          reason: 'eod',
        });
        expect(updated).toEqual(
          order({
            status: 'canceled',
            id: 'venue-9',
            updatedAt: '2024-03-01T15:05:00Z',
            reason: 'eod',
          }),
        );
        expect(await db.getOrderByVenueId('venue-9')).toEqual(updated);
        expect((await db.getOrder('run1-c1-MSFT-open')).limitPriceUsd).toBe(0.1 + 0.2);
        expect((await db.listOrders({ symbol: 'MSFT' })).map((o) => o.clientOrderId)).toEqual([
          'run1-c1-MSFT-open',
        ]);
        expect(
          (await db.listOrders({ statuses: ['canceled'] })).map((o) => o.clientOrderId),
        ).toEqual(['run1-c1-AAPL-open']);
        expect(await db.listOrders({ runId: 'run1' })).toHaveLength(2);
        expect(await db.findOrder('nope')).toBeUndefined();
      });

      it('refuses a duplicate client order id and keeps the first order', async () => {
        await db.insertOrder(order());
        const error = await db.insertOrder(order({ quantity: 5 })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateKeyError);
        expect(error).toBeInstanceOf(StorageError);
        expect((error as DuplicateKeyError).key).toBe('run1-c1-AAPL-open');
        expect((await db.getOrder('run1-c1-AAPL-open')).quantity).toBe(100);
        expect(await countRows(db, 'orders')).toBe(1);
      });

      it('refuses a duplicate venue order id', async () => {
        await db.insertOrder(order({ id: 'v1' }));
        await expect(db.insertOrder(order({ clientOrderId: 'other', id: 'v1' }))).rejects.toThrow(
          DuplicateKeyError,
        );
        expect(await countRows(db, 'orders')).toBe(1);
      });

      it('refuses bad orders and impossible updates with typed errors', async () => {
        await expect(db.insertOrder(order({ quantity: 1.5 }))).rejects.toThrow(ValidationError);
        await expect(db.insertOrder(order({ quantity: 0 }))).rejects.toThrow(ValidationError);
        await expect(db.insertOrder(order({ type: 'limit' }))).rejects.toThrow(/limitPriceUsd/);
        await expect(db.insertOrder(order({ submittedAt: '2024-03-01' }))).rejects.toThrow(
          ValidationError,
        );
        await expect(db.insertOrder(order({ filledQuantity: 101 }))).rejects.toThrow(
          ValidationError,
        );
        expect(await countRows(db, 'orders')).toBe(0);
        await expect(db.getOrder('nope')).rejects.toThrow(NotFoundError);
        await expect(
          db.updateOrder('nope', { status: 'new', updatedAt: '2024-03-01T15:00:00Z' }),
        ).rejects.toThrow(NotFoundError);
        await db.insertOrder(
          order({ status: 'filled', filledQuantity: 100, filledAvgPriceUsd: 10 }),
        );
        await expect(
          db.updateOrder('run1-c1-AAPL-open', {
            status: 'canceled',
            updatedAt: '2024-03-01T15:01:00Z',
          }),
        ).rejects.toThrow(StateError);
        await expect(
          db.updateOrder('run1-c1-AAPL-open', {
            status: 'filled',
            filledQuantity: 50,
            updatedAt: '2024-03-01T15:01:00Z',
          }),
        ).rejects.toThrow(StateError);
        expect((await db.getOrder('run1-c1-AAPL-open')).status).toBe('filled');
      });

      it('folds fills into the order, idempotent per fill id, refusing overfills', async () => {
        await db.insertOrder(order());
        const partial = await db.recordFill(fill());
        expect(partial).toMatchObject({
          status: 'partially_filled',
          filledQuantity: 40,
          filledAvgPriceUsd: 101.25,
          commissionUsd: 0.4,
          id: 'venue-1',
        });
        expect(await db.recordFill(fill())).toEqual(partial);
        await expect(db.recordFill(fill({ quantity: 41 }))).rejects.toThrow(DuplicateKeyError);
        const done = await db.recordFill(
          fill({
            fillId: 'f2',
            quantity: 60,
            priceUsd: 101.5,
            commissionUsd: 0.6,
            timestamp: '2024-03-01T15:00:02Z',
          }),
        );
        expect(done.status).toBe('filled');
        expect(done.filledQuantity).toBe(100);
        expect(done.filledAvgPriceUsd).toBe((101.25 * 40 + 101.5 * 60) / 100);
        expect(done.commissionUsd).toBe(0.4 + 0.6);
        expect(done.updatedAt).toBe('2024-03-01T15:00:02Z');
        await expect(db.recordFill(fill({ fillId: 'f3', quantity: 1 }))).rejects.toThrow(
          StateError,
        );
        await expect(
          db.recordFill(fill({ fillId: 'f4', clientOrderId: 'unknown' })),
        ).rejects.toThrow(NotFoundError);
        await expect(db.recordFill(fill({ fillId: 'f5', symbol: 'MSFT' }))).rejects.toThrow(
          ValidationError,
        );
        await expect(db.recordFill(fill({ fillId: 'f6', priceUsd: Number.NaN }))).rejects.toThrow(
          ValidationError,
        );
        expect((await db.listFills('run1-c1-AAPL-open')).map((f) => f.fillId)).toEqual([
          'f1',
          'f2',
        ]);
        expect(await countRows(db, 'fills')).toBe(2);
        expect((await db.getOrder('run1-c1-AAPL-open')).filledQuantity).toBe(100);
      });
      it('loses no fill when fills of one order are recorded concurrently', async () => {
        await db.insertOrder(order());
        const fills = Array.from({ length: 10 }, (_, i) =>
          fill({
            fillId: `c${i}`,
            quantity: 10,
            priceUsd: 100 + i,
            commissionUsd: 0.25,
            timestamp: `2024-03-01T15:00:${String(10 + i)}Z`,
          }),
        );
        await Promise.all(fills.map((f) => db.recordFill(f)));
        const done = await db.getOrder('run1-c1-AAPL-open');
        expect(done.filledQuantity).toBe(100);
        expect(done.status).toBe('filled');
        expect(done.commissionUsd).toBeCloseTo(2.5, 12);
        expect(done.filledAvgPriceUsd).toBeCloseTo(104.5, 9);
        expect(await db.listFills('run1-c1-AAPL-open')).toHaveLength(10);
      });

      it('imports finished orders with their fills exactly as insert, recordFill and updateOrder store them', async () => {
        // A filled order in two fills, a partial fill then canceled, and a rejected order.
        const filled = order({ clientOrderId: 'a', status: 'filled', filledQuantity: 100 });
        const filledFills = [
          fill({ fillId: 'a1', clientOrderId: 'a', quantity: 40, priceUsd: 0.1 + 0.2 }),
          fill({
            fillId: 'a2',
            clientOrderId: 'a',
            quantity: 60,
            priceUsd: 101.5,
            commissionUsd: 1 / 3,
            timestamp: '2024-03-01T15:00:02Z',
          }),
        ];
        const canceled = order({
          clientOrderId: 'b',
          symbol: 'MSFT',
          side: 'sell',
          status: 'canceled',
          filledQuantity: 10,
          updatedAt: '2024-03-01T20:00:00Z',
          reason: 'end of session',
        });
        const canceledFills = [
          fill({
            fillId: 'b1',
            clientOrderId: 'b',
            orderId: 'venue-2',
            symbol: 'MSFT',
            side: 'sell',
            quantity: 10,
          }),
        ];
        const rejected = order({
          clientOrderId: 'c',
          id: 'venue-3',
          status: 'rejected',
          updatedAt: '2024-03-01T15:00:00Z',
          reason: 'insufficient buying power',
        });
        const entries = [
          { order: filled, fills: filledFills },
          { order: canceled, fills: canceledFills },
          { order: rejected, fills: [] },
        ];

        // The one-row-at-a-time path, on a second database of the same target.
        const otherFresh = await target.fresh();
        const other = await otherFresh.open();
        try {
          for (const { order: o, fills } of entries) {
            await other.insertOrder({
              ...o,
              status: 'new',
              filledQuantity: 0,
              updatedAt: o.submittedAt,
            });
            for (const f of fills) await other.recordFill(f);
            if (o.status !== 'filled') {
              await other.updateOrder(o.clientOrderId, {
                status: o.status,
                updatedAt: o.updatedAt,
                ...(o.reason === undefined ? {} : { reason: o.reason }),
              });
            }
          }
          expect(await db.importOrders(entries)).toBe(3);
          expect(await db.listOrders()).toEqual(await other.listOrders());
          expect(await db.listFills()).toEqual(await other.listFills());
        } finally {
          await other.close();
          await otherFresh.cleanup();
        }
        expect(await db.getOrder('a')).toMatchObject({
          status: 'filled',
          id: 'venue-1',
          filledAvgPriceUsd: ((0.1 + 0.2) * 40 + 101.5 * 60) / 100,
          commissionUsd: 0.4 + 1 / 3,
          updatedAt: '2024-03-01T15:00:02Z',
        });
        expect(await db.importOrders([])).toBe(0);
      });

      it('imports thousands of orders in one call, and refuses a bad batch without writing any of it', async () => {
        const many = Array.from({ length: 1234 }, (_, i) => ({
          order: order({ clientOrderId: `o${i}`, status: 'filled', filledQuantity: 100 }),
          fills: [
            fill({ fillId: `f${i}`, clientOrderId: `o${i}`, orderId: `v${i}`, quantity: 100 }),
          ],
        }));
        expect(await db.importOrders(many)).toBe(1234);
        expect(await countRows(db, 'orders')).toBe(1234);
        expect(await countRows(db, 'fills')).toBe(1234);

        const fresh1 = { order: order({ clientOrderId: 'new1' }), fills: [] };
        // Already stored (order, then fill id), repeated in the batch, inconsistent with its fills.
        await expect(db.importOrders([fresh1, many[7] as (typeof many)[number]])).rejects.toThrow(
          DuplicateKeyError,
        );
        await expect(
          db.importOrders([
            {
              order: order({ clientOrderId: 'new2', status: 'filled', filledQuantity: 100 }),
              fills: [fill({ fillId: 'f3', clientOrderId: 'new2', quantity: 100 })],
            },
          ]),
        ).rejects.toThrow(DuplicateKeyError);
        await expect(db.importOrders([fresh1, fresh1])).rejects.toThrow(DuplicateKeyError);
        await expect(
          db.importOrders([
            {
              order: order({ clientOrderId: 'new3', status: 'filled', filledQuantity: 100 }),
              fills: [fill({ fillId: 'g1', clientOrderId: 'new3', quantity: 40 })],
            },
          ]),
        ).rejects.toThrow(/disagrees with its fills/);
        await expect(
          db.importOrders([
            {
              order: order({ clientOrderId: 'new4' }),
              fills: [fill({ fillId: 'g2', clientOrderId: 'elsewhere' })],
            },
          ]),
        ).rejects.toThrow(ValidationError);
        await expect(
          db.importOrders([
            {
              order: order({ clientOrderId: 'new5', filledQuantity: 40 }),
              fills: [fill({ fillId: 'g3', clientOrderId: 'new5', priceUsd: Number.NaN })],
            },
          ]),
        ).rejects.toThrow(ValidationError);
        await expect(
          db.importOrders([
            {
              order: order({ clientOrderId: 'new6', filledQuantity: 100 }),
              fills: [fill({ fillId: 'g4', clientOrderId: 'new6', quantity: 101 })],
            },
          ]),
        ).rejects.toThrow(StateError);
        // A venue id already taken by a stored order.
        await expect(
          db.importOrders([{ order: order({ clientOrderId: 'new7', id: 'v1' }), fills: [] }]),
        ).rejects.toThrow(DuplicateKeyError);
        expect(await countRows(db, 'orders')).toBe(1234);
        expect(await countRows(db, 'fills')).toBe(1234);
        expect(await db.findOrder('new1')).toBeUndefined();
      });
    });

    describe('positions, portfolio, signals, alerts, runs', () => {
      it('stores position snapshots, replacing one instant, and flat books', async () => {
        const p: Position = {
          symbol: 'AAPL',
          quantity: 10,
          avgEntryPriceUsd: 100,
          currentPriceUsd: 101,
          marketValueUsd: 1010,
          unrealizedPnlUsd: 10,
        };
        await db.savePositions('2024-03-01T20:00:00Z', [p, { ...p, symbol: 'MSFT', quantity: -3 }]);
        await db.savePositions('2024-03-01T20:00:00Z', [p]);
        expect(await db.getPositions('2024-03-01T20:00:00Z')).toEqual([p]);
        expect(await db.getLatestPositions()).toEqual({
          timestamp: '2024-03-01T20:00:00Z',
          positions: [p],
        });
        await db.savePositions('2024-03-02T20:00:00Z', []);
        expect(await db.getLatestPositions()).toEqual({
          timestamp: '2024-03-02T20:00:00Z',
          positions: [],
        });
        await expect(db.savePositions('2024-03-03T20:00:00Z', [p, p])).rejects.toThrow(
          ValidationError,
        );
        await expect(
          db.savePositions('2024-03-03T20:00:00Z', [{ ...p, quantity: 0.5 }]),
        ).rejects.toThrow(ValidationError);
        await expect(
          db.savePositions('2024-03-03T20:00:00Z', [{ ...p, marketValueUsd: Number.NaN }]),
        ).rejects.toThrow(ValidationError);
        expect((await db.getLatestPositions())?.timestamp).toBe('2024-03-02T20:00:00Z');
      });

      it('stores portfolio snapshots and returns ranges and the latest', async () => {
        expect(await db.getLatestPortfolioSnapshot()).toBeUndefined();
        const s1 = {
          timestamp: '2024-03-01T20:00:00Z',
          cashUsd: 1e6,
          portfolioValueUsd: 1e6,
          equityUsd: 1e6,
          buyingPowerUsd: 2e6,
        };
        const s2 = {
          ...s1,
          timestamp: '2024-03-02T20:00:00Z',
          cashUsd: 0.1 + 0.2,
          dailyPnlUsd: -1234.5,
          totalPnlUsd: -1234.5,
        };
        await db.savePortfolioSnapshot(s1);
        await db.savePortfolioSnapshot(s2);
        expect(await db.getPortfolioSnapshots()).toEqual([s1, s2]);
        expect(await db.getPortfolioSnapshots({ start: '2024-03-02T00:00:00Z' })).toEqual([s2]);
        expect(await db.getLatestPortfolioSnapshot()).toEqual(s2);
        await expect(db.savePortfolioSnapshot({ ...s1, equityUsd: Number.NaN })).rejects.toThrow(
          ValidationError,
        );
      });

      it('saves portfolio snapshot batches in one call; a bad one writes nothing', async () => {
        const snapshots = Array.from({ length: 1200 }, (_, i) => ({
          timestamp: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
          cashUsd: i + 0.1 + 0.2,
          portfolioValueUsd: 1e6 + i,
          equityUsd: 1e6 + i,
          buyingPowerUsd: 2e6,
          ...(i % 2 === 0 ? { dailyPnlUsd: i / 3 } : {}),
        }));
        const replaced = { ...snapshots[5], equityUsd: 42 } as (typeof snapshots)[number];
        await db.savePortfolioSnapshots([...snapshots, replaced]);
        const stored = await db.getPortfolioSnapshots();
        expect(stored).toHaveLength(1200);
        expect(stored[5]).toEqual(replaced);
        expect(stored[1199]).toEqual(snapshots[1199]);
        await expect(
          db.savePortfolioSnapshots([
            { ...replaced, timestamp: '2030-01-01T00:00:00Z' },
            { ...replaced, cashUsd: Number.POSITIVE_INFINITY },
          ]),
        ).rejects.toThrow(/snapshots\[1\]\.cashUsd/);
        expect(await db.getPortfolioSnapshots()).toHaveLength(1200);
      });

      it('keeps one signal row per (timestamp, symbol): several symbols per timestamp', async () => {
        const row = {
          timestamp: '2024-03-01',
          composite: 0.5,
          volatility: -0.25,
          momentum: null,
          tailRisk: 0.1 + 0.2,
          beta: 1 / 3,
          carry: 0,
        };
        expect(
          await db.upsertSignals([
            { ...row, symbol: 'AAPL' },
            { ...row, symbol: 'MSFT', composite: -0.5 },
          ]),
        ).toBe(2);
        await db.upsertSignals([{ ...row, symbol: 'AAPL', composite: 0.75 }]);
        expect(await db.getSignals({ start: '2024-03-01', end: '2024-03-01' })).toEqual([
          { ...row, symbol: 'AAPL', composite: 0.75 },
          { ...row, symbol: 'MSFT', composite: -0.5 },
        ]);
        await expect(
          db.upsertSignals([
            { ...row, symbol: 'X' },
            { ...row, symbol: 'Y', beta: Number.NaN },
          ]),
        ).rejects.toThrow(ValidationError);
        expect(await countRows(db, 'signals')).toBe(2);
      });

      it('upserts signal batches larger than one statement; a repeated key keeps the last record', async () => {
        const day = (i: number): string =>
          new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
        const records = Array.from({ length: 1_200 }, (_, i) => ({
          timestamp: day(i),
          symbol: i % 2 === 0 ? 'AAPL' : 'MSFT',
          composite: i / 7,
          volatility: -i,
          momentum: i % 3 === 0 ? null : 0.1 * i,
          tailRisk: 1e-300 * i,
          beta: 1 / (i + 3),
          carry: i,
        }));
        const repeated = { ...(records[5] as (typeof records)[number]), composite: 42 };
        expect(await db.upsertSignals([...records, repeated])).toBe(1_201);
        expect(await countRows(db, 'signals')).toBe(1_200);
        const stored = await db.getSignals({ symbol: 'MSFT' });
        expect(stored).toHaveLength(600);
        expect(stored.find((r) => r.timestamp === repeated.timestamp)).toEqual(repeated);
        expect(stored.find((r) => r.timestamp === day(7))).toEqual(records[7]);
      });

      it('stores alerts and lists them by level and time', async () => {
        const id1 = await db.insertAlert({
          level: 'INFO',
          title: 'START',
          message: 'run started',
          timestamp: '2024-03-01T14:30:00Z',
        });
        await db.alert({
          level: 'CRITICAL',
          title: 'MAX DRAWDOWN BREACHED',
          message: 'dd -16%',
          timestamp: '2024-03-01T15:30:00Z',
          context: { drawdown: -0.16, limit: Number.NEGATIVE_INFINITY },
        });
        const critical = await db.listAlerts({ levels: ['CRITICAL'] });
        expect(critical).toEqual([
          expect.objectContaining({
            level: 'CRITICAL',
            title: 'MAX DRAWDOWN BREACHED',
            context: { drawdown: -0.16, limit: '-Infinity' },
          }),
        ]);
        expect((await db.listAlerts()).map((a) => a.id)[0]).toBe(id1);
        expect(await db.listAlerts({ since: '2024-03-01T15:00:00Z' })).toHaveLength(1);
        await expect(
          db.insertAlert({
            level: 'LOUD' as 'INFO',
            title: '',
            message: '',
            timestamp: '2024-03-01T15:30:00Z',
          }),
        ).rejects.toThrow(ValidationError);
      });

      it('records runs, refuses duplicates and unknown ids', async () => {
        const run = await db.createRun({
          runId: 'run1',
          startedAt: '2024-03-01T14:00:00Z',
          mode: 'paper',
          config: { symbols: ['AAPL'] },
        });
        expect(run).toEqual({
          runId: 'run1',
          startedAt: '2024-03-01T14:00:00Z',
          status: 'running',
          mode: 'paper',
          config: { symbols: ['AAPL'] },
        });
        await expect(
          db.createRun({ runId: 'run1', startedAt: '2024-03-01T14:00:00Z' }),
        ).rejects.toThrow(DuplicateKeyError);
        expect(
          await db.finishRun('run1', { stoppedAt: '2024-03-01T21:00:00Z', status: 'stopped' }),
        ).toMatchObject({ status: 'stopped', stoppedAt: '2024-03-01T21:00:00Z' });
        await expect(
          db.finishRun('nope', { stoppedAt: '2024-03-01T21:00:00Z', status: 'failed' }),
        ).rejects.toThrow(NotFoundError);
        await expect(db.getRun('nope')).rejects.toThrow(NotFoundError);
        expect((await db.listRuns()).map((r) => r.runId)).toEqual(['run1']);
      });
    });
  });
}

/** Reopens a database a test deliberately made unopenable, after undoing the change. */
async function openAfterRepair(fresh: FreshDatabase): Promise<TradingDatabase> {
  // The refused open left the database untouched; undo the change through a raw connection.
  if (fresh.url.startsWith('sqlite:')) {
    const raw = new Database(fresh.url.slice('sqlite:'.length));
    raw.prepare(`delete from ${MIGRATION_TABLE} where name = '9999_future'`).run();
    raw.prepare('update schema_info set version = ?').run(SCHEMA_VERSION);
    raw.close();
  } else {
    const raw = new pg.Client({ connectionString: fresh.url });
    await raw.connect();
    await raw.query(`delete from ${MIGRATION_TABLE} where name = '9999_future'`);
    await raw.query('update schema_info set version = $1', [SCHEMA_VERSION]);
    await raw.end();
  }
  return fresh.open();
}
