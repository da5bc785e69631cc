import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describeArgs } from './check-output';
import { HANG_MS, type TargetResult } from './fuzz-config';
import { DEFAULT_RUNS, TARGETS } from './targets';
import fc from 'fast-check';
import { seedOf } from './fuzz-config';

const RUNNER = join(__dirname, 'fuzz-runner.ts');
const PROJECT_ROOT = join(__dirname, '..');

/** The inputs of call `index` of a target, described (to report a hang or a crash). */
function describeCall(name: string, index: number): string {
  const target = TARGETS.find((t) => t.name === name);
  if (target === undefined) return '?';
  const inputs = fc.sample(target.args, {
    seed: seedOf(name),
    numRuns: target.runs ?? DEFAULT_RUNS,
  });
  const args = inputs[index];
  return args === undefined ? '?' : describeArgs(args);
}

/** Runs the runner on `names` until it ends or a call hangs; returns what it finished. */
function runOnce(names: readonly string[]): Promise<{
  results: TargetResult[];
  /** Set when the runner died or hung inside a target. */
  stopped?: { target: string; index: number; why: string };
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@quantpipe/source', '--import', 'tsx', RUNNER, ...names],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const results: TargetResult[] = [];
    let current: { target: string; index: number } | undefined;
    let lastBeat = Date.now();
    let hung = false;
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        lastBeat = Date.now();
        if (line.startsWith('call ')) {
          const [, target, index] = line.split(' ');
          current = { target: target as string, index: Number(index) };
        } else if (line.startsWith('result ')) {
          results.push(JSON.parse(line.slice('result '.length)) as TargetResult);
          current = undefined;
        }
      }
    });
    const watchdog = setInterval(() => {
      if (current !== undefined && Date.now() - lastBeat > HANG_MS) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 250);
    child.once('error', (error) => {
      clearInterval(watchdog);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearInterval(watchdog);
      if (current === undefined && code === 0) return resolve({ results });
      if (current === undefined)
        return reject(
          new Error(`fuzz runner failed outside a call (${String(code ?? signal)}): ${stderr}`),
        );
      const why = hung
        ? `a call did not return within ${HANG_MS} ms (killed)`
        : `the runner died (${String(code ?? signal)}): ${stderr.trim().split('\n').slice(0, 4).join(' | ')}`;
      resolve({ results, stopped: { ...current, why } });
    });
  });
}

/**
 * Fuzzes the named targets in a child process and returns one result per target. A target
 * whose call hangs or kills the process gets a failure naming the call and its inputs; the
 * remaining targets run in a fresh process.
 */
export async function runFuzz(names: readonly string[]): Promise<Map<string, TargetResult>> {
  const out = new Map<string, TargetResult>();
  let remaining = [...names];
  while (remaining.length > 0) {
    const { results, stopped } = await runOnce(remaining);
    for (const r of results) out.set(r.target, r);
    if (stopped === undefined) break;
    out.set(stopped.target, {
      target: stopped.target,
      calls: stopped.index + 1,
      typedErrors: 0,
      failures: [
        `call ${stopped.index} (${describeCall(stopped.target, stopped.index)}): ${stopped.why}`,
      ],
      failureCount: 1,
      maxCallMs: HANG_MS,
    });
    remaining = remaining.slice(remaining.indexOf(stopped.target) + 1);
  }
  return out;
}
