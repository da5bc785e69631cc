/**
 * Crash test: child processes append journal entries to one database and are killed with
 * SIGKILL at random moments. After every kill the database must open without repair
 * (integrity_check ok), every entry the child reported as committed must be there, intact
 * (checksum verified on read, payload equal to what was written), and nothing half-written
 * may appear. Two children write concurrently (separate runs, same file), which also
 * exercises the busy timeout between processes. The SQLite file is the main target; the same
 * check runs against PostgreSQL (fewer rounds) when a server is available.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@quantpipe/core/testing';
import { openDatabase } from './open-database';
import { crashPayload } from './testing/crash-payload';
import { postgresSkipReason, postgresTarget, postgresTestUrl } from './testing/targets';

const PACKAGE_ROOT = join(__dirname, '..');
const CHILD = join(__dirname, 'testing', 'journal-crash-child.ts');
const ROUNDS_SQLITE = 10;
const ROUNDS_POSTGRES = 2;
const LANES = 2;

interface ChildRun {
  readonly runId: string;
  /** [seq, index] pairs the child printed after append resolved. */
  readonly reported: Array<[number, number]>;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Starts a writer, kills it `killDelayMs` after it is ready, collects what it reported. */
function runWriterUntilKilled(url: string, runId: string, killDelayMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@quantpipe/source', '--import', 'tsx', CHILD, url, runId],
      {
        cwd: PACKAGE_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const reported: Array<[number, number]> = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          setTimeout(() => child.kill('SIGKILL'), killDelayMs);
        } else {
          const [seq, index] = line.split(' ').map(Number);
          reported.push([seq as number, index as number]);
        }
      }
    });
    child.once('error', reject);
    child.once('close', (_code, signal) => resolve({ runId, reported, signal, stderr }));
  });
}

/**
 * Runs `rounds` rounds of `lanes` concurrent writers against `url`, killing each, and checks
 * the database after every round. Returns the number of kills and of reported entries.
 */
async function crashRounds(
  url: string,
  rounds: number,
  seed: number,
): Promise<{ kills: number; reported: number }> {
  // Create the schema first so the first kills land in appends, not in the migration.
  await (await openDatabase(url)).close();
  const random = seededRandom(seed);
  const reportedByRun = new Map<string, Array<[number, number]>>();
  let kills = 0;
  let totalReported = 0;

  for (let round = 0; round < rounds; round++) {
    const runs = await Promise.all(
      Array.from({ length: LANES }, (_, lane) =>
        runWriterUntilKilled(url, `crash-${round}-${lane}`, Math.floor(random() * 250)),
      ),
    );
    for (const run of runs) {
      expect({ runId: run.runId, signal: run.signal, stderr: run.stderr }).toEqual({
        runId: run.runId,
        signal: 'SIGKILL',
        stderr: '',
      });
      reportedByRun.set(run.runId, run.reported);
      kills += 1;
      totalReported += run.reported.length;
    }

    // After the kills: open (WAL recovery only, no repair), check, read everything back.
    const db = await openDatabase(url);
    try {
      await db.checkIntegrity();
      for (const [runId, reported] of reportedByRun) {
        // entries() verifies each row's checksum and parses its payload.
        const entries = await db.entries({ runId });
        const bySeq = new Map(entries.map((e) => [e.seq, e]));
        for (const [seq, index] of reported) {
          const entry = bySeq.get(seq);
          expect(entry?.payload).toEqual(crashPayload(runId, index));
        }
        // Nothing beyond what was written: indices are exactly 0..n-1, in seq order, and
        // at most one entry (committed, killed before printing) more than reported.
        expect(entries.map((e) => e.cycle)).toEqual(entries.map((_, i) => i));
        entries.forEach((e) => expect(e.payload).toEqual(crashPayload(runId, e.cycle)));
        expect(entries.length - reported.length).toBeGreaterThanOrEqual(0);
        expect(entries.length - reported.length).toBeLessThanOrEqual(1);
      }
    } finally {
      await db.close();
    }
  }
  return { kills, reported: totalReported };
}

describe('journal durability under SIGKILL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`SQLite file: keeps every committed entry through ${ROUNDS_SQLITE * LANES} kills`, async () => {
    const { kills, reported } = await crashRounds(
      `sqlite:${join(dir, 'journal.db')}`,
      ROUNDS_SQLITE,
      20_240_301,
    );
    expect(kills).toBeGreaterThanOrEqual(20);
    // The writers really wrote: the test is vacuous if every kill landed before the first append.
    expect(reported).toBeGreaterThan(kills);
  }, 120_000);

  const pgUrl = postgresTestUrl();
  (pgUrl === undefined ? it.skip : it)(
    `PostgreSQL: keeps every committed entry through ${ROUNDS_POSTGRES * LANES} kills${
      pgUrl === undefined ? ` (skipped: ${postgresSkipReason()})` : ''
    }`,
    async () => {
      const fresh = await postgresTarget(pgUrl as string).fresh();
      try {
        const { kills, reported } = await crashRounds(fresh.url, ROUNDS_POSTGRES, 20_240_302);
        expect(kills).toBe(ROUNDS_POSTGRES * LANES);
        expect(reported).toBeGreaterThan(kills);
      } finally {
        await fresh.cleanup();
      }
    },
    120_000,
  );
});
