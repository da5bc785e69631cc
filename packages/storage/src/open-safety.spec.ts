import { ConfigError, StorageError } from '@quantpipe/core';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './open-database';
import { CorruptDatabaseError, DatabaseFullError, DatabaseNotFoundError } from './open-errors';

const entry = (i: number) => ({
  runId: 'r',
  cycle: 1,
  kind: 'decision' as const,
  timestamp: '2024-05-01T00:00:00Z',
  payload: { i, pad: 'x'.repeat(4000) },
});

/** Writes zeros into `file` until the file system is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe('opening SQLite databases safely', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-open-safety-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('?mode=ro and ?mode=rw open an existing file only and never create one of the literal name', async () => {
    const file = join(dir, 'trading.db');
    await expect(openDatabase(`sqlite:${file}?mode=ro`)).rejects.toThrow(DatabaseNotFoundError);
    await expect(openDatabase(`sqlite:${file}?mode=rw`)).rejects.toThrow(DatabaseNotFoundError);
    expect(readdirSync(dir)).toEqual([]);
    await (await openDatabase(`sqlite:${file}?mode=rwc`)).close();
    expect(readdirSync(dir)).toEqual(['trading.db']);
    const ro = await openDatabase(`sqlite:${file}?mode=ro`);
    try {
      expect(ro.readOnly).toBe(true);
      await expect(ro.createRun({ runId: 'r', startedAt: '2024-05-01T00:00:00Z' })).rejects.toThrow(
        StorageError,
      );
    } finally {
      await ro.close();
    }
    await expect(openDatabase(`sqlite:${file}?cache=shared`)).rejects.toThrow(ConfigError);
    await expect(openDatabase(`sqlite:${file}?mode=rwx`)).rejects.toThrow(ConfigError);
    // Only the file and SQLite's own WAL companions, no file named after the URL's query.
    expect(readdirSync(dir).filter((name) => !/^trading\.db(-wal|-shm)?$/.test(name))).toEqual([]);
  });

  it('create: false creates neither the file nor its folder', async () => {
    const file = join(dir, 'typo', 'trading.db');
    await expect(openDatabase(`sqlite:${file}`, { create: false })).rejects.toThrow(
      DatabaseNotFoundError,
    );
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('checkIntegrity reports a damaged file as CorruptDatabaseError, never a raw driver error', async () => {
    const file = join(dir, 'trading.db');
    const db = await openDatabase(`sqlite:${file}`);
    await db.createRun({ runId: 'r', startedAt: '2024-05-01T00:00:00Z' });
    for (let i = 0; i < 50; i++) await db.append(entry(i));
    await db.close();
    // Garbage over the last pages (journal rows); the header and schema stay readable.
    const raw = new Database(file);
    const pageSize = Number(raw.pragma('page_size', { simple: true }));
    const pages = Number(raw.pragma('page_count', { simple: true }));
    raw.close();
    const fd = openSync(file, 'r+');
    const garbage = Buffer.alloc(pageSize * 10, 0xa5);
    writeSync(fd, garbage, 0, garbage.length, pageSize * (pages - 10));
    closeSync(fd);
    const damaged = await openDatabase(`sqlite:${file}`);
    try {
      const error = await damaged.checkIntegrity().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptDatabaseError);
      expect((error as CorruptDatabaseError).code).toBe('E_STORAGE');
    } finally {
      await damaged.close();
    }
  });

  describe('on a full disk (a 2 MiB tmpfs mounted for the test)', () => {
    let mount: string;
    beforeAll(() => {
      mount = mkdtempSync(join(tmpdir(), 'qp-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    });
    afterAll(() => {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    });

    it('a full disk fails writes with DatabaseFullError; the database still reopens and the journal reads back', async () => {
      const url = `sqlite:${join(mount, 'journal.db')}`;
      const db = await openDatabase(url);
      await db.createRun({ runId: 'r', startedAt: '2024-05-01T00:00:00Z' });
      let written = 0;
      let failure: unknown;
      for (; written < 10_000; written++) {
        failure = await db.append(entry(written)).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (failure !== undefined) break;
      }
      expect(failure).toBeInstanceOf(DatabaseFullError);
      await db.close();
      fillDisk(join(mount, 'filler'));
      // The restart: opening must not need to write.
      const reopened = await openDatabase(url);
      try {
        expect(await reopened.entries({ runId: 'r' })).toHaveLength(written);
        await expect(reopened.append(entry(-1))).rejects.toThrow(DatabaseFullError);
      } finally {
        await reopened.close();
      }
      rmSync(join(mount, 'filler'));
      rmSync(join(mount, 'journal.db'));
      rmSync(join(mount, 'journal.db-wal'), { force: true });
      rmSync(join(mount, 'journal.db-shm'), { force: true });
    });

    it('readOnlyFallback: a database SQLite cannot even index for reading opens as a read-only copy', async () => {
      const url = `sqlite:${join(mount, 'clean.db')}`;
      const db = await openDatabase(url);
      await db.createRun({ runId: 'r', startedAt: '2024-05-01T00:00:00Z' });
      await db.append(entry(1));
      await db.close();
      fillDisk(join(mount, 'filler'));
      try {
        await expect(openDatabase(url)).rejects.toThrow(StorageError);
        const ro = await openDatabase(url, { readOnlyFallback: true });
        try {
          expect(ro.readOnly).toBe(true);
          expect(ro.readOnlyReason).toMatch(/disk I\/O error|full/);
          expect((await ro.listRuns()).map((r) => r.runId)).toEqual(['r']);
          expect(await ro.entries({ runId: 'r' })).toHaveLength(1);
        } finally {
          await ro.close();
        }
      } finally {
        rmSync(join(mount, 'filler'));
      }
    });
  });
});
