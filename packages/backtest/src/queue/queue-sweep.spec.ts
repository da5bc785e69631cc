/**
 * Sweeps through BullMQ on a real Redis server (the global setup's throwaway redis-server):
 * the same answers as alone and on the local pool, and failed jobs recorded as failed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSweepJobs, openDatabase } from '@quantpipe/storage';
import { runLocalSweep } from '../pool/run-local-sweep';
import { runSweepJob } from '../sweep/run-sweep-job';
import { parseSweepSpec } from '../sweep/sweep-spec';
import { redisSkipReason, redisTestUrl } from '../testing/redis-test-url';
import { smallSweep } from '../testing/sweep-fixtures';
import { runQueuedSweep } from './run-queued-sweep';
import { startSweepWorker, type SweepWorkerHandle } from './sweep-queue-worker';

const redisUrl = redisTestUrl();
const describeRedis = redisUrl === undefined ? describe.skip : describe;
if (redisUrl === undefined) console.warn(`queue suite skipped: ${redisSkipReason()}`);

describeRedis('queued sweep', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qp-queue-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every job the metrics it has alone and on the local pool; failed jobs are recorded', async () => {
    const url = redisUrl as string;
    const spec = parseSweepSpec(smallSweep({ name: 'queue-same-answer' }));
    const queueName = `same-answer-${process.pid}`;
    const workers: SweepWorkerHandle[] = [];
    try {
      for (let i = 0; i < 2; i++)
        workers.push(await startSweepWorker({ redisUrl: url, queueName }));
      const queued = await runQueuedSweep({
        spec,
        redisUrl: url,
        queueName,
        outputDir: join(dir, 'queue'),
        pollMs: 100,
      });
      expect(queued.interrupted).toBe(false);
      expect(queued.summary?.jobs).toEqual({ total: 8, done: 4, failed: 4, missing: 0 });
      const local = await runLocalSweep({ spec, outputDir: join(dir, 'local'), threads: 2 });
      const read = async (databaseUrl: string) => {
        const db = await openDatabase(databaseUrl);
        try {
          return await listSweepJobs(db, spec.name as string);
        } finally {
          await db.close();
        }
      };
      const viaQueue = await read(queued.databaseUrl);
      const viaPool = await read(local.databaseUrl);
      expect(viaQueue.map((j) => j.jobId)).toEqual(viaPool.map((j) => j.jobId));
      for (const job of queued.plan.jobs) {
        const q = viaQueue.find((j) => j.jobId === job.jobId);
        const p = viaPool.find((j) => j.jobId === job.jobId);
        expect(q?.status).toBe(p?.status);
        expect(JSON.stringify(q?.metrics)).toBe(JSON.stringify(p?.metrics));
        expect(q?.dailyEquity).toEqual(p?.dailyEquity);
        if (q?.status === 'failed') {
          expect(q.error).toEqual(p?.error);
          expect(q.error?.code).toBe('E_CONFIG');
          continue;
        }
        const alone = await runSweepJob(job);
        expect(JSON.stringify(q?.metrics)).toBe(JSON.stringify(alone.metrics));
      }
      // Both workers took jobs.
      expect(new Set(viaQueue.map((j) => j.worker.split('/').slice(0, 2).join('/'))).size).toBe(1);
      expect(new Set(viaQueue.map((j) => j.worker)).size).toBe(2);
    } finally {
      for (const w of workers) await w.close();
    }
  }, 180_000);

  it('a worker that cannot open the results database acknowledges nothing; another records all', async () => {
    const url = redisUrl as string;
    const spec = parseSweepSpec(smallSweep({ name: 'queue-no-database' }));
    const queueName = `no-database-${process.pid}`;
    const options = { spec, redisUrl: url, queueName, outputDir: join(dir, 'out'), pollMs: 100 };
    const queued = await runQueuedSweep({ ...options, noWait: true });
    // a database path under a regular file: it can never be opened
    writeFileSync(join(dir, 'plain-file'), '');
    const unreachable = `sqlite:${join(dir, 'plain-file', 'results.sqlite')}`;
    let started!: () => void;
    const firstStart = new Promise<void>((resolve) => (started = resolve));
    const broken = await startSweepWorker({
      redisUrl: url,
      queueName,
      databaseUrl: unreachable,
      onJob: (event) => event === 'start' && started(),
    });
    await firstStart;
    // closing waits for the running job: it ran, its result had nowhere to go
    await broken.close();
    const db = await openDatabase(queued.databaseUrl);
    try {
      expect(await listSweepJobs(db, spec.name as string)).toEqual([]);
    } finally {
      await db.close();
    }
    const worker = await startSweepWorker({ redisUrl: url, queueName });
    try {
      const resumed = await runQueuedSweep({ ...options, resume: true, requeueMs: 500 });
      expect(resumed.summary?.jobs).toEqual({ total: 8, done: 4, failed: 4, missing: 0 });
    } finally {
      await worker.close();
    }
  }, 180_000);
});
