import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@quantpipe/core';
import type { SweepJobRecord } from '@quantpipe/storage';
import Piscina from 'piscina';
import type { SweepJob } from '../sweep/sweep-jobs';

declare const __filename: string | undefined;

/** This module's path, in CommonJS (the CJS bundle, tests) and in ESM (the ESM bundle). */
function selfPath(): string {
  if (typeof __filename === 'string') return __filename;
  return fileURLToPath(import.meta.url);
}

/**
 * The Node options of a worker of kind `workerExt` (`.ts`, `.js`, `.cjs`) started from a
 * process with options `parent`. A `.ts` worker gets the workspace's source condition and tsx.
 * A built worker that imports built packages runs without tsx: tsx would put every module of
 * the bundles through its transform (and build its source map) in each thread: over a second of
 * each thread's start-up on a 2-core machine. Other options are kept.
 */
export function workerExecArgv(parent: readonly string[], workerExt: string): string[] {
  const execArgv = [...parent];
  const fromSources = execArgv.some((a) => a.includes('@quantpipe/source'));
  if (workerExt === '.ts') {
    if (!fromSources) execArgv.push('--conditions=@quantpipe/source');
    if (!execArgv.some((a, i) => a === 'tsx' && execArgv[i - 1] === '--import'))
      execArgv.push('--import', 'tsx');
  } else if (!fromSources) {
    for (let i = execArgv.length - 1; i >= 0; i--) {
      const a = execArgv[i] as string;
      if (a === '--import=tsx') execArgv.splice(i, 1);
      else if (a === 'tsx' && execArgv[i - 1] === '--import') execArgv.splice(--i, 2);
    }
  }
  return execArgv;
}

/**
 * The worker module beside this one, of the same kind: `sweep-worker.js` / `.cjs` in a build,
 * `sweep-worker.ts` in the sources (then run through tsx with the workspace's source
 * condition, as `tools/scripts/run-app.mjs` runs the apps).
 */
export function sweepWorkerModule(): { readonly filename: string; readonly execArgv: string[] } {
  const self = selfPath();
  const ext = extname(self);
  const here = dirname(self);
  const filename =
    [here, dirname(here)].map((d) => join(d, `sweep-worker${ext}`)).find((f) => existsSync(f)) ??
    join(here, `sweep-worker${ext}`);
  return { filename, execArgv: workerExecArgv(process.execArgv, ext) };
}

/** Options of {@link SweepPool}. */
export interface SweepPoolOptions {
  /** Worker threads (default: every core, `os.availableParallelism()`). */
  readonly threads?: number;
  /**
   * Called with an error of the pool that belongs to no job (a thread that fails between
   * jobs); default: a process warning. Jobs' own errors reject their {@link SweepPool.run}.
   */
  readonly onError?: (error: Error) => void;
}

/**
 * What the pool does with an error piscina reports outside any job. A job aborted as it
 * finishes (Ctrl-C, or an aborted sweep) sends its result for a task the pool has already
 * dropped: piscina reports an unexpected message, and the result goes with the aborted job (not
 * recorded: a resumed sweep runs it again). Anything else goes to `onError`.
 */
export function onPoolError(error: Error, onError: (error: Error) => void): void {
  if (error.message.startsWith('Unexpected message from Worker')) return;
  onError(error);
}

function warn(error: Error): void {
  process.emitWarning(error.message, { type: 'SweepPoolWarning' });
}

/**
 * A pool of worker threads (piscina) that run sweep jobs, one at a time each; every thread
 * keeps the markets it opened for its next jobs. Release it with {@link SweepPool.close}.
 */
export class SweepPool {
  readonly threads: number;
  readonly #pool: Piscina<SweepJob, SweepJobRecord>;

  constructor(options: SweepPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 1024)
      throw new ValidationError('threads', `expected a whole number in [1, 1024], got ${threads}`);
    this.threads = threads;
    const worker = sweepWorkerModule();
    this.#pool = new Piscina<SweepJob, SweepJobRecord>({
      filename: worker.filename,
      execArgv: worker.execArgv,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
    });
    // Without a listener, an 'error' event would end the process.
    const onError = options.onError ?? warn;
    this.#pool.on('error', (error: Error) => onPoolError(error, onError));
  }

  /**
   * Runs a job on a free thread (queued until one is free). Aborting `signal` drops a queued
   * job and stops a running one (its thread is ended and replaced); the promise then rejects.
   */
  async run(job: SweepJob, signal?: AbortSignal): Promise<SweepJobRecord> {
    const record = await this.#pool.run(job, signal ? { signal } : {});
    // The structured clone is built in the process's main realm; through JSON the record is
    // made of the caller's plain objects (a vm context such as a test runner's has its own).
    return JSON.parse(JSON.stringify(record)) as SweepJobRecord;
  }

  /** Ends every thread at once (running jobs are dropped). */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
