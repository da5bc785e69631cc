import { StorageError } from '@quantpipe/core';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('bulk-loads with the journal in memory and no fsync, and still rolls back on an error', () => {
    const file = join(dir, 'run.sqlite');
    const db = openSqlite(file, { bulkLoad: true, synchronous: 'FULL' });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
      expect(db.pragma('synchronous', { simple: true })).toBe(0); // OFF, whatever was asked
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.exec('create table t (k integer primary key)');
      const insert = db.prepare('insert into t values (?)');
      db.transaction(() => {
        for (let k = 1; k <= 1000; k++) insert.run(k);
      })();
      expect(() =>
        db.transaction(() => {
          insert.run(1001);
          insert.run(1); // a key clash: the whole transaction goes
        })(),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
    // No WAL left beside the file, and the next opener (WAL, as usual) reads every committed row.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = openSqlite(file);
    try {
      expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(again.prepare('select count(*) as n, max(k) as top from t').get()).toEqual({
        n: 1000,
        top: 1000,
      });
    } finally {
      again.close();
    }
  });

  it('ignores bulkLoad for a read-only open', () => {
    const file = join(dir, 'ro.sqlite');
    openSqlite(file).close();
    const db = openSqlite(file, { readOnly: true, bulkLoad: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
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
