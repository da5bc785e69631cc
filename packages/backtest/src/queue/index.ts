/**
 * @packageDocumentation
 * Distributed sweeps on BullMQ over Redis: `runQueuedSweep` queues a sweep's jobs and collects
 * the results the workers record in the (shared) trading database; `startSweepWorker` runs
 * jobs, on any number of machines. Needs the optional peer dependencies `bullmq` and `ioredis`
 * (`npm install bullmq ioredis`); `@quantpipe/backtest` itself never loads them.
 */
export { runQueuedSweep } from './run-queued-sweep';
export type { QueuedSweepOptions } from './run-queued-sweep';
export { startSweepWorker } from './sweep-queue-worker';
export type { SweepWorkerOptions, SweepWorkerHandle } from './sweep-queue-worker';
export {
  openSweepQueue,
  enqueueSweepJobs,
  SWEEP_QUEUE_NAME,
  QUEUE_JOB_ATTEMPTS,
} from './sweep-queue';
export type { QueuedSweepJob } from './sweep-queue';
export { redisConnection, redactedRedisUrl } from './redis-connection';
