/**
 * Sweep benchmark: 64 configurations x 20 synthetic symbols x 2,520 daily sessions, the full
 * pipeline, run three ways: one local worker thread, a worker thread per core, and the BullMQ
 * queue (a throwaway `redis-server` on a free loopback port) with 2 worker processes.
 *
 * It runs the built packages (`npm run bench:sweep` builds them first), as users do: worker
 * threads and queue workers then load plain JavaScript instead of compiling the sources.
 *
 * Jobs/s is jobs over the wall time of the whole sweep (planning, every job, recording, summary
 * and outputs). Queue overhead compares the queue with 2 workers against the local pool with 2
 * threads (the same parallelism): the extra wall time per job, as a share of the mean job time.
 * Targets (2-core machine): all cores >= 1.8x one worker; queue overhead <= 5 %.
 *
 * A fourth run splits the jobs between two processes of one worker thread each, both at once:
 * what two cores give when nothing is shared, since each isolate compiles and warms up alone.
 *
 * The runs take turns, `rounds` times (default 3), each run on a new pool or new worker
 * processes (started before its timer); the figures are of the medians, since a shared machine
 * moves one run by more than the overhead measured.
 *
 *   npm run bench:sweep -- [configs] [symbols] [sessions] [rounds]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSweepJobs, openDatabase } from '@quantpipe/storage';
import { runLocalSweep, type LocalSweepResult } from '@quantpipe/backtest';
import { runQueuedSweep } from '@quantpipe/backtest/queue';
import { freePort } from '@quantpipe/core/testing';
import { machineLine } from './harness';
import { benchSpec as benchSpecOf } from './sweep/bench-spec';

const CONFIGS = Number(process.argv[2] ?? 64);
const SYMBOLS = Number(process.argv[3] ?? 20);
const SESSIONS = Number(process.argv[4] ?? 2520);
const ROUNDS = Number(process.argv[5] ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'qp-bench-sweep-'));

const shape = { configs: CONFIGS, symbols: SYMBOLS, sessions: SESSIONS };
const benchSpec = (name: string) => benchSpecOf(name, shape);

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

/** The median of a sample. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** A sweep on the queue, with 2 new worker processes (started before the timer). */
async function queueRun(redisUrl: string, round: number): Promise<Timed> {
  const queueName = `bench-${round}`;
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) workers.push(await startWorker(redisUrl, queueName));
    return await timed('queue (BullMQ), 2 worker processes', () =>
      runQueuedSweep({
        spec: benchSpec(`bench-queue-${round}`),
        redisUrl,
        queueName,
        outputDir: out,
        pollMs: 50,
      }),
    );
  } finally {
    for (const w of workers) await stopWorker(w);
  }
}

/**
 * The jobs split in two halves, each swept by one worker thread in a process of its own, both
 * at once (timed from the moment both have loaded their modules): two isolates that share
 * nothing, which no pool of threads in one process needs to beat.
 */
async function halvesRun(round: number, jobs: number): Promise<number> {
  const children = [0, 1].map((part) =>
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(here, 'sweep', 'half-sweep.ts'),
        String(CONFIGS),
        String(SYMBOLS),
        String(SESSIONS),
        String(part),
        out,
        `bench-halves-${round}`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  try {
    await Promise.all(children.map((c) => waitForLine(c, 'ready', 'half sweep')));
    const t0 = process.hrtime.bigint();
    const done = Promise.all(children.map((c) => waitForLine(c, 'done', 'half sweep')));
    for (const c of children) c.stdin?.write('go\n');
    await done;
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(
      `${'2 processes, 1 thread, half each'.padEnd(34)} ${((jobs / wallMs) * 1000).toFixed(3).padStart(7)} jobs/s  wall ${(wallMs / 1000).toFixed(1).padStart(6)} s`,
    );
    return wallMs;
  } finally {
    for (const c of children) await stopWorker(c);
  }
}

console.log(
  `sweep benchmark: ${CONFIGS} configurations x ${SYMBOLS} synthetic symbols x ${SESSIONS} daily sessions, ${ROUNDS} rounds`,
);
console.log(machineLine());
try {
  const redis = await startRedis();
  const ones: Timed[] = [];
  const alls: Timed[] = [];
  const twos: Timed[] = [];
  const queues: Timed[] = [];
  const halves: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`round ${round + 1}`);
      ones.push(
        await timed('local pool, 1 worker thread', () =>
          runLocalSweep({ spec: benchSpec(`bench-one-${round}`), outputDir: out, threads: 1 }),
        ),
      );
      const all = await timed(`local pool, ${cores} worker threads (all)`, () =>
        runLocalSweep({ spec: benchSpec(`bench-all-${round}`), outputDir: out, threads: cores }),
      );
      alls.push(all);
      twos.push(
        cores === 2
          ? all
          : await timed('local pool, 2 worker threads', () =>
              runLocalSweep({ spec: benchSpec(`bench-two-${round}`), outputDir: out, threads: 2 }),
            ),
      );
      queues.push(await queueRun(redis.url, round));
      // (each half needs a momentum value of its own)
      if (CONFIGS >= 4) halves.push(await halvesRun(round, all.result.plan.jobs.length));
    }
  } finally {
    await redis.stop();
  }
  const jobs = (ones[0] as Timed).result.plan.jobs.length;
  const wall = (runs: readonly Timed[]): number => median(runs.map((r) => r.wallMs));
  const cpu = (runs: readonly Timed[]): number => median(runs.map((r) => r.cpuMs));
  const meanJob = (runs: readonly Timed[]): number => median(runs.map((r) => r.meanJobMs));
  console.log(`medians of ${ROUNDS} rounds:`);
  const rate = (runs: readonly Timed[]): string => ((jobs / wall(runs)) * 1000).toFixed(3);
  console.log(
    `  1 worker thread ${rate(ones)} jobs/s, ${cores} threads ${rate(alls)} jobs/s, queue ${rate(queues)} jobs/s`,
  );
  const speedup = wall(ones) / wall(alls);
  // Extra wall time per job with 2 workers, as a share of the job time the pool saw.
  const overhead = (wall(queues) - wall(twos)) / 2 / jobs / meanJob(twos);
  const perRound = ones.map((one, r) => (one.wallMs / (alls[r] as Timed).wallMs).toFixed(2));
  console.log(
    `all cores / one worker: ${speedup.toFixed(2)}x (target >= 1.8x on 2 cores; ${cores} cores here); by round ${perRound.join('x, ')}x`,
  );
  // One worker thread already keeps more than one core busy (V8's garbage collector and
  // compiler run on helper threads), so `cores` threads can gain at most this much:
  const busyOne = cpu(ones) / wall(ones);
  console.log(
    `one worker keeps ${busyOne.toFixed(2)} cores busy: ${cores} threads can gain at most ${(cores / busyOne).toFixed(2)}x; CPU time per job ${(cpu(ones) / jobs).toFixed(0)} ms with 1 thread, ${(cpu(alls) / jobs).toFixed(0)} ms with ${cores}`,
  );
  if (halves.length > 0) {
    const split = median(halves);
    console.log(
      `two processes of half the jobs each, 1 thread each: ${((jobs / split) * 1000).toFixed(3)} jobs/s, ${(wall(ones) / split).toFixed(2)}x one worker (every isolate compiles and warms up on its own; the ${cores}-thread pool: ${speedup.toFixed(2)}x)`,
    );
  }
  console.log(
    `queue overhead against the 2-thread pool: ${(overhead * 100).toFixed(1)} % of job time (target <= 5 %)`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
