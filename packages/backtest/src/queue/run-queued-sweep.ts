import { silentLogger, type Logger } from '@quantpipe/core';
import { countSweepJobs, recordedSweepJobIds } from '@quantpipe/storage';
import type { LocalSweepResult, SweepProgress } from '../pool/run-local-sweep';
import { completeSweep } from '../sweep/complete-sweep';
import type { SweepPlan } from '../sweep/prepare-sweep';
import { prepareSweepRun } from '../sweep/prepare-sweep-run';
import type { SweepSpec } from '../sweep/sweep-spec';
import { enqueueSweepJobs, openSweepQueue } from './sweep-queue';

/** Options of {@link runQueuedSweep}. */
export interface QueuedSweepOptions {
  readonly spec: SweepSpec;
  readonly redisUrl: string;
  readonly queueName?: string;
  readonly sweepId?: string;
  /** Folder of the sweep's outputs (default `out/sweeps`). */
  readonly outputDir?: string;
  /**
   * Database for the results, shared with the workers (default
   * `sqlite:<outputDir>/<sweepId>/sweep.sqlite`, which only workers on this machine can reach).
   */
  readonly databaseUrl?: string;
  readonly resume?: boolean;
  /** Only queue the jobs, do not wait for them (collect later with `resume`). */
  readonly noWait?: boolean;
  /** How often the database is asked for progress (ms, default 1000). */
  readonly pollMs?: number;
  /**
   * How often jobs not yet recorded are queued again (ms, default 15 s): a no-op for those
   * still in Redis, it restores jobs that a Redis restart without persistence dropped.
   */
  readonly requeueMs?: number;
  /** Abort to stop waiting (queued jobs stay queued; resume to collect them). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SweepProgress, plan: SweepPlan) => void;
  readonly logger?: Logger;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        done();
      },
      { once: true },
    );
  });

/**
 * Runs a sweep on the BullMQ queue: plans it, records it in the database, queues every job not
 * yet recorded, then waits for the workers (`startSweepWorker`, any number, anywhere) to record
 * them all, queueing lost jobs again as it goes; then summarises it and writes its outputs.
 */
export async function runQueuedSweep(options: QueuedSweepOptions): Promise<LocalSweepResult> {
  const logger = options.logger ?? silentLogger;
  const { plan, outputDir, databaseUrl, db, pending, recorded } = await prepareSweepRun(options);
  try {
    const queue = openSweepQueue(options.redisUrl, options.queueName);
    try {
      const total = plan.jobs.length;
      await enqueueSweepJobs(queue, pending, databaseUrl);
      const progress = async (): Promise<SweepProgress> => {
        const counts = await countSweepJobs(db, plan.sweepId);
        const now = counts.done + counts.failed;
        return { recorded: now, failed: counts.failed, total, ranNow: now - recorded };
      };
      let last = await progress();
      options.onProgress?.(last, plan);
      if (options.noWait)
        return { plan, databaseUrl, skipped: recorded, ranNow: 0, interrupted: true };
      let lastRequeue = Date.now();
      const requeueMs = options.requeueMs ?? 15_000;
      while (last.recorded < total && !options.signal?.aborted) {
        await sleep(options.pollMs ?? 1000, options.signal);
        const now = await progress();
        if (now.recorded !== last.recorded) options.onProgress?.(now, plan);
        last = now;
        if (last.recorded < total && Date.now() - lastRequeue >= requeueMs) {
          lastRequeue = Date.now();
          const done = await recordedSweepJobIds(db, plan.sweepId);
          try {
            await enqueueSweepJobs(
              queue,
              plan.jobs.filter((j) => !done.has(j.jobId)),
              databaseUrl,
            );
          } catch (error) {
            logger.warn({ error: String(error) }, 'sweep: cannot queue jobs again (Redis down?)');
          }
        }
      }
      const base = { plan, databaseUrl, skipped: recorded, ranNow: last.ranNow };
      if (last.recorded < total) return { ...base, interrupted: true };
      const { summary, outputs } = await completeSweep(db, plan, { outputDir });
      return { ...base, interrupted: false, summary, outputs };
    } finally {
      await queue.close();
    }
  } finally {
    await db.close();
  }
}
