/**
 * Fault tests on a real Redis server: worker processes killed with SIGKILL mid-job, and the
 * Redis server restarted mid-sweep (with and without persistence). Every job must end exactly
 * once in the results table, none lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { countSweepJobs, listSweepJobs, openDatabase } from '@quantpipe/storage';
import { seededRandom } from '@quantpipe/core/testing';
import { parseSweepSpec } from '../sweep/sweep-spec';
import {
  startWorkerProcess,
  stopWorkerProcess,
  type WorkerProcess,
} from '../testing/queue-workers';
import { redisServerAvailable, startRedisServer } from '../testing/redis-server';
import { redisSkipReason, redisTestUrl } from '../testing/redis-test-url';
import { SMALL_BASE } from '../testing/sweep-fixtures';
import { runQueuedSweep } from './run-queued-sweep';
import { redisConnection } from './redis-connection';
import { startSweepWorker, type SweepWorkerHandle } from './sweep-queue-worker';

const redisUrl = redisTestUrl();
const describeRedis = redisUrl === undefined || !redisServerAvailable() ? describe.skip : describe;
if (redisUrl === undefined) console.warn(`queue fault suite skipped: ${redisSkipReason()}`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
  ]);
}

async function expectEveryJobOnce(databaseUrl: string, sweepId: string, jobIds: readonly string[]) {
  const db = await openDatabase(databaseUrl);
  try {
    const jobs = await listSweepJobs(db, sweepId);
    expect(jobs.map((j) => j.jobId).sort()).toEqual([...jobIds].sort());
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  } finally {
    await db.close();
  }
}

describeRedis('queue faults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-faults-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL of a worker mid-job at 10 random moments: every job recorded exactly once', async () => {
    const url = redisUrl as string;
    const queueName = `kill-${process.pid}`;
    const spec = parseSweepSpec({
      name: 'sigkill',
      base: { ...SMALL_BASE },
      grid: { momentum_fast: [5, 10, 15, 20, 25, 30, 35, 40], max_leverage: [1, 2] },
    });
    const random = seededRandom(20261204);
    // Pausing the queue while a killed worker's replacement starts keeps the other worker from
    // draining the queue meanwhile, so each of the 10 kills lands on a running job.
    const control = new Queue(queueName, { connection: redisConnection(url) });
    let workers: WorkerProcess[] = [
      startWorkerProcess(url, queueName),
      startWorkerProcess(url, queueName),
    ];
    const kills: string[] = [];
    try {
      await Promise.all(workers.map((w) => withTimeout(w.ready, 90_000, 'worker start')));
      const sweep = runQueuedSweep({
        spec,
        redisUrl: url,
        queueName,
        outputDir: dir,
        pollMs: 200,
        requeueMs: 60_000,
      });
      for (let kill = 0; kill < 10; kill++) {
        const jobId = await withTimeout(
          Promise.race(workers.map((w, i) => w.nextStart().then((id) => ({ id, i })))),
          90_000,
          `a job start before kill ${kill + 1}`,
        );
        await sleep(Math.floor(random() * 120));
        const victim = workers[jobId.i] as WorkerProcess;
        await control.pause();
        await stopWorkerProcess(victim, 'SIGKILL');
        kills.push(jobId.id);
        const replacement = startWorkerProcess(url, queueName);
        workers = workers.map((w, i) => (i === jobId.i ? replacement : w));
        await withTimeout(replacement.ready, 90_000, 'replacement start');
        await control.resume();
      }
      const result = await withTimeout(sweep, 240_000, 'the sweep to finish');
      expect(result.interrupted).toBe(false);
      expect(kills).toHaveLength(10);
      await expectEveryJobOnce(
        result.databaseUrl,
        'sigkill',
        result.plan.jobs.map((j) => j.jobId),
      );
      // The killed jobs were run again to the end by some worker.
      const db = await openDatabase(result.databaseUrl);
      expect(await countSweepJobs(db, 'sigkill')).toEqual({ done: 16, failed: 0 });
      await db.close();
    } finally {
      await control.resume().catch(() => undefined);
      await control.close();
      for (const w of workers) await stopWorkerProcess(w, 'SIGTERM');
    }
  }, 600_000);

  for (const persistence of ['aof', 'none'] as const) {
    it(`a Redis restart mid-sweep (persistence ${persistence}): the sweep completes`, async () => {
      const server = await startRedisServer({ persistence });
      const queueName = `restart-${persistence}`;
      const spec = parseSweepSpec({
        name: `restart-${persistence}`,
        base: { ...SMALL_BASE },
        grid: { momentum_fast: [5, 10, 15, 20, 25, 30], max_leverage: [1, 2] },
      });
      const workers: SweepWorkerHandle[] = [];
      try {
        for (let i = 0; i < 2; i++)
          workers.push(
            await startSweepWorker({
              redisUrl: server.url,
              queueName,
              lockDurationMs: 2000,
              stalledIntervalMs: 1000,
            }),
          );
        let restarted: Promise<void> | undefined;
        const result = await withTimeout(
          runQueuedSweep({
            spec,
            redisUrl: server.url,
            queueName,
            outputDir: dir,
            pollMs: 100,
            requeueMs: 1500,
            onProgress: (p) => {
              if (p.recorded >= 3 && !restarted) restarted = server.restart({ downMs: 1500 });
            },
          }),
          240_000,
          'the sweep to finish',
        );
        await restarted;
        expect(restarted).toBeDefined();
        expect(result.interrupted).toBe(false);
        await expectEveryJobOnce(
          result.databaseUrl,
          spec.name as string,
          result.plan.jobs.map((j) => j.jobId),
        );
      } finally {
        for (const w of workers) await w.close();
        await server.stop();
      }
    }, 300_000);
  }
});
