import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runScopeMigration } from './migration-run-scope';
import type { StorageDialect } from './url';

/**
 * Column types per engine. Both float types are IEEE-754 binary64 (a JS number exactly);
 * `bigint` holds share counts on PostgreSQL (read back as numbers, see pg-pool.ts).
 */
interface ColumnTypes {
  readonly real: 'real' | 'double precision';
  readonly integer: 'integer' | 'bigint';
  /** Keys, symbols and ISO timestamps: byte-order comparison on both engines. */
  readonly key: 'text' | RawBuilder<unknown>;
}

function columnTypes(dialect: StorageDialect): ColumnTypes {
  return dialect === 'sqlite'
    ? { real: 'real', integer: 'integer', key: 'text' }
    : // "C" collation: the same (binary) order as SQLite and much faster key comparisons than a
      // linguistic collation, which would also ignore the punctuation of ISO timestamps.
      { real: 'double precision', integer: 'bigint', key: sql`text collate "C"` };
}

/**
 * Version 1: the spec's six tables (signals with the `symbol` fix, market_data keyed on
 * timeframe too), fills, and what the engine needs to resume (runs, journal, engine_state).
 * SQLite tables are STRICT, so a wrongly typed value is refused by the database as well.
 */
function initialSchema(dialect: StorageDialect): Migration {
  const t = columnTypes(dialect);
  const sqlite = dialect === 'sqlite';
  const strict = sqlite ? sql`strict` : sql``;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('market_data')
        .addColumn('symbol', t.key, (c) => c.notNull())
        .addColumn('timeframe', t.key, (c) => c.notNull())
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .addColumn('open', t.real, (c) => c.notNull())
        .addColumn('high', t.real, (c) => c.notNull())
        .addColumn('low', t.real, (c) => c.notNull())
        .addColumn('close', t.real, (c) => c.notNull())
        .addColumn('volume', t.real, (c) => c.notNull())
        .addPrimaryKeyConstraint('market_data_pk', ['symbol', 'timeframe', 'timestamp'])
        // The key is the clustered index on SQLite: range scans by symbol read contiguous pages.
        .modifyEnd(sqlite ? sql`without rowid, strict` : sql``)
        .execute();

      await db.schema
        .createTable('signals')
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .addColumn('symbol', t.key, (c) => c.notNull())
        .addColumn('composite_signal', t.real)
        .addColumn('volatility_signal', t.real)
        .addColumn('momentum_signal', t.real)
        .addColumn('tail_risk_signal', t.real)
        .addColumn('beta_signal', t.real)
        .addColumn('carry_signal', t.real)
        .addPrimaryKeyConstraint('signals_pk', ['timestamp', 'symbol'])
        .modifyEnd(strict)
        .execute();

      await db.schema
        .createTable('positions')
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .addColumn('symbol', t.key, (c) => c.notNull())
        .addColumn('quantity', t.integer, (c) => c.notNull())
        .addColumn('avg_entry_price', t.real, (c) => c.notNull())
        .addColumn('current_price', t.real, (c) => c.notNull())
        .addColumn('market_value', t.real, (c) => c.notNull())
        .addColumn('unrealized_pnl', t.real, (c) => c.notNull())
        .addPrimaryKeyConstraint('positions_pk', ['timestamp', 'symbol'])
        .modifyEnd(strict)
        .execute();

      await db.schema
        .createTable('orders')
        .addColumn('client_order_id', t.key, (c) => c.primaryKey())
        .addColumn('order_id', t.key, (c) => c.unique())
        .addColumn('run_id', t.key)
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .addColumn('symbol', t.key, (c) => c.notNull())
        .addColumn('side', t.key, (c) => c.notNull())
        .addColumn('quantity', t.integer, (c) => c.notNull())
        .addColumn('order_type', t.key, (c) => c.notNull())
        .addColumn('time_in_force', t.key, (c) => c.notNull())
        .addColumn('limit_price', t.real)
        .addColumn('status', t.key, (c) => c.notNull())
        .addColumn('filled_qty', t.integer, (c) => c.notNull())
        .addColumn('filled_avg_price', t.real)
        .addColumn('commission', t.real)
        .addColumn('updated_at', t.key, (c) => c.notNull())
        .addColumn('reason', 'text')
        .modifyEnd(strict)
        .execute();
      await db.schema.createIndex('orders_run_idx').on('orders').columns(['run_id']).execute();

      await db.schema
        .createTable('fills')
        .addColumn('fill_id', t.key, (c) => c.primaryKey())
        .addColumn('order_id', t.key, (c) => c.notNull())
        .addColumn('client_order_id', t.key, (c) =>
          c.notNull().references('orders.client_order_id'),
        )
        .addColumn('symbol', t.key, (c) => c.notNull())
        .addColumn('side', t.key, (c) => c.notNull())
        .addColumn('quantity', t.integer, (c) => c.notNull())
        .addColumn('price', t.real, (c) => c.notNull())
        .addColumn('commission', t.real, (c) => c.notNull())
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .modifyEnd(strict)
        .execute();
      await db.schema
        .createIndex('fills_client_order_idx')
        .on('fills')
        .columns(['client_order_id'])
        .execute();

      await db.schema
        .createTable('portfolio')
        .addColumn('timestamp', t.key, (c) => c.primaryKey())
        .addColumn('cash', t.real, (c) => c.notNull())
        .addColumn('portfolio_value', t.real, (c) => c.notNull())
        .addColumn('equity', t.real, (c) => c.notNull())
        .addColumn('buying_power', t.real, (c) => c.notNull())
        .addColumn('daily_pnl', t.real)
        .addColumn('total_pnl', t.real)
        .modifyEnd(strict)
        .execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', t.integer, (c) =>
          sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity(),
        )
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .addColumn('level', t.key, (c) => c.notNull())
        .addColumn('title', t.key, (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('context', 'text')
        .modifyEnd(strict)
        .execute();
      await db.schema
        .createIndex('alerts_timestamp_idx')
        .on('alerts')
        .columns(['timestamp'])
        .execute();

      await db.schema
        .createTable('runs')
        .addColumn('run_id', t.key, (c) => c.primaryKey())
        .addColumn('started_at', t.key, (c) => c.notNull())
        .addColumn('stopped_at', t.key)
        .addColumn('status', t.key, (c) => c.notNull())
        .addColumn('mode', t.key)
        .addColumn('config', 'text')
        .modifyEnd(strict)
        .execute();

      await db.schema
        .createTable('journal')
        .addColumn('seq', t.integer, (c) =>
          sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity(),
        )
        .addColumn('run_id', t.key, (c) => c.notNull())
        .addColumn('cycle', t.integer, (c) => c.notNull())
        .addColumn('kind', t.key, (c) => c.notNull())
        .addColumn('timestamp', t.key, (c) => c.notNull())
        .addColumn('client_order_id', t.key)
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .modifyEnd(strict)
        .execute();
      await db.schema
        .createIndex('journal_run_seq_idx')
        .on('journal')
        .columns(['run_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('journal_client_order_idx')
        .on('journal')
        .columns(['client_order_id'])
        .execute();

      await db.schema
        .createTable('engine_state')
        .addColumn('run_id', t.key, (c) => c.notNull())
        .addColumn('key', t.key, (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.key, (c) => c.notNull())
        .addPrimaryKeyConstraint('engine_state_pk', ['run_id', 'key'])
        .modifyEnd(strict)
        .execute();

      await db.schema
        .createTable('schema_info')
        .addColumn('id', t.integer, (c) => c.primaryKey())
        .addColumn('version', t.integer, (c) => c.notNull())
        .addColumn('updated_at', t.key, (c) => c.notNull())
        .modifyEnd(strict)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'schema_info',
        'engine_state',
        'journal',
        'runs',
        'alerts',
        'portfolio',
        'fills',
        'orders',
        'positions',
        'signals',
        'market_data',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}

/**
 * All migrations of this version of the package, by name, in order. Names sort in the
 * order they apply; a new schema change appends a migration, never edits one.
 */
export function storageMigrations(dialect: StorageDialect): Record<string, Migration> {
  return {
    '0001_initial': initialSchema(dialect),
    '0002_run_scope': runScopeMigration(dialect),
  };
}

/** The schema version this code writes: the number of migrations it knows. */
export const SCHEMA_VERSION = 2;

/** Name of kysely's migration bookkeeping table in this database. */
export const MIGRATION_TABLE = 'quantpipe_migration';
/** Name of kysely's migration lock table in this database. */
export const MIGRATION_LOCK_TABLE = 'quantpipe_migration_lock';
