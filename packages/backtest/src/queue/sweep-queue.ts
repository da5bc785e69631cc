import { Queue } from 'bullmq';
import type { SweepJob } from '../sweep/sweep-jobs';
import { redisConnection } from './redis-connection';

/** The default queue name: every sweep's jobs go to one queue, named by sweep id. */
export const SWEEP_QUEUE_NAME = 'quantpipe-sweeps';

/** What a queued job carries: the job, and the database its result goes to. */
export interface QueuedSweepJob {
  readonly job: SweepJob;
  /** The sweep's database (a worker's own `databaseUrl` overrides it). */
  readonly databaseUrl: string;
}

/** Jobs added to Redis per round trip. */
const ADD_BATCH = 500;

/** Attempts of a job whose worker failed to record it (infrastructure errors, not job errors). */
export const QUEUE_JOB_ATTEMPTS = 3;

/** The sweep queue on a Redis server. Close it when done. */
export function openSweepQueue(
  redisUrl: string,
  queueName = SWEEP_QUEUE_NAME,
): Queue<QueuedSweepJob> {
  return new Queue<QueuedSweepJob>(queueName, { connection: redisConnection(redisUrl) });
}

/**
 * Adds jobs to the queue. Each queue job's id is the sweep job's run id, so adding a job that
 * is still in the queue (waiting, active or delayed) does nothing: adding again is safe, and is
 * how a sweep restores jobs a Redis restart without persistence lost. Completed jobs are
 * removed from Redis (their results are in the database).
 */
export async function enqueueSweepJobs(
  queue: Queue<QueuedSweepJob>,
  jobs: readonly SweepJob[],
  databaseUrl: string,
): Promise<void> {
  for (let i = 0; i < jobs.length; i += ADD_BATCH) {
    await queue.addBulk(
      jobs.slice(i, i + ADD_BATCH).map((job) => ({
        name: job.sweepId,
        data: { job, databaseUrl },
        opts: {
          jobId: job.runId,
          attempts: QUEUE_JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: { count: 10_000 },
        },
      })),
    );
  }
}
