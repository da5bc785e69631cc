import { sql, type RawBuilder } from 'kysely';
import type { StorageDialect } from './url';

/**
 * Column types per engine. Both float types are IEEE-754 binary64 (a JS number exactly);
 * `bigint` holds share counts on PostgreSQL (read back as numbers, see pg-pool.ts).
 */
export interface ColumnTypes {
  readonly real: 'real' | 'double precision';
  readonly integer: 'integer' | 'bigint';
  /** Keys, symbols and ISO timestamps: byte-order comparison on both engines. */
  readonly key: 'text' | RawBuilder<unknown>;
  /** The table option of every migration's tables: STRICT on SQLite, none on PostgreSQL. */
  readonly strict: RawBuilder<unknown>;
}

/** The column types every migration uses on `dialect`. */
export function columnTypes(dialect: StorageDialect): ColumnTypes {
  return dialect === 'sqlite'
    ? { real: 'real', integer: 'integer', key: 'text', strict: sql`strict` }
    : // "C" collation: the same (binary) order as SQLite and much faster key comparisons than a
      // linguistic collation, which would also ignore the punctuation of ISO timestamps.
      {
        real: 'double precision',
        integer: 'bigint',
        key: sql`text collate "C"`,
        strict: sql``,
      };
}
