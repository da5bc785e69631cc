import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { ConfigError } from '@quantpipe/core';
import {
  parseSweepSpec,
  runLocalSweep,
  type LocalSweepResult,
  type SweepPlan,
  type SweepProgress,
} from '@quantpipe/backtest';
import type { CommandOutput } from './run-command';

/** The options of `backtest sweep`, as commander gives them. */
export interface SweepCommandOptions {
  readonly spec: string;
  readonly queue?: string;
  readonly db?: string;
  readonly out?: string;
  readonly threads?: string;
  readonly sweepId?: string;
  readonly resume?: boolean;
  readonly wait?: boolean;
  readonly progress?: boolean;
}

/** The options of `backtest worker`. */
export interface WorkerCommandOptions {
  readonly queue: string;
  readonly db?: string;
  readonly concurrency?: string;
}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(flag, `expected a whole number >= 1, got "${text}"`);
  return n;
}

async function readSpec(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('spec', `cannot read sweep file ${path}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError('spec', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A progress bar on a terminal (jobs done, rate, ETA); nothing elsewhere. */
function progressPrinter(out: CommandOutput, enabled: boolean) {
  let bar: cliProgress.SingleBar | undefined;
  const startedMs = Date.now();
  return {
    update(progress: SweepProgress, plan: SweepPlan): void {
      if (!enabled) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: `${plan.sweepId} {bar} {value}/{total} jobs | {rate} jobs/s | {failed} failed | ETA {eta_formatted}`,
            stream: out as NodeJS.WritableStream,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.total, progress.recorded, { rate: '0.00', failed: 0 });
      }
      const seconds = (Date.now() - startedMs) / 1000;
      bar.update(progress.recorded, {
        rate: seconds > 0 ? (progress.ranNow / seconds).toFixed(2) : '0.00',
        failed: progress.failed,
      });
    },
    stop(): void {
      bar?.stop();
    },
  };
}

const fmt = (value: number | null | undefined, digits = 3): string =>
  value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);

/** The lines printed after a sweep. */
export function sweepLines(result: LocalSweepResult): string[] {
  const { plan } = result;
  if (result.interrupted || !result.summary || !result.outputs)
    return [
      `sweep ${plan.sweepId}: stopped with ${result.skipped + result.ranNow} of ${plan.jobs.length} jobs recorded; run again with --resume to finish`,
    ];
  const s = result.summary;
  const lines = [
    `sweep ${s.sweepId}: ${s.jobs.done} jobs done, ${s.jobs.failed} failed (${result.skipped} from an earlier run), ${s.configurations.length} configurations, ${s.evaluation}`,
  ];
  if (s.best)
    lines.push(
      `best by ${s.objectiveLabel}: ${JSON.stringify(s.best.parameters)} → ${fmt(s.best.objective)} (Sharpe ${fmt(s.best.sharpe, 2)}, return ${fmt(s.best.totalReturn, 4)}, max drawdown ${fmt(s.best.maxDrawdown, 4)})`,
    );
  lines.push(
    `deflated Sharpe ratio: ${fmt(s.deflatedSharpe.value)}${s.deflatedSharpe.reason ? ` (${s.deflatedSharpe.reason})` : ''} over ${s.deflatedSharpe.trials} trials`,
    `probability of backtest overfitting: ${fmt(s.pbo.value)}${s.pbo.reason ? ` (${s.pbo.reason})` : ''}`,
  );
  for (const f of s.failures.slice(0, 5)) lines.push(`failed ${f.jobId}: ${f.code} ${f.message}`);
  lines.push(
    `results: ${result.databaseUrl}`,
    `sweep.json: ${result.outputs.sweepJson}`,
    `sweep.csv: ${result.outputs.sweepCsv}`,
    `report: ${result.outputs.reportHtml}`,
  );
  return lines;
}

/**
 * The queue entry point (BullMQ and ioredis), loaded only by the commands that use a queue:
 * every other command starts without them.
 */
const loadQueue = () => import('@quantpipe/backtest/queue');

/**
 * `backtest sweep`: on this machine's cores by default, through the BullMQ queue with `--queue`.
 * Ctrl-C stops cleanly (finished jobs stay recorded; `--resume` runs the rest).
 */
export async function executeSweep(
  options: SweepCommandOptions,
  out: CommandOutput = process.stdout,
  signal?: AbortSignal,
): Promise<LocalSweepResult> {
  const spec = parseSweepSpec(await readSpec(options.spec));
  const threads = wholeNumber('threads', options.threads);
  const progress = progressPrinter(out, options.progress !== false && out.isTTY === true);
  const common = {
    spec,
    ...(options.sweepId ? { sweepId: options.sweepId } : {}),
    ...(options.out ? { outputDir: options.out } : {}),
    ...(options.db ? { databaseUrl: options.db } : {}),
    ...(options.resume ? { resume: true } : {}),
    ...(signal ? { signal } : {}),
    onProgress: (p: SweepProgress, plan: SweepPlan) => progress.update(p, plan),
  };
  let result: LocalSweepResult;
  try {
    if (options.queue) {
      out.write(`sweep: queueing on ${options.queue}\n`);
      const { runQueuedSweep } = await loadQueue();
      result = await runQueuedSweep({
        ...common,
        redisUrl: options.queue,
        ...(options.wait === false ? { noWait: true } : {}),
      });
    } else {
      result = await runLocalSweep({ ...common, ...(threads ? { threads } : {}) });
    }
  } finally {
    progress.stop();
  }
  for (const line of sweepLines(result)) out.write(`${line}\n`);
  return result;
}

/** `backtest worker`: runs queued sweep jobs until SIGINT/SIGTERM, then finishes its jobs. */
export async function executeWorker(
  options: WorkerCommandOptions,
  out: CommandOutput = process.stdout,
  stopped: Promise<unknown> = new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  }),
): Promise<void> {
  const concurrency = wholeNumber('concurrency', options.concurrency);
  const { redactedRedisUrl, startSweepWorker } = await loadQueue();
  const worker = await startSweepWorker({
    redisUrl: options.queue,
    ...(options.db ? { databaseUrl: options.db } : {}),
    ...(concurrency ? { concurrency } : {}),
    onJob: (event, jobId, record) => {
      if (event === 'recorded')
        out.write(
          `${jobId}: ${record?.status ?? 'recorded'} in ${Math.round(record?.durationMs ?? 0)} ms\n`,
        );
    },
  });
  out.write(`worker ${worker.name}: taking jobs from ${redactedRedisUrl(options.queue)}\n`);
  await stopped;
  out.write(`worker ${worker.name}: stopping after its running jobs\n`);
  await worker.close();
}
