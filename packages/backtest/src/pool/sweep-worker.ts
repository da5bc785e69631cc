/**
 * The worker-thread module of the sweep pool (its own build entry, `dist/sweep-worker.*`): runs
 * one job at a time, with one market cache for every job of the thread.
 */
import type { SweepJobRecord } from '@quantpipe/storage';
import { MarketCache } from '../sweep/market-cache';
import { runSweepJob } from '../sweep/run-sweep-job';
import type { SweepJob } from '../sweep/sweep-jobs';

const cache = new MarketCache();

/** Runs a job in this thread (piscina calls the default export). */
export default function runJobInThread(job: SweepJob): Promise<SweepJobRecord> {
  return runSweepJob(job, { cache });
}
