import { ConfigError } from '@quantpipe/core';

/** Which database engine a URL selects. */
export type StorageDialect = 'sqlite' | 'postgres';

/** How a SQLite URL asks for its file to be opened (`?mode=`, as in SQLite's URIs). */
export type SqliteOpenMode = 'ro' | 'rw' | 'rwc';

const SQLITE_MODES: readonly SqliteOpenMode[] = ['ro', 'rw', 'rwc'];

/** A parsed database URL. */
export type DatabaseLocation =
  | {
      readonly dialect: 'sqlite';
      /** File path, or `:memory:` for a private in-memory database. */
      readonly filename: string;
      /**
       * `?mode=` of the URL, as SQLite's own URI option: `ro` read-only, `rw` read-write
       * (the file must exist), `rwc` read-write, created if missing. Absent: the caller's
       * options decide.
       */
      readonly mode?: SqliteOpenMode;
    }
  | {
      readonly dialect: 'postgres';
      /** The URL as given, for `pg`. */
      readonly connectionString: string;
    };

/**
 * Parses a database URL: `sqlite:path/to/file.db` (relative to the working directory),
 * `sqlite:/absolute/file.db`, `sqlite:///absolute/file.db`, `sqlite::memory:`, or
 * `postgres://user@host:port/db` (also `postgresql://`). A SQLite URL may end in `?mode=ro`,
 * `?mode=rw` or `?mode=rwc`; any other query (or a `#`) is refused rather than taken as part
 * of the file name. Anything else is a
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
    let mode: SqliteOpenMode | undefined;
    const query = filename.search(/[?#]/);
    if (query >= 0) {
      mode = sqliteMode(filename.slice(query));
      filename = filename.slice(0, query);
    }
    if (filename.length === 0) {
      throw new ConfigError(
        'url',
        'sqlite URL without a file path (use sqlite:path/to/file.db or sqlite::memory:)',
      );
    }
    if (mode !== undefined && filename === ':memory:' && mode !== 'rwc')
      throw new ConfigError('url', `sqlite::memory: cannot be opened with mode=${mode}`);
    return mode === undefined
      ? { dialect: 'sqlite', filename }
      : { dialect: 'sqlite', filename, mode };
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

/** The `mode` of a SQLite URL's `?...` part; every other option is refused. */
function sqliteMode(suffix: string): SqliteOpenMode {
  if (suffix.startsWith('#'))
    throw new ConfigError('url', 'sqlite URL with a fragment (#...): not a file name or option');
  const params = new URLSearchParams(suffix.slice(1));
  let mode: SqliteOpenMode | undefined;
  for (const [key, value] of params) {
    if (key !== 'mode')
      throw new ConfigError(
        'url',
        `unsupported sqlite URL option ${JSON.stringify(key)}; the only option is mode=ro|rw|rwc`,
      );
    if (!(SQLITE_MODES as readonly string[]).includes(value))
      throw new ConfigError(
        'url',
        `sqlite URL option mode must be ro, rw or rwc, got ${JSON.stringify(value)}`,
      );
    mode = value as SqliteOpenMode;
  }
  if (mode === undefined)
    throw new ConfigError(
      'url',
      'sqlite URL with an empty query; the only option is mode=ro|rw|rwc',
    );
  return mode;
}
