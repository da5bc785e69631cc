/**
 * Sweep benchmark: 64 configurations x 20 synthetic symbols x 2,520 daily sessions, the full
 * pipeline, run three ways: one local worker thread, a worker thread per core, and the BullMQ
 * queue (a throwaway `redis-server` on a free loopback port) with 2 worker processes.
 *
 *   npm run bench:sweep -- [configs] [symbols] [sessions]
 *
 * It runs the built packages (`npm run bench:sweep` builds them first), as users do: worker
 * threads and queue workers then load plain JavaScript instead of compiling the sources.
 *
 * Jobs/s is jobs over the wall time of the whole sweep (planning, every job, recording, summary
 * and outputs). Queue overhead compares the queue with 2 workers against the local pool with 2
 * threads (the same parallelism): the extra wall time per job, as a share of the mean job time.
 * Targets (2-core machine): all cores >= 1.8x one worker; queue overhead <= 5 %.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSweepJobs, openDatabase } from '@quantpipe/storage';
import { parseSweepSpec, runLocalSweep, type LocalSweepResult } from '@quantpipe/backtest';
import { runQueuedSweep } from '@quantpipe/backtest/queue';
import { machineLine } from './harness';

const CONFIGS = Number(process.argv[2] ?? 64);
const SYMBOLS = Number(process.argv[3] ?? 20);
const SESSIONS = Number(process.argv[4] ?? 2520);
const here = dirname(fileURLToPath(import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'qp-bench-sweep-'));

/** CONFIGS configurations: momentum_fast over 2..(CONFIGS/2+1) x two leverage caps. */
function benchSpec(name: string) {
  const fast = Array.from({ length: Math.max(1, Math.floor(CONFIGS / 2)) }, (_, i) => 2 + i);
  return parseSweepSpec({
    name,
    base: {
      synthetic: { sessions: SESSIONS, hourly: false, universe_size: SYMBOLS },
      reweight: 'monthly',
      progress: false,
    },
    grid: { momentum_fast: fast, max_leverage: CONFIGS > 1 ? [1, 1.5] : [1] },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, line: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes(line)) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`${what} exited with ${String(code)}:\n${output}`)),
    );
  });
}

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    throw new Error('redis-server not found (Debian package redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qp-bench-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await waitForLine(child, 'Ready to accept connections', 'redis-server');
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startWorker(redisUrl: string, queueName: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'sweep', 'queue-worker.ts'), redisUrl, queueName],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await waitForLine(child, 'ready', 'sweep worker');
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface Timed {
  readonly label: string;
  readonly wallMs: number;
  /** CPU time of this process (main and worker threads, GC and compiler threads included). */
  readonly cpuMs: number;
  readonly result: LocalSweepResult;
  readonly meanJobMs: number;
}

async function timed(label: string, run: () => Promise<LocalSweepResult>): Promise<Timed> {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const result = await run();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (result.interrupted || result.summary?.jobs.done !== result.plan.jobs.length)
    throw new Error(`${label}: not every job done: ${JSON.stringify(result.summary?.jobs)}`);
  const db = await openDatabase(result.databaseUrl);
  const jobs = await listSweepJobs(db, result.plan.sweepId);
  await db.close();
  const meanJobMs = jobs.reduce((s, j) => s + j.durationMs, 0) / jobs.length;
  const jobsPerS = (jobs.length / wallMs) * 1000;
  console.log(
    `${label.padEnd(34)} ${jobsPerS.toFixed(3).padStart(7)} jobs/s  wall ${(wallMs / 1000).toFixed(1).padStart(6)} s  mean job ${meanJobMs.toFixed(0)} ms  cpu ${(cpuMs / 1000).toFixed(1)} s (${(cpuMs / wallMs).toFixed(2)} cores busy in this process)`,
  );
  return { label, wallMs, cpuMs, result, meanJobMs };
}

const cores = availableParallelism();
console.log(
  `sweep benchmark: ${CONFIGS} configurations x ${SYMBOLS} synthetic symbols x ${SESSIONS} daily sessions`,
);
console.log(machineLine());
try {
  const one = await timed('local pool, 1 worker thread', () =>
    runLocalSweep({ spec: benchSpec('bench-one'), outputDir: out, threads: 1 }),
  );
  const all = await timed(`local pool, ${cores} worker threads (all)`, () =>
    runLocalSweep({ spec: benchSpec('bench-all'), outputDir: out, threads: cores }),
  );
  const two =
    cores === 2
      ? all
      : await timed('local pool, 2 worker threads', () =>
          runLocalSweep({ spec: benchSpec('bench-two'), outputDir: out, threads: 2 }),
        );
  const redis = await startRedis();
  const workers: ChildProcess[] = [];
  let queued: Timed;
  try {
    for (let i = 0; i < 2; i++) workers.push(await startWorker(redis.url, 'bench'));
    queued = await timed('queue (BullMQ), 2 worker processes', () =>
      runQueuedSweep({
        spec: benchSpec('bench-queue'),
        redisUrl: redis.url,
        queueName: 'bench',
        outputDir: out,
        pollMs: 50,
      }),
    );
  } finally {
    for (const w of workers) await stopWorker(w);
    await redis.stop();
  }
  const jobs = one.result.plan.jobs.length;
  const speedup = one.wallMs / all.wallMs;
  // Extra wall time per job with 2 workers, as a share of the job time the pool saw.
  const overhead = (queued.wallMs - two.wallMs) / 2 / jobs / two.meanJobMs;
  console.log(
    `all cores / one worker: ${speedup.toFixed(2)}x (target >= 1.8x on 2 cores; ${cores} cores here)`,
  );
  // One worker thread already keeps more than one core busy (V8's garbage collector and
  // compiler run on helper threads), so `cores` threads can gain at most this much:
  const busyOne = one.cpuMs / one.wallMs;
  console.log(
    `one worker keeps ${busyOne.toFixed(2)} cores busy: ${cores} threads can gain at most ${(cores / busyOne).toFixed(2)}x; CPU time per job ${(one.cpuMs / jobs).toFixed(0)} ms with 1 thread, ${(all.cpuMs / jobs).toFixed(0)} ms with ${cores}`,
  );
  console.log(
    `queue overhead against the 2-thread pool: ${(overhead * 100).toFixed(1)} % of job time (target <= 5 %)`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
