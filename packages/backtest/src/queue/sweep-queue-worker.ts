import { Worker, type Job } from 'bullmq';
import { silentLogger, type Logger } from '@quantpipe/core';
import {
  openDatabase,
  recordSweepJob,
  type SweepJobRecord,
  type TradingDatabase,
} from '@quantpipe/storage';
import { SweepPool } from '../pool/sweep-pool';
import { failedJobRecord, workerName } from '../sweep/run-sweep-job';
import { redisConnection } from './redis-connection';
import { QUEUE_JOB_ATTEMPTS, SWEEP_QUEUE_NAME, type QueuedSweepJob } from './sweep-queue';

/** Options of {@link startSweepWorker}. */
export interface SweepWorkerOptions {
  readonly redisUrl: string;
  readonly queueName?: string;
  /** Where results go; default: the database the sweep named when it queued the job. */
  readonly databaseUrl?: string;
  /** Jobs run at once, each on its own worker thread (default 1). */
  readonly concurrency?: number;
  /**
   * How long a job stays claimed without a sign of life (ms, default 30 s): a worker that dies
   * mid-job loses it after this, and another worker runs it again.
   */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (ms, default 30 s). */
  readonly stalledIntervalMs?: number;
  /** Times a job may lose its worker before it counts as failed (default 20). */
  readonly maxStalledCount?: number;
  readonly logger?: Logger;
  /** Called when a job starts and when its result is recorded. */
  readonly onJob?: (event: 'start' | 'recorded', jobId: string, record?: SweepJobRecord) => void;
}

/** A running sweep worker. */
export interface SweepWorkerHandle {
  readonly name: string;
  /** Stops taking jobs, lets the running ones finish and record, then releases everything. */
  close(): Promise<void>;
}

/**
 * Starts a sweep worker: takes jobs from the BullMQ queue, runs each on a worker thread (so the
 * job locks keep being renewed while a backtest runs), and records each result in the database
 * (insert-or-ignore by job id) before acknowledging the job. A job whose own config or run
 * fails is recorded as failed and acknowledged; a worker that dies mid-job loses the job's
 * lock, and the job runs again elsewhere. Start any number, on any machine.
 */
export async function startSweepWorker(options: SweepWorkerOptions): Promise<SweepWorkerHandle> {
  const logger = options.logger ?? silentLogger;
  const concurrency = options.concurrency ?? 1;
  const pool = new SweepPool({
    threads: concurrency,
    onError: (error) => logger.warn({ error: String(error) }, 'sweep worker: thread error'),
  });
  const databases = new Map<string, Promise<TradingDatabase>>();
  const databaseFor = (url: string): Promise<TradingDatabase> => {
    let db = databases.get(url);
    if (!db) {
      db = openDatabase(url);
      databases.set(url, db);
      db.catch(() => databases.delete(url));
    }
    return db;
  };
  const name = workerName();
  const record = async (data: QueuedSweepJob, result: SweepJobRecord): Promise<boolean> => {
    const db = await databaseFor(options.databaseUrl ?? data.databaseUrl);
    return recordSweepJob(db, result);
  };
  const processor = async (job: Job<QueuedSweepJob>): Promise<{ readonly stored: boolean }> => {
    const sweepJob = job.data.job;
    options.onJob?.('start', sweepJob.jobId);
    // the database opens (the first time: connection, migrations) while the job runs on its
    // thread, not between the job and its acknowledgement; a failure to open is met below
    const opening = databaseFor(options.databaseUrl ?? job.data.databaseUrl);
    opening.catch(() => undefined);
    const result = await pool.run(sweepJob);
    await opening;
    const stored = await record(job.data, result);
    options.onJob?.('recorded', sweepJob.jobId, result);
    return { stored };
  };
  const worker = new Worker<QueuedSweepJob, { readonly stored: boolean }>(
    options.queueName ?? SWEEP_QUEUE_NAME,
    processor,
    {
      connection: redisConnection(options.redisUrl),
      concurrency,
      name,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 20,
    },
  );
  worker.on('error', (error) => logger.warn({ error: String(error) }, 'sweep worker: queue error'));
  // A job BullMQ gives up on (its worker kept dying, or recording kept failing) is still
  // recorded, as failed, so the sweep can finish.
  worker.on('failed', (job, error) => {
    if (!job) return;
    const exhausted =
      job.attemptsMade >= (job.opts.attempts ?? QUEUE_JOB_ATTEMPTS) ||
      /stalled more than/.test(error.message);
    if (!exhausted) return;
    const sweepJob = job.data.job;
    const now = new Date().toISOString();
    record(
      job.data,
      failedJobRecord(
        sweepJob,
        { worker: name, startedAt: now, finishedAt: now, durationMs: 0 },
        {
          code: 'E_QUEUE',
          message: `gave up after ${job.attemptsMade} attempts: ${error.message}`,
        },
      ),
    ).catch((e: unknown) =>
      logger.error(
        { jobId: sweepJob.jobId, error: String(e) },
        'sweep worker: cannot record a failed job',
      ),
    );
  });
  await worker.waitUntilReady();
  logger.info({ name, concurrency }, 'sweep worker: started');
  return {
    name,
    close: async () => {
      await worker.close();
      await pool.close();
      for (const db of databases.values()) await db.then((d) => d.close()).catch(() => undefined);
    },
  };
}
