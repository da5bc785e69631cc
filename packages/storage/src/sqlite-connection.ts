import { StorageError } from '@quantpipe/core';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseNotFoundError, typedDriverError } from './open-errors';

/**
 * `FULL`: every commit (every journal append) fsyncs the WAL before it returns, so a
 * committed entry survives a process kill and an OS crash or power loss. `NORMAL`: commits
 * survive a process kill, but the last transactions may roll back after a power loss; faster
 * for bulk work that can be redone.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** Options for {@link openSqlite}. */
export interface SqliteOptions {
  /** How long a writer waits for another process's lock before failing (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Durability of each commit (default `FULL`). */
  readonly synchronous?: SqliteSynchronous;
  /** Create the file (and its folder) when missing (default true); false: it must exist. */
  readonly create?: boolean;
  /** Open read-only (the file must exist; nothing is written, not even the WAL switch). */
  readonly readOnly?: boolean;
  /**
   * A file that one writer fills and closes, whose all-or-nothing is kept by something else
   * (the backtester writes its run folder under a temporary name and renames it when complete):
   * the rollback journal in memory instead of the WAL, no fsync (`synchronous` is ignored).
   * Every page is written once instead of twice (WAL, then checkpoint). A transaction still
   * rolls back on an error; a crash or power loss mid-write can leave the file unusable, so
   * never for a database that is shared or kept across runs. Default false.
   */
  readonly bulkLoad?: boolean;
}

/**
 * Opens (creating the file and its folder if needed, unless `create: false` or `readOnly`) a better-sqlite3 database with the settings the trading database relies on:
 * WAL journal (readers never block the writer, a commit is one append to the WAL),
 * busy timeout, the chosen `synchronous` level and foreign keys on.
 */
export function openSqlite(filename: string, options: SqliteOptions = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const synchronous = options.synchronous ?? 'FULL';
  const readOnly = options.readOnly ?? false;
  const create = (options.create ?? true) && !readOnly;
  if (filename !== ':memory:' && !create && !existsSync(filename)) {
    throw new DatabaseNotFoundError(
      `no SQLite database at ${filename} (not created: opening an existing database only)`,
      { context: { filename } },
    );
  }
  let db: Database.Database;
  try {
    // Zero-config: `sqlite:data/trading.db` works in a fresh checkout.
    if (filename !== ':memory:' && create) mkdirSync(dirname(filename), { recursive: true });
    db = new Database(filename, {
      timeout: busyTimeoutMs,
      readonly: readOnly,
      fileMustExist: !create,
    });
  } catch (error) {
    throw (
      typedDriverError('opening the SQLite database', error) ??
      new StorageError(`cannot open SQLite database: ${(error as Error).message}`, {
        cause: error,
        context: { filename },
      })
    );
  }
  try {
    const bulkLoad = (options.bulkLoad ?? false) && !readOnly;
    if (bulkLoad) {
      db.pragma('journal_mode = MEMORY');
    } else if (filename !== ':memory:' && !readOnly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') {
        throw new StorageError(`SQLite refused WAL mode (journal_mode is ${String(mode)})`, {
          context: { filename },
        });
      }
    }
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    db.pragma(`synchronous = ${bulkLoad ? 'OFF' : synchronous}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    if (error instanceof StorageError) throw error;
    throw (
      typedDriverError('configuring the SQLite database', error) ??
      new StorageError(`cannot configure SQLite database: ${(error as Error).message}`, {
        cause: error,
        context: { filename },
      })
    );
  }
  return db;
}

/**
 * Last resort for reading a database that cannot be opened even read-only because SQLite
 * cannot set up its WAL index (a full disk: `SQLITE_IOERR_SHMSIZE`): a read-only in-memory copy
 * of the file. Only when the WAL holds nothing (else its commits would be missing from the
 * copy); the copy's header is switched from WAL to rollback mode, which an in-memory database
 * needs. Throws DatabaseNotFoundError for a missing file.
 */
export function openSqliteCopy(filename: string): Database.Database {
  if (!existsSync(filename))
    throw new DatabaseNotFoundError(`no SQLite database at ${filename}`, {
      context: { filename },
    });
  const wal = `${filename}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new StorageError(
      `cannot read ${filename} without its WAL index, and its WAL holds commits a copy would miss`,
      { context: { filename } },
    );
  const image = readFileSync(filename);
  // Header bytes 18 and 19: file format write / read version, 2 = WAL, 1 = rollback journal.
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  try {
    const db = new Database(image, { readonly: true });
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    throw (
      typedDriverError('opening a copy of the SQLite database', error) ??
      new StorageError(`cannot open a copy of the SQLite database: ${(error as Error).message}`, {
        cause: error,
        context: { filename },
      })
    );
  }
}
