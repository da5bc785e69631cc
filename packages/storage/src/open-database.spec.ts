import { ConfigError } from '@quantpipe/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { MIGRATION_TABLE, SCHEMA_VERSION } from './migrations';
import { openDatabase } from './open-database';

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an unsupported URL with a ConfigError before touching anything', async () => {
    await expect(openDatabase('mysql://localhost/trading')).rejects.toThrow(ConfigError);
  });

  it('survives several connections migrating a new SQLite file at the same time', async () => {
    const url = `sqlite:${join(dir, 'race.db')}`;
    const opened = await Promise.all(
      Array.from({ length: 3 }, () => openDatabase(url, { busyTimeoutMs: 50 })),
    );
    try {
      for (const db of opened) expect(db.schemaVersion).toBe(SCHEMA_VERSION);
      const applied = await sql<{
        name: string;
      }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(
        (opened[0] as (typeof opened)[number]).kysely,
      );
      expect(applied.rows.map((r) => r.name)).toEqual(['0001_initial', '0002_run_scope']);
    } finally {
      await Promise.all(opened.map((db) => db.close()));
    }
  });
});
