import { StorageError, type QuantpipeErrorOptions } from '@quantpipe/core';

/**
 * The database asked for does not exist: no SQLite file at that path, or a file or
 * PostgreSQL database without the trading schema, while the caller did not ask to create one
 * (`create: false`, `?mode=rw`, read-only). Nothing was created. `code` is `E_STORAGE`.
 */
export class DatabaseNotFoundError extends StorageError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super(message, options);
  }
}

/** The SQLite file is damaged or is not a database (integrity check or the driver says so). */
export class CorruptDatabaseError extends StorageError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super(message, options);
  }
}

/**
 * A write failed for lack of space (SQLite `SQLITE_FULL`, PostgreSQL `53100 disk_full`).
 * Nothing of the failed call was written; reading still works.
 */
export class DatabaseFullError extends StorageError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super(message, options);
  }
}

/** A write was refused because the database is open read-only (or the file or server is). */
export class ReadOnlyDatabaseError extends StorageError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super(message, options);
  }
}

function driverCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The typed error for a driver error whose code says what went wrong with the database
 * itself (corrupt, full, read-only), or undefined for any other error.
 */
export function typedDriverError(operation: string, error: unknown): StorageError | undefined {
  const code = driverCode(error);
  if (code === undefined) return undefined;
  const message = `${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
  const options = { cause: error, context: { operation, driverCode: code } };
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB')
    return new CorruptDatabaseError(message, options);
  if (code === 'SQLITE_FULL' || code === '53100') return new DatabaseFullError(message, options);
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === '25006')
    return new ReadOnlyDatabaseError(message, options);
  return undefined;
}

/**
 * Whether a failure to open a database read-write may still allow reading it: the disk is
 * full, the file or its folder is read-only, or writing failed at the OS level.
 */
export function isWriteFailure(error: unknown): boolean {
  if (error instanceof DatabaseFullError || error instanceof ReadOnlyDatabaseError) return true;
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    const code = driverCode(e);
    if (
      code !== undefined &&
      (code === 'SQLITE_FULL' ||
        code === 'SQLITE_READONLY' ||
        code.startsWith('SQLITE_READONLY_') ||
        code.startsWith('SQLITE_IOERR') ||
        code === 'SQLITE_CANTOPEN' ||
        code === '53100' ||
        code === '25006')
    )
      return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}
