/**
 * Two processes write orders to one SQLite file at the same time. Every insert must either be
 * there afterwards or have failed loudly; with the busy handling (write transactions begin
 * IMMEDIATE and wait out the busy timeout) none may fail: all 2 × 400 orders are stored, and
 * every fourth is canceled (an update that reads before it writes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '@quantpipe/core';
import Database from 'better-sqlite3';
import { openDatabase } from './open-database';

const PACKAGE_ROOT = join(__dirname, '..');
const CHILD = join(__dirname, 'testing', 'order-writer-child.ts');
const ORDERS_PER_WRITER = 400;

interface WriterResult {
  readonly inserted: number;
  readonly updated: number;
  readonly failed: readonly string[];
}

/** Starts a writer; `ready` resolves once it has opened the database. */
function startWriter(
  url: string,
  runId: string,
  startFile: string,
): { ready: Promise<void>; done: Promise<WriterResult> } {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@quantpipe/source',
      '--import',
      'tsx',
      CHILD,
      url,
      runId,
      String(ORDERS_PER_WRITER),
      startFile,
    ],
    { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) onReady();
  });
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        reject(new Error(`writer ${runId} exited with ${String(code)}: ${stderr}`));
      else resolve(JSON.parse(last) as WriterResult);
    });
  });
  return { ready, done };
}

describe('two processes writing orders to one SQLite file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-two-writers-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every insert of both writers (2 × 400 orders, none lost to a lock)', async () => {
    const url = `sqlite:${join(dir, 'orders.db')}`;
    // Created (and migrated) once, so both writers only write.
    await (await openDatabase(url)).close();
    const startFile = join(dir, 'go');
    const writers = ['writer-a', 'writer-b'].map((runId) => startWriter(url, runId, startFile));
    await Promise.all(writers.map((w) => w.ready));
    writeFileSync(startFile, '');
    const results = await Promise.all(writers.map((w) => w.done));
    // Counts first (a lost write shows as a number), then the messages of any failure.
    const counts = results.map((r) => ({
      inserted: r.inserted,
      updated: r.updated,
      failed: r.failed.length,
    }));
    const each = { inserted: ORDERS_PER_WRITER, updated: ORDERS_PER_WRITER / 4, failed: 0 };
    expect(counts).toEqual([each, each]);
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    const db = await openDatabase(url);
    try {
      for (const runId of ['writer-a', 'writer-b']) {
        const orders = await db.listOrders({ runId });
        const status = new Map(orders.map((o) => [o.clientOrderId, o.status]));
        expect(status.size).toBe(ORDERS_PER_WRITER);
        for (let i = 0; i < ORDERS_PER_WRITER; i++)
          expect(status.get(`${runId}-${i}`)).toBe(i % 4 === 0 ? 'canceled' : 'new');
      }
      await db.checkIntegrity();
    } finally {
      await db.close();
    }
  }, 120_000);

  it('fails loudly, writing nothing, when another process keeps the lock past the busy timeout', async () => {
    const file = join(dir, 'locked.db');
    const url = `sqlite:${file}`;
    const db = await openDatabase(url, { busyTimeoutMs: 200 });
    const other = new Database(file);
    try {
      other.exec('begin immediate');
      const started = Date.now();
      const write = db.insertOrder({
        clientOrderId: 'locked-1',
        symbol: 'SYNA',
        side: 'buy',
        quantity: 1,
        type: 'market',
        timeInForce: 'day',
        status: 'new',
        filledQuantity: 0,
        submittedAt: '2024-01-02T15:00:00Z',
        updatedAt: '2024-01-02T15:00:00Z',
      });
      await expect(write).rejects.toThrow(StorageError);
      await expect(write).rejects.toThrow(/insertOrder failed: .*locked/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      other.exec('rollback');
      expect(await db.findOrder('locked-1')).toBeUndefined();
    } finally {
      other.close();
      await db.close();
    }
  });
});
