/**
 * Test support: the contract of run-scoped snapshots and alerts, run liveness, and opening
 * without creating, shared by the SQLite and PostgreSQL suites.
 */
import { NotFoundError, type Position } from '@quantpipe/core';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, storageMigrations } from '../migrations';
import { DatabaseNotFoundError, ReadOnlyDatabaseError } from '../open-errors';
import type { PortfolioSnapshot } from '../records';
import type { StorageTarget } from './targets';

const position = (symbol: string, quantity: number): Position => ({
  symbol,
  quantity,
  avgEntryPriceUsd: 10,
  currentPriceUsd: 11,
  marketValueUsd: 11 * quantity,
  unrealizedPnlUsd: quantity,
});

const snapshot = (timestamp: string, equityUsd: number, runId?: string): PortfolioSnapshot => ({
  ...(runId === undefined ? {} : { runId }),
  timestamp,
  cashUsd: 1,
  portfolioValueUsd: equityUsd,
  equityUsd,
  buyingPowerUsd: 2,
});

/** Applies only the first migration (the version-1 schema), as an old release would have. */
async function createVersionOne(url: string): Promise<void> {
  const sqliteFile = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
  const dialect = sqliteFile === undefined ? 'postgres' : 'sqlite';
  const kysely = new Kysely<unknown>({
    dialect:
      sqliteFile === undefined
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) })
        : new SqliteDialect({ database: new Database(sqliteFile) }),
  });
  try {
    const first = storageMigrations(dialect)['0001_initial'];
    if (first === undefined) throw new Error('no 0001_initial migration');
    const migrator = new Migrator({
      db: kysely,
      provider: { getMigrations: () => Promise.resolve({ '0001_initial': first }) },
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
    });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) throw error;
    await sql`insert into schema_info (id, version, updated_at) values (1, 1, '2024-01-01T00:00:00Z')`.execute(
      kysely,
    );
    // Two snapshots whose timestamps are the wrong way round, and a position snapshot.
    for (const [ts, equity] of [
      ['2024-01-03T00:00:00Z', 103],
      ['2024-01-02T00:00:00Z', 102],
    ] as const) {
      await sql`insert into portfolio (timestamp, cash, portfolio_value, equity, buying_power)
        values (${ts}, 1, ${equity}, ${equity}, 2)`.execute(kysely);
    }
    await sql`insert into positions (timestamp, symbol, quantity, avg_entry_price, current_price,
        market_value, unrealized_pnl) values ('2024-01-02T00:00:00Z', 'AAPL', 5, 10, 11, 55, 5)`.execute(
      kysely,
    );
    await sql`insert into runs (run_id, started_at, status) values ('old', '2024-01-01T00:00:00Z', 'running')`.execute(
      kysely,
    );
  } finally {
    await kysely.destroy();
  }
}

/** Registers the run-scope suite for one target. */
export function describeRunScopeContract(target: StorageTarget): void {
  describe(`storage run scope: ${target.name}`, () => {
    it('keeps each run its own portfolio and positions; latest is the last written, even when its timestamp is older', async () => {
      const fresh = await target.fresh();
      const db = await fresh.open();
      try {
        await db.savePortfolioSnapshot(snapshot('2024-05-02T15:00:00Z', 100, 'live'));
        // Same instant, another run: no overwrite.
        await db.savePortfolioSnapshot(snapshot('2024-05-02T15:00:00Z', 999, 'other'));
        // A restart with a venue clock that went backwards.
        await db.savePortfolioSnapshot(snapshot('2024-05-01T15:00:00Z', 101, 'live'));
        expect((await db.getLatestPortfolioSnapshot({ runId: 'live' }))?.equityUsd).toBe(101);
        expect((await db.getLatestPortfolioSnapshot({ runId: 'other' }))?.equityUsd).toBe(999);
        expect((await db.getLatestPortfolioSnapshot())?.equityUsd).toBe(101);
        expect(await db.getLatestPortfolioSnapshot({ runId: 'nobody' })).toBeUndefined();
        expect((await db.getPortfolioSnapshots({ runId: 'live' })).map((s) => s.equityUsd)).toEqual(
          [101, 100],
        );
        // Replacing a snapshot makes it the latest again.
        await db.savePortfolioSnapshot(snapshot('2024-05-02T15:00:00Z', 105, 'live'));
        expect(await db.getLatestPortfolioSnapshot({ runId: 'live' })).toEqual(
          snapshot('2024-05-02T15:00:00Z', 105, 'live'),
        );

        await db.savePositions('2024-05-02T15:00:00Z', [position('AAPL', 3)], { runId: 'live' });
        await db.savePositions('2024-05-02T15:00:00Z', [position('MSFT', -2)], {
          runId: 'other',
        });
        await db.savePositions('2024-05-01T15:00:00Z', [position('AAPL', 4)], { runId: 'live' });
        expect(await db.getLatestPositions({ runId: 'live' })).toEqual({
          timestamp: '2024-05-01T15:00:00Z',
          positions: [position('AAPL', 4)],
        });
        expect(await db.getLatestPositions({ runId: 'other' })).toEqual({
          timestamp: '2024-05-02T15:00:00Z',
          positions: [position('MSFT', -2)],
        });
        expect(await db.getPositions('2024-05-02T15:00:00Z', { runId: 'live' })).toEqual([
          position('AAPL', 3),
        ]);
        expect(await db.getLatestPositions({ runId: 'nobody' })).toBeUndefined();
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    });

    it('stores alerts with their run and lists them by run', async () => {
      const fresh = await target.fresh();
      const db = await fresh.open();
      try {
        const alert = { level: 'CRITICAL' as const, title: 'T', message: 'm' };
        await db.insertAlert({ ...alert, timestamp: '2024-05-01T00:00:00Z' }, { runId: 'a' });
        await db.insertAlert({ ...alert, timestamp: '2024-05-01T00:00:01Z' }, { runId: 'b' });
        await db.insertAlert({ ...alert, timestamp: '2024-05-01T00:00:02Z' });
        expect((await db.listAlerts({ runId: 'a' })).map((a) => a.runId)).toEqual(['a']);
        expect(await db.listAlerts()).toHaveLength(3);
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    });

    it('records each start of a run (mode, config) and its heartbeats', async () => {
      const fresh = await target.fresh();
      const db = await fresh.open();
      try {
        await db.createRun({ runId: 'r', startedAt: '2024-05-01T00:00:00Z', mode: 'alpaca' });
        await db.finishRun('r', { stoppedAt: '2024-05-01T01:00:00Z', status: 'failed' });
        const started = await db.markRunStarted('r', {
          mode: 'ibkr',
          config: { broker: 'ibkr' },
          heartbeatAt: '2024-05-02T00:00:00Z',
          heartbeatExpiresAt: '2024-05-02T00:05:00Z',
        });
        expect(started).toEqual({
          runId: 'r',
          startedAt: '2024-05-01T00:00:00Z',
          status: 'running',
          mode: 'ibkr',
          config: { broker: 'ibkr' },
          heartbeatAt: '2024-05-02T00:00:00Z',
          heartbeatExpiresAt: '2024-05-02T00:05:00Z',
        });
        await db.recordHeartbeat('r', {
          at: '2024-05-02T00:01:00Z',
          expiresAt: '2024-05-02T00:06:00Z',
        });
        expect((await db.getRun('r')).heartbeatExpiresAt).toBe('2024-05-02T00:06:00Z');
        await expect(
          db.recordHeartbeat('x', {
            at: '2024-05-02T00:01:00Z',
            expiresAt: '2024-05-02T00:06:00Z',
          }),
        ).rejects.toThrow(NotFoundError);
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    });

    it('migrates a version-1 database: old snapshots belong to no run and keep their order by time', async () => {
      const fresh = await target.fresh();
      await createVersionOne(fresh.url);
      const db = await fresh.open();
      try {
        expect((await db.getPortfolioSnapshots()).map((s) => s.equityUsd)).toEqual([102, 103]);
        expect((await db.getLatestPortfolioSnapshot())?.equityUsd).toBe(103);
        expect((await db.getLatestPositions())?.positions).toEqual([
          { ...position('AAPL', 5), marketValueUsd: 55, unrealizedPnlUsd: 5 },
        ]);
        expect((await db.getRun('old')).heartbeatAt).toBeUndefined();
        await db.savePortfolioSnapshot(snapshot('2024-01-01T00:00:00Z', 104, 'new'));
        expect((await db.getLatestPortfolioSnapshot())?.equityUsd).toBe(104);
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    });

    it('create: false refuses a database without the schema and creates nothing', async () => {
      const fresh = await target.fresh();
      try {
        if (fresh.url.startsWith('sqlite:')) {
          // A SQLite fresh() is a path in an empty folder: not even the file exists yet.
          await expect(fresh.open({ create: false })).rejects.toThrow(DatabaseNotFoundError);
        } else {
          await expect(fresh.open({ create: false })).rejects.toThrow(DatabaseNotFoundError);
          const raw = new pg.Client({ connectionString: fresh.url });
          await raw.connect();
          try {
            const tables = await raw.query(
              "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
            );
            expect((tables.rows[0] as { n: number }).n).toBe(0);
          } finally {
            await raw.end();
          }
        }
        await expect(fresh.open({ readOnly: true })).rejects.toThrow(DatabaseNotFoundError);
        // Created explicitly, it then opens with create: false and read-only.
        await (await fresh.open({ create: true })).close();
        await (await fresh.open({ create: false })).close();
        const ro = await fresh.open({ readOnly: true });
        try {
          expect(ro.readOnly).toBe(true);
          expect(await ro.listRuns()).toEqual([]);
          await expect(
            ro.createRun({ runId: 'r', startedAt: '2024-05-01T00:00:00Z' }),
          ).rejects.toThrow(ReadOnlyDatabaseError);
        } finally {
          await ro.close();
        }
      } finally {
        await fresh.cleanup();
      }
    });
  });
}
