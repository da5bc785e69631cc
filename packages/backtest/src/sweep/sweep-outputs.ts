import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SweepJobRecord } from '@quantpipe/storage';
import { csv } from '../output/csv-files';
import { parameterText } from './sweep-report';
import type { SweepSummary } from './sweep-summary';

/** Where a sweep's outputs went. */
export interface SweepOutputs {
  readonly directory: string;
  readonly sweepJson: string;
  readonly sweepCsv: string;
  readonly reportHtml: string;
}

/** The columns of `sweep.csv` before and after the parameter columns. */
export const SWEEP_CSV_LEADING = ['job_id', 'param_index', 'fold', 'phase'] as const;
export const SWEEP_CSV_TRAILING = [
  'status',
  'objective',
  'sharpe',
  'total_return',
  'max_drawdown',
  'run_id',
  'duration_ms',
  'worker',
  'error',
] as const;

/** `sweep.csv`: one row per recorded job, a column per parameter key. */
export function sweepCsv(keys: readonly string[], jobs: readonly SweepJobRecord[]): string {
  return csv(
    [...SWEEP_CSV_LEADING, ...keys, ...SWEEP_CSV_TRAILING],
    jobs.map((j) => [
      j.jobId,
      j.paramIndex,
      j.foldIndex,
      j.phase,
      ...keys.map((k) => parameterText(j.parameters[k])),
      j.status,
      j.objective,
      j.sharpe,
      j.totalReturn,
      j.maxDrawdown,
      j.runId,
      Math.round(j.durationMs),
      j.worker,
      j.error ? `${j.error.code}: ${j.error.message}` : null,
    ]),
  );
}

/** A job as `sweep.json` lists it: its figures, not its daily equity or full metrics. */
function jobEntry(j: SweepJobRecord) {
  const { dailyEquity: _equity, metrics: _metrics, ...rest } = j;
  return rest;
}

/**
 * Writes a sweep's outputs into `<outputDir>/<sweepId>/`: sweep.json (the summary and every
 * job's figures), sweep.csv (one row per job) and report.html.
 */
export async function writeSweepOutputs(
  outputDir: string,
  summary: SweepSummary,
  jobs: readonly SweepJobRecord[],
  reportHtml: string,
): Promise<SweepOutputs> {
  const directory = resolve(outputDir, summary.sweepId);
  await mkdir(directory, { recursive: true });
  const paths = {
    sweepJson: join(directory, 'sweep.json'),
    sweepCsv: join(directory, 'sweep.csv'),
    reportHtml: join(directory, 'report.html'),
  };
  await writeFile(
    paths.sweepJson,
    `${JSON.stringify({ summary, jobs: jobs.map(jobEntry) }, null, 2)}\n`,
  );
  await writeFile(paths.sweepCsv, sweepCsv(summary.parameterKeys, jobs));
  await writeFile(paths.reportHtml, reportHtml);
  return { directory, ...paths };
}
