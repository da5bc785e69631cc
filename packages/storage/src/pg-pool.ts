import { StorageError, silentLogger, type Logger } from '@quantpipe/core';
import pg from 'pg';

/** PostgreSQL type OID of `bigint` (int8). */
const INT8_OID = 20;

/**
 * `pg` returns `bigint` columns as strings (they may exceed 2^53). Share counts and
 * sequence numbers are safe integers, so this parser returns numbers and refuses anything
 * that would not convert exactly. Set on this pool only, never globally.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new StorageError(`bigint value ${text} is outside the exact range of a JS number`);
  }
  return value;
}

const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8_OID && format !== 'binary'
    ? parseInt8
    : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'];

/** Options for {@link createPgPool}. */
export interface PgPoolOptions {
  /** Maximum connections in the pool. */
  readonly maxConnections?: number;
  /** Where connection errors of idle clients are reported (default: dropped). */
  readonly logger?: Logger;
  /** Every transaction of every connection read-only (`default_transaction_read_only`). */
  readonly readOnly?: boolean;
}

/**
 * A `pg` pool for the trading database. `double precision` comes back through `parseFloat`
 * of PostgreSQL's shortest round-trip text, and numbers are sent as `String(n)` (also
 * shortest round-trip), so finite doubles cross the wire exactly. Each connection sets
 * `extra_float_digits = 3`: PostgreSQL >= 12 then always prints float8 exactly, even where the
 * server, database or role default was lowered (a value <= 0 would round to 15 digits).
 */
export function createPgPool(connectionString: string, options: PgPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    options: `-c extra_float_digits=3${options.readOnly === true ? ' -c default_transaction_read_only=on' : ''}`,
    max: options.maxConnections ?? 10,
    types: { getTypeParser },
  });
  // An idle connection the server closes (restart, admin termination, a forced DROP DATABASE
  // while the pool shuts down) is an 'error' event on the pool; unhandled it would crash the
  // process. The pool discards that client and the next query connects afresh.
  const logger = options.logger ?? silentLogger;
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn(
      { err: { message: error.message, code: error.code } },
      'PostgreSQL idle connection lost',
    );
  });
  return pool;
}
