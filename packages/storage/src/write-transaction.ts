import { StorageError } from '@quantpipe/core';
import { sql, type Kysely } from 'kysely';
import { toStorageError } from './db-errors';
import type { StorageSchema } from './schema';
import type { StorageContext } from './storage-context';

/** Whether a driver error is SQLite's "database is locked" (SQLITE_BUSY and its variants). */
function isSqliteBusy(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * `BEGIN IMMEDIATE` on one SQLite connection. SQLite's busy handler waits up to the busy
 * timeout for another process's write lock; a `SQLITE_BUSY` that still comes back (the handler
 * is not called in every case, e.g. during WAL recovery) is retried with a short backoff until
 * the busy timeout has passed, then fails loudly naming the operation and the wait.
 */
async function beginImmediate(db: Kysely<StorageSchema>, operation: string): Promise<void> {
  const startedMs = Date.now();
  let timeoutMs: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`begin immediate`.execute(db);
      return;
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      timeoutMs ??= Number(
        (await sql<{ timeout: number }>`pragma busy_timeout`.execute(db)).rows[0]?.timeout ?? 0,
      );
      const waitedMs = Date.now() - startedMs;
      if (waitedMs >= timeoutMs) {
        throw new StorageError(
          `${operation} failed: the database is locked by another writer (waited ${waitedMs} ms, busy timeout ${timeoutMs} ms); nothing was written`,
          { cause: error, context: { operation, waitedMs, busyTimeoutMs: timeoutMs } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 5 * attempt)));
    }
  }
}

/**
 * Runs `work` in one write transaction. On SQLite it begins `IMMEDIATE`: the write lock is
 * taken (waiting out the busy timeout) before the first read, so a transaction that reads
 * then writes never fails halfway on a lock another process took in between (a deferred
 * `BEGIN` cannot wait there and fails at once with "database is locked").
 */
export async function writeTransaction<T>(
  ctx: StorageContext,
  operation: string,
  work: (trx: Kysely<StorageSchema>) => Promise<T>,
): Promise<T> {
  try {
    // Inside TradingDatabase.transaction: the enclosing transaction commits or rolls back.
    if (ctx.inTransaction === true) return await work(ctx.kysely);
    if (ctx.dialect !== 'sqlite') return await ctx.kysely.transaction().execute(work);
    return await ctx.kysely.connection().execute(async (db) => {
      await beginImmediate(db, operation);
      let result: T;
      try {
        result = await work(db);
      } catch (error) {
        await sql`rollback`.execute(db).catch(() => undefined);
        throw error;
      }
      await sql`commit`.execute(db);
      return result;
    });
  } catch (error) {
    throw toStorageError(operation, error);
  }
}

/**
 * Runs synchronous better-sqlite3 work (the prepared-statement fast paths) while no kysely
 * query can interleave: holding kysely's connection, or directly when the context is already
 * inside a transaction on that connection (better-sqlite3 then nests its own transaction as a
 * savepoint of the enclosing one).
 */
export async function onSqliteConnection(ctx: StorageContext, work: () => void): Promise<void> {
  if (ctx.inTransaction === true) {
    work();
    return;
  }
  await ctx.kysely.connection().execute(() => {
    work();
    return Promise.resolve();
  });
}
