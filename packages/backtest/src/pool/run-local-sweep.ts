import { recordSweepJob, type SweepJobRecord, type TradingDatabase } from '@quantpipe/storage';
import { completeSweep } from '../sweep/complete-sweep';
import type { SweepPlan } from '../sweep/prepare-sweep';
import { prepareSweepRun } from '../sweep/prepare-sweep-run';
import type { SweepJob } from '../sweep/sweep-jobs';
import type { SweepOutputs } from '../sweep/sweep-outputs';
import type { SweepSpec } from '../sweep/sweep-spec';
import type { SweepSummary } from '../sweep/sweep-summary';
import { SweepPool } from './sweep-pool';

/** Jobs done so far out of all of a sweep's. */
export interface SweepProgress {
  /** Recorded jobs (done or failed), those of earlier runs included. */
  readonly recorded: number;
  readonly failed: number;
  readonly total: number;
  /** Jobs this run has recorded. */
  readonly ranNow: number;
}

/**
 * Runs jobs on a pool and records each result in the database as it comes (so an interrupted
 * sweep keeps what it finished). Stops early, dropping queued and running jobs, when `signal`
 * is aborted. Resolves with the number of jobs recorded and whether it was interrupted.
 */
export async function runJobsOnPool(options: {
  readonly db: TradingDatabase;
  readonly pool: SweepPool;
  readonly jobs: readonly SweepJob[];
  readonly signal?: AbortSignal;
  readonly onRecorded?: (record: SweepJobRecord) => void;
}): Promise<{ readonly recorded: number; readonly interrupted: boolean }> {
  const { db, pool, jobs, signal } = options;
  let recorded = 0;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  try {
    const results = await Promise.allSettled(
      jobs.map(async (job) => {
        const record = await pool.run(job, stop.signal);
        if (stop.signal.aborted) return;
        await recordSweepJob(db, record);
        recorded++;
        options.onRecorded?.(record);
      }),
    );
    const interrupted = stop.signal.aborted;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure && !interrupted) throw failure.reason;
    return { recorded, interrupted };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Options of {@link runLocalSweep}. */
export interface LocalSweepOptions {
  readonly spec: SweepSpec;
  /** Sweep id (default: the spec's name, else from its hash). */
  readonly sweepId?: string;
  /** Folder of the sweep's outputs (default `out/sweeps`): `<outputDir>/<sweepId>/`. */
  readonly outputDir?: string;
  /** Database for the results (default `sqlite:<outputDir>/<sweepId>/sweep.sqlite`). */
  readonly databaseUrl?: string;
  /** Continue a sweep that has results: its recorded jobs are not run again. */
  readonly resume?: boolean;
  /** Worker threads (default: every core). */
  readonly threads?: number;
  /** Abort to stop cleanly: finished jobs stay recorded; resume later. */
  readonly signal?: AbortSignal;
  /** Called once the plan is known, and after every recorded job. */
  readonly onProgress?: (progress: SweepProgress, plan: SweepPlan) => void;
}

/** What {@link runLocalSweep} did. */
export interface LocalSweepResult {
  readonly plan: SweepPlan;
  readonly databaseUrl: string;
  /** Jobs skipped because an earlier run had recorded them. */
  readonly skipped: number;
  readonly ranNow: number;
  readonly interrupted: boolean;
  /** The summary and outputs, unless interrupted. */
  readonly summary?: SweepSummary;
  readonly outputs?: SweepOutputs;
}

/**
 * Runs a sweep on this machine's cores (a piscina worker-thread pool, no server): plans it,
 * records it in the database, runs every job not yet recorded, records each result, then
 * summarises it and writes sweep.json, sweep.csv and report.html.
 */
export async function runLocalSweep(options: LocalSweepOptions): Promise<LocalSweepResult> {
  const { plan, outputDir, databaseUrl, db, pending, recorded } = await prepareSweepRun(options);
  try {
    const total = plan.jobs.length;
    let ranNow = 0;
    let failed = 0;
    const report = (): void =>
      options.onProgress?.({ recorded: recorded + ranNow, failed, total, ranNow }, plan);
    report();
    let interrupted = false;
    if (pending.length > 0) {
      const pool = new SweepPool(options.threads === undefined ? {} : { threads: options.threads });
      try {
        ({ interrupted } = await runJobsOnPool({
          db,
          pool,
          jobs: pending,
          ...(options.signal ? { signal: options.signal } : {}),
          onRecorded: (record) => {
            ranNow++;
            if (record.status === 'failed') failed++;
            report();
          },
        }));
      } finally {
        await pool.close();
      }
    }
    const base = { plan, databaseUrl, skipped: recorded, ranNow, interrupted };
    if (interrupted) return base;
    const { summary, outputs } = await completeSweep(db, plan, { outputDir });
    return { ...base, summary, outputs };
  } finally {
    await db.close();
  }
}
