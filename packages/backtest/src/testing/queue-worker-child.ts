/**
 * Test support: a sweep worker in a process of its own, as `backtest worker` runs it, with
 * short locks so a killed worker's job is taken over quickly. Prints `ready`, then
 * `start <jobId>` and `recorded <jobId>` per job.
 *   node --conditions=@quantpipe/source --import tsx queue-worker-child.ts <redis> <queue>
 */
import { startSweepWorker } from '../queue/sweep-queue-worker';

const [redisUrl, queueName] = process.argv.slice(2);
if (!redisUrl || !queueName) throw new Error('usage: queue-worker-child.ts <redis-url> <queue>');
const worker = await startSweepWorker({
  redisUrl,
  queueName,
  lockDurationMs: 1500,
  stalledIntervalMs: 1000,
  maxStalledCount: 100,
  onJob: (event, jobId) => process.stdout.write(`${event} ${jobId}\n`),
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
