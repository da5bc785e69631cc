import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StorageDialect } from './url';

/**
 * Version 2: snapshots and alerts belong to a run, and runs record liveness.
 *
 * - `portfolio` and `positions` get `run_id` (existing rows: `''`, no run) and `seq`, the
 *   order snapshots were written in. Their keys become (run_id, timestamp[, symbol]), so two
 *   runs never overwrite each other's snapshot at the same instant, and "latest" is the highest
 *   `seq`, not the highest timestamp (a venue clock can go backwards across restarts).
 * - `alerts` gets a nullable `run_id`.
 * - `runs` gets `heartbeat_at` and `heartbeat_expires_at` (ISO-8601 UTC): a run still marked
 *   `running` whose heartbeat has expired has lost its process.
 *
 * SQLite cannot change a primary key in place, so both snapshot tables are rebuilt (new table,
 * copy, drop, rename), which works the same on PostgreSQL.
 */
export function runScopeMigration(dialect: StorageDialect): Migration {
  const sqlite = dialect === 'sqlite';
  const real = sqlite ? 'real' : 'double precision';
  const integer = sqlite ? 'integer' : 'bigint';
  const key = sqlite ? sql`text` : sql`text collate "C"`;
  const strict = sqlite ? sql`strict` : sql``;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('portfolio_next')
        .addColumn('run_id', key, (c) => c.notNull())
        .addColumn('timestamp', key, (c) => c.notNull())
        .addColumn('seq', integer, (c) => c.notNull())
        .addColumn('cash', real, (c) => c.notNull())
        .addColumn('portfolio_value', real, (c) => c.notNull())
        .addColumn('equity', real, (c) => c.notNull())
        .addColumn('buying_power', real, (c) => c.notNull())
        .addColumn('daily_pnl', real)
        .addColumn('total_pnl', real)
        .addPrimaryKeyConstraint('portfolio_run_pk', ['run_id', 'timestamp'])
        .modifyEnd(strict)
        .execute();
      await sql`insert into portfolio_next
          (run_id, timestamp, seq, cash, portfolio_value, equity, buying_power, daily_pnl, total_pnl)
        select '', timestamp, row_number() over (order by timestamp), cash, portfolio_value,
          equity, buying_power, daily_pnl, total_pnl
        from portfolio`.execute(db);
      await db.schema.dropTable('portfolio').execute();
      await db.schema.alterTable('portfolio_next').renameTo('portfolio').execute();
      await db.schema
        .createIndex('portfolio_run_seq_idx')
        .on('portfolio')
        .columns(['run_id', 'seq'])
        .execute();

      await db.schema
        .createTable('positions_next')
        .addColumn('run_id', key, (c) => c.notNull())
        .addColumn('timestamp', key, (c) => c.notNull())
        .addColumn('symbol', key, (c) => c.notNull())
        .addColumn('seq', integer, (c) => c.notNull())
        .addColumn('quantity', integer, (c) => c.notNull())
        .addColumn('avg_entry_price', real, (c) => c.notNull())
        .addColumn('current_price', real, (c) => c.notNull())
        .addColumn('market_value', real, (c) => c.notNull())
        .addColumn('unrealized_pnl', real, (c) => c.notNull())
        .addPrimaryKeyConstraint('positions_run_pk', ['run_id', 'timestamp', 'symbol'])
        .modifyEnd(strict)
        .execute();
      await sql`insert into positions_next
          (run_id, timestamp, symbol, seq, quantity, avg_entry_price, current_price, market_value,
           unrealized_pnl)
        select '', timestamp, symbol, dense_rank() over (order by timestamp), quantity,
          avg_entry_price, current_price, market_value, unrealized_pnl
        from positions`.execute(db);
      await db.schema.dropTable('positions').execute();
      await db.schema.alterTable('positions_next').renameTo('positions').execute();
      await db.schema
        .createIndex('positions_run_seq_idx')
        .on('positions')
        .columns(['run_id', 'seq'])
        .execute();

      await db.schema.alterTable('alerts').addColumn('run_id', key).execute();
      await db.schema
        .createIndex('alerts_run_idx')
        .on('alerts')
        .columns(['run_id', 'id'])
        .execute();
      await db.schema.alterTable('runs').addColumn('heartbeat_at', key).execute();
      await db.schema.alterTable('runs').addColumn('heartbeat_expires_at', key).execute();
    },
  };
}
