/**
 * A sweep worker process for the sweep benchmark, as `backtest worker` runs one: one job at a
 * time from the queue, results to the database each job names. Prints `ready` once it takes
 * jobs; SIGTERM stops it after its running job.
 *   node --conditions=@quantpipe/source --import tsx tools/bench/src/sweep/queue-worker.ts <redis-url> <queue>
 */
import { startSweepWorker } from '@quantpipe/backtest/queue';

const [redisUrl, queueName] = process.argv.slice(2);
if (!redisUrl || !queueName) throw new Error('usage: queue-worker.ts <redis-url> <queue>');
const worker = await startSweepWorker({ redisUrl, queueName });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
