import { StorageError, type Clock } from '@quantpipe/core';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { SchemaVersionError } from './errors';
import { DatabaseNotFoundError } from './open-errors';
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
 * only reads (so a database on a full disk still opens). With `create: false` a database
 * without the schema (an empty file or PostgreSQL database) is a DatabaseNotFoundError and
 * nothing is created. Returns the schema version.
 */
export async function migrateToLatest(
  db: Kysely<StorageSchema>,
  dialect: StorageDialect,
  clock: Clock,
  options: { readonly create?: boolean } = {},
): Promise<number> {
  const migrations = storageMigrations(dialect);
  const status = await readSchemaStatus(db, dialect);
  if (status.applied === undefined && options.create === false) {
    throw new DatabaseNotFoundError(
      'the database holds no trading schema (not created: opening an existing database only)',
    );
  }
  if (
    status.applied !== undefined &&
    status.recorded === SCHEMA_VERSION &&
    Object.keys(migrations).every((name) => status.applied?.includes(name))
  ) {
    return SCHEMA_VERSION;
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

/**
 * For a read-only connection: checks, without writing, that the database holds the trading
 * schema at exactly this code's version (an older one needs a read-write open to migrate).
 */
export async function assertSchemaCurrent(
  db: Kysely<StorageSchema>,
  dialect: StorageDialect,
): Promise<number> {
  const status = await readSchemaStatus(db, dialect);
  if (status.applied === undefined)
    throw new DatabaseNotFoundError('the database holds no trading schema');
  const missing = Object.keys(storageMigrations(dialect)).filter(
    (name) => !status.applied?.includes(name),
  );
  if (missing.length > 0)
    throw new SchemaVersionError(SCHEMA_VERSION, status.recorded, [], {
      context: { missingMigrations: missing },
    });
  return SCHEMA_VERSION;
}

/**
 * Reads the applied migrations and recorded version; refuses (SchemaVersionError) a database
 * that records a higher version or migrations this code does not know. `applied` is
 * undefined when the database has no migration table (no schema yet).
 */
async function readSchemaStatus(
  db: Kysely<StorageSchema>,
  dialect: StorageDialect,
): Promise<{ applied: string[] | undefined; recorded: number | undefined }> {
  const migrations = storageMigrations(dialect);
  const tables = new Set((await db.introspection.getTables()).map((table) => table.name));
  let applied: string[] | undefined;
  let recorded: number | undefined;
  if (tables.has(MIGRATION_TABLE)) {
    const appliedRows = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    const appliedNames = appliedRows.rows.map((row) => row.name);
    const unknown = appliedNames.filter((name) => !(name in migrations));
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
    applied = appliedNames;
  }
  return { applied, recorded };
}
