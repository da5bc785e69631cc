/** Test support: the rows and helpers the storage contract suites share. */
import type { Bar, Fill } from '@quantpipe/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATION_TABLE, SCHEMA_VERSION } from '../migrations';
import type { OrderRecord } from '../records';
import type { TradingDatabase } from '../trading-database';
import type { FreshDatabase, StorageTarget } from './targets';

/** 123456789.123456789 as JS reads it (the nearest double; the literal itself trips lint). */
export const LONG_DECIMAL = Number('123456789.123456789');

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

export function dailyBar(symbol: string, timestamp: string, close: number, volume = 1000): Bar {
  return { symbol, timestamp, open: close, high: close * 1.01, low: close * 0.99, close, volume };
}

export function hourlyBars(symbol: string, day: string, count: number): Bar[] {
  return Array.from({ length: count }, (_, h) =>
    dailyBar(symbol, `${day}T${String(14 + h).padStart(2, '0')}:00:00Z`, 100 + h),
  );
}

export function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
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

export function fill(overrides: Partial<Fill> = {}): Fill {
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

export async function countRows(
  db: TradingDatabase,
  table: 'market_data' | 'journal' | 'orders' | 'fills' | 'signals' | 'positions',
): Promise<number> {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reopens a database a test deliberately made unopenable, after undoing the change. */
export async function openAfterRepair(fresh: FreshDatabase): Promise<TradingDatabase> {
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

/** The database one test of the contract works on; `db` may be replaced by a reopened one. */
export interface DatabaseUnderTest {
  fresh: FreshDatabase;
  db: TradingDatabase;
}

/**
 * Gives each test of the enclosing `describe` an empty database of `target`, opened before
 * the test and closed and removed after it.
 */
export function freshDatabaseEachTest(target: StorageTarget): DatabaseUnderTest {
  const session = {} as DatabaseUnderTest;
  beforeEach(async () => {
    session.fresh = await target.fresh();
    session.db = await session.fresh.open();
  });
  afterEach(async () => {
    await session.db.close();
    await session.fresh.cleanup();
  });
  return session;
}
