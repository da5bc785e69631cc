import { StorageError, type QuantpipeErrorOptions } from '@quantpipe/core';

/**
 * A write was refused because a row with the same key already exists (a duplicate client
 * order id, run id or fill id). Nothing of the failed call was written. `code` is
 * `E_STORAGE`, as for every {@link StorageError}.
 */
export class DuplicateKeyError extends StorageError {
  /** The table that holds the existing row. */
  readonly table: string;
  /** The duplicated key value. */
  readonly key: string;
  constructor(table: string, key: string, options: QuantpipeErrorOptions = {}) {
    super(`${table}: a row with key ${JSON.stringify(key)} already exists`, {
      ...options,
      context: { table, key, ...options.context },
    });
    this.table = table;
    this.key = key;
  }
}

/**
 * The database was written by a newer version of this package (a higher schema version, or
 * migrations this code does not know). Opening it is refused rather than risk misreading or
 * damaging it; upgrade the package instead.
 */
export class SchemaVersionError extends StorageError {
  /** The schema version this code writes. */
  readonly codeVersion: number;
  /** The version recorded in the database, when known. */
  readonly databaseVersion: number | undefined;
  /** Migration names found in the database that this code does not know. */
  readonly unknownMigrations: readonly string[];
  constructor(
    codeVersion: number,
    databaseVersion: number | undefined,
    unknownMigrations: readonly string[],
    options: QuantpipeErrorOptions = {},
  ) {
    super(
      `database schema is newer than this code (database version ${String(databaseVersion ?? 'unknown')}, ` +
        `code version ${codeVersion}${
          unknownMigrations.length > 0
            ? `, unknown migrations: ${unknownMigrations.join(', ')}`
            : ''
        }); refusing to open it, upgrade @quantpipe/storage`,
      {
        ...options,
        context: { codeVersion, databaseVersion, unknownMigrations, ...options.context },
      },
    );
    this.codeVersion = codeVersion;
    this.databaseVersion = databaseVersion;
    this.unknownMigrations = [...unknownMigrations];
  }
}
