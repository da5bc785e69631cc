import { StorageError, type Clock } from '@quantpipe/core';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { SchemaVersionError } from './errors';
import {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  SCHEMA_VERSION,
  storageMigrations,
} from './migrations';
import type { StorageSchema } from './schema';
import type { StorageDialect } from './url';

/**
 * Brings a database to {@link SCHEMA_VERSION}: refuses (SchemaVersionError) a database that
 * records a higher version or migrations this code does not know, then runs the missing
 * migrations (kysely `Migrator`, each in a transaction, serialised across processes by
 * kysely's migration lock) and records the version. Idempotent: on an up-to-date database it
 * only reads. Returns the schema version.
 */
export async function migrateToLatest(
  db: Kysely<StorageSchema>,
  dialect: StorageDialect,
  clock: Clock,
): Promise<number> {
  const migrations = storageMigrations(dialect);
  const tables = new Set((await db.introspection.getTables()).map((table) => table.name));

  if (tables.has(MIGRATION_TABLE)) {
    const applied = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    const unknown = applied.rows.map((row) => row.name).filter((name) => !(name in migrations));
    let recorded: number | undefined;
    if (tables.has('schema_info')) {
      const row = await db
        .selectFrom('schema_info')
        .select('version')
        .where('id', '=', 1)
        .executeTakeFirst();
      recorded = row === undefined ? undefined : Number(row.version);
    }
    if (unknown.length > 0 || (recorded !== undefined && recorded > SCHEMA_VERSION)) {
      throw new SchemaVersionError(SCHEMA_VERSION, recorded, unknown);
    }
  }

  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new StorageError(
      `schema migration ${failed === undefined ? '' : `${failed} `}failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error, context: { migration: failed } },
    );
  }

  const updatedAt = new Date(clock.now()).toISOString();
  await db
    .insertInto('schema_info')
    .values({ id: 1, version: SCHEMA_VERSION, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ version: SCHEMA_VERSION, updated_at: updatedAt }),
    )
    .execute();
  return SCHEMA_VERSION;
}
