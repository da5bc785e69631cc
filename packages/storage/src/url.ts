import { ConfigError } from '@quantpipe/core';

/** Which database engine a URL selects. */
export type StorageDialect = 'sqlite' | 'postgres';

/** A parsed database URL. */
export type DatabaseLocation =
  | {
      readonly dialect: 'sqlite';
      /** File path, or `:memory:` for a private in-memory database. */
      readonly filename: string;
    }
  | {
      readonly dialect: 'postgres';
      /** The URL as given, for `pg`. */
      readonly connectionString: string;
    };

/**
 * Parses a database URL: `sqlite:path/to/file.db` (relative to the working directory),
 * `sqlite:/absolute/file.db`, `sqlite:///absolute/file.db`, `sqlite::memory:`, or
 * `postgres://user@host:port/db` (also `postgresql://`). Anything else is a
 * {@link ConfigError} on `url`. The URL is never echoed back in errors, since a PostgreSQL
 * URL may hold a password.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (typeof url !== 'string' || url.length === 0) {
    throw new ConfigError(
      'url',
      'expected a database URL (sqlite:path, sqlite::memory: or postgres://...)',
    );
  }
  if (url.startsWith('sqlite:')) {
    let filename = url.slice('sqlite:'.length);
    // `sqlite:///abs/path` and `sqlite://rel/path` follow the usual URL spelling.
    if (filename.startsWith('//')) filename = filename.slice(2);
    if (filename.length === 0) {
      throw new ConfigError(
        'url',
        'sqlite URL without a file path (use sqlite:path/to/file.db or sqlite::memory:)',
      );
    }
    return { dialect: 'sqlite', filename };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', connectionString: url };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new ConfigError(
    'url',
    `unsupported database URL scheme ${scheme === undefined ? '(none)' : JSON.stringify(scheme)}; expected sqlite: or postgres://`,
  );
}
