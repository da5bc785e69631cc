/** Test support: sweep worker processes (queue-worker-child.ts) a test can start and kill. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(__dirname, 'queue-worker-child.ts');
const PACKAGE_ROOT = join(__dirname, '..', '..');

/** A worker process and what it said. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves once the worker takes jobs. */
  readonly ready: Promise<void>;
  /** Jobs it started and recorded, in order. */
  readonly started: string[];
  readonly recorded: string[];
  /** Resolves with the next job start (its id). */
  nextStart(): Promise<string>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  stderr(): string;
}

export function startWorkerProcess(redisUrl: string, queueName: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@quantpipe/source', '--import', 'tsx', CHILD, redisUrl, queueName],
    { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const started: string[] = [];
  const recorded: string[] = [];
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const waiting: ((jobId: string) => void)[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line === 'ready') onReady();
      const [event, jobId] = line.split(' ');
      if (event === 'start' && jobId) {
        started.push(jobId);
        for (const w of waiting.splice(0)) w(jobId);
      }
      if (event === 'recorded' && jobId) recorded.push(jobId);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    ready,
    started,
    recorded,
    nextStart: () => new Promise((resolve) => waiting.push(resolve)),
    exited,
    stderr: () => stderr,
  };
}

/** Stops a worker: SIGTERM (it finishes its job), or SIGKILL. */
export async function stopWorkerProcess(
  w: WorkerProcess,
  signal: 'SIGTERM' | 'SIGKILL',
): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited;
}
