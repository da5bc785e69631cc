/** Test support: part of the storage contract (see contract.ts). */
import { sql } from 'kysely';
import { SchemaVersionError } from '../errors';
import { MIGRATION_TABLE, SCHEMA_VERSION, storageMigrations } from '../migrations';
import { dailyBar, freshDatabaseEachTest, openAfterRepair } from './contract-fixtures';
import type { StorageTarget } from './targets';

/** Every migration this code applies, in order. */
const KNOWN_MIGRATIONS = Object.keys(storageMigrations('sqlite'));

/** The migrations: the schema version on open, idempotent reopening, refusing unknown or newer schemas. */
export function describeMigrationContract(target: StorageTarget): void {
  describe('migrations', () => {
    const session = freshDatabaseEachTest(target);

    it('creates the current schema version on open', async () => {
      expect(session.db.schemaVersion).toBe(SCHEMA_VERSION);
      const info = await session.db.kysely.selectFrom('schema_info').selectAll().execute();
      expect(info.map((r) => Number(r.version))).toEqual([SCHEMA_VERSION]);
      const applied = await sql<{
        name: string;
      }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(session.db.kysely);
      expect(applied.rows.map((r) => r.name)).toEqual(KNOWN_MIGRATIONS);
    });

    if (target.persistent) {
      it('is idempotent: reopening keeps data and applies nothing twice', async () => {
        await session.db.upsertBars('1Day', [dailyBar('SPY', '2024-01-02', 470.5)]);
        await session.db.close();
        session.db = await session.fresh.open();
        await session.db.close();
        session.db = await session.fresh.open();
        expect(session.db.schemaVersion).toBe(SCHEMA_VERSION);
        expect(
          await session.db.getBars({ symbol: 'SPY', timeframe: '1Day', start: '2024-01-01' }),
        ).toHaveLength(1);
        const applied = await sql<{
          name: string;
        }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(session.db.kysely);
        expect(applied.rows).toHaveLength(KNOWN_MIGRATIONS.length);
      });

      it('refuses a database with a migration this code does not know', async () => {
        await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('9999_future', '2030-01-01T00:00:00Z')`.execute(
          session.db.kysely,
        );
        await session.db.close();
        const error = await session.fresh.open().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SchemaVersionError);
        expect((error as SchemaVersionError).unknownMigrations).toEqual(['9999_future']);
        expect((error as SchemaVersionError).code).toBe('E_STORAGE');
        session.db = await openAfterRepair(session.fresh);
      });

      it('refuses a database that records a newer schema version', async () => {
        await session.db.kysely
          .updateTable('schema_info')
          .set({ version: SCHEMA_VERSION + 1 })
          .execute();
        await session.db.close();
        await expect(session.fresh.open()).rejects.toThrow(SchemaVersionError);
        await expect(session.fresh.open()).rejects.toThrow(/newer than this code/);
        session.db = await openAfterRepair(session.fresh);
      });
    }
  });
}
