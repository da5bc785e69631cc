/**
 * Test support: the databases the shared contract suite runs against. Each `fresh()` gives
 * an empty database of its own (a new SQLite file, or a new PostgreSQL database on the test
 * cluster) so tests never see each other's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type OpenDatabaseOptions } from '../open-database';
import type { TradingDatabase } from '../trading-database';

/** One empty database for one test. */
export interface FreshDatabase {
  readonly url: string;
  open(options?: OpenDatabaseOptions): Promise<TradingDatabase>;
  cleanup(): Promise<void>;
}

/** A database engine configuration the contract suite runs against. */
export interface StorageTarget {
  readonly name: string;
  /** Whether closing and opening again sees the same data (false for :memory:). */
  readonly persistent: boolean;
  fresh(): Promise<FreshDatabase>;
}

/** SQLite in memory. */
export const sqliteMemoryTarget: StorageTarget = {
  name: 'sqlite (memory)',
  persistent: false,
  fresh: () =>
    Promise.resolve({
      url: 'sqlite::memory:',
      open: (options) => openDatabase('sqlite::memory:', options),
      cleanup: () => Promise.resolve(),
    }),
};

/** SQLite in a temporary file. */
export const sqliteFileTarget: StorageTarget = {
  name: 'sqlite (file)',
  persistent: true,
  fresh: () => {
    const dir = mkdtempSync(join(tmpdir(), 'qp-storage-'));
    const url = `sqlite:${join(dir, 'trading.db')}`;
    return Promise.resolve({
      url,
      open: (options) => openDatabase(url, options),
      cleanup: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
};

/** The PostgreSQL server URL prepared by the global setup, if there is one. */
export function postgresTestUrl(): string | undefined {
  const url = process.env['QP_PG_TEST_URL'];
  return url === undefined || url.length === 0 ? undefined : url;
}

/** Why the PostgreSQL suites are skipped (set by the global setup). */
export function postgresSkipReason(): string {
  return (
    process.env['QP_PG_SKIP_REASON'] ?? 'no PostgreSQL server (set QP_PG_URL or install PostgreSQL)'
  );
}

let databaseCounter = 0;

/** PostgreSQL: a new database per test on the server at `adminUrl`. */
export function postgresTarget(adminUrl: string): StorageTarget {
  return {
    name: 'postgres',
    persistent: true,
    fresh: async () => {
      databaseCounter += 1;
      const name = `qp_test_${process.pid}_${Date.now().toString(36)}_${databaseCounter}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      const parsed = new URL(adminUrl);
      parsed.pathname = `/${name}`;
      const url = parsed.toString();
      return {
        url,
        open: (options) => openDatabase(url, options),
        cleanup: async () => {
          const client = new pg.Client({ connectionString: adminUrl });
          await client.connect();
          try {
            // Let the closed pool's connections finish leaving before dropping the database.
            for (let waited = 0; waited < 2000; waited += 50) {
              const active = await client.query(
                'select count(*)::int as n from pg_stat_activity where datname = $1',
                [name],
              );
              if ((active.rows[0] as { n: number }).n === 0) break;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
            await client.query(`drop database if exists ${name} with (force)`);
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}
