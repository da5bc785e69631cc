/**
 * Crash test of `transaction`: a child writes a whole run inside one transaction and is killed
 * with SIGKILL before it commits. The database must then open cleanly, hold nothing of that run
 * (no run row left `running`, no orders, fills or snapshots), and take the same run id again.
 * SQLite file always; PostgreSQL when a server is available.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './open-database';
import { countRows } from './testing/contract-fixtures';
import { postgresSkipReason, postgresTarget, postgresTestUrl } from './testing/targets';

const PACKAGE_ROOT = join(__dirname, '..');
const CHILD = join(__dirname, 'testing', 'transaction-crash-child.ts');

/** Runs the child until it reports its writes, then kills it; resolves with its exit signal. */
function killMidTransaction(url: string, runId: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@quantpipe/source', '--import', 'tsx', CHILD, url, runId],
      { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: string) => {
      if (chunk.includes('written')) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (signal === null) reject(new Error(`child exited with ${String(code)}: ${stderr}`));
      else resolve(signal);
    });
  });
}

async function expectNothingOf(url: string, runId: string): Promise<void> {
  const db = await openDatabase(url);
  try {
    await db.checkIntegrity();
    expect((await db.listRuns()).map((r) => r.runId)).not.toContain(runId);
    expect(await countRows(db, 'orders')).toBe(0);
    expect(await countRows(db, 'fills')).toBe(0);
    expect(await db.getPortfolioSnapshots({ runId })).toEqual([]);
    // The id is free: a new run under it is stored and finished.
    await db.transaction(async (tx) => {
      await tx.createRun({ runId, startedAt: '2024-03-02T14:00:00Z', mode: 'backtest' });
      await tx.finishRun(runId, { stoppedAt: '2024-03-02T15:00:00Z', status: 'stopped' });
    });
    expect(await db.getRun(runId)).toMatchObject({ status: 'stopped' });
  } finally {
    await db.close();
  }
}

describe('transaction killed before commit', () => {
  it('leaves nothing in a SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qp-tx-crash-'));
    try {
      const url = `sqlite:${join(dir, 'trading.db')}`;
      await (await openDatabase(url)).close();
      expect(await killMidTransaction(url, 'killed-run')).toBe('SIGKILL');
      await expectNothingOf(url, 'killed-run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  const pgUrl = postgresTestUrl();
  (pgUrl === undefined ? it.skip : it)(
    `leaves nothing in PostgreSQL${pgUrl === undefined ? ` (skipped: ${postgresSkipReason()})` : ''}`,
    async () => {
      const fresh = await postgresTarget(pgUrl as string).fresh();
      try {
        await (await fresh.open()).close();
        expect(await killMidTransaction(fresh.url, 'killed-run')).toBe('SIGKILL');
        await expectNothingOf(fresh.url, 'killed-run');
      } finally {
        await fresh.cleanup();
      }
    },
    30_000,
  );
});
