import { StorageError } from '@quantpipe/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './sqlite-connection';

describe('openSqlite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses WAL, synchronous FULL, the busy timeout and foreign keys by default', () => {
    const db = openSqlite(join(dir, 'nested', 'folder', 'trading.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('honours synchronous NORMAL and a custom busy timeout', () => {
    const db = openSqlite(join(dir, 'trading.db'), { synchronous: 'NORMAL', busyTimeoutMs: 250 });
    try {
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    } finally {
      db.close();
    }
  });

  it('refuses a file that is not a database with a StorageError', () => {
    const file = join(dir, 'not-a-db.db');
    writeFileSync(
      file,
      'this is not an SQLite file, just some text that is long enough to matter'.repeat(20),
    );
    expect(() => openSqlite(file)).toThrow(StorageError);
  });
});
