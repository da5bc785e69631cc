import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { isQuantpipeError } from '@quantpipe/core';
import type { SweepJobRecord } from '@quantpipe/storage';
import { parseBacktestConfig } from '../config/backtest-config';
import { computeBacktestMetrics, type BacktestMetrics } from '../output/performance';
import { lastPerDate } from '../report/chart-specs';
import { runBacktest } from '../runner/run-backtest';
import type { MarketCache } from './market-cache';
import { objectiveValue } from './objectives';
import type { SweepJob } from './sweep-jobs';

/** A job's metrics: the run's metrics without its wall time (that is the job's duration). */
export type SweepJobMetrics = Omit<BacktestMetrics, 'wallTimeMs'>;

/** Which worker runs jobs in this thread: host, process id and thread id. */
export function workerName(): string {
  return `${hostname()}/${process.pid}/${threadId}`;
}

function nowIso(): string {
  return new Date().toISOString();
}

/** What a job's record repeats of the job. */
function jobFields(job: SweepJob) {
  return {
    sweepId: job.sweepId,
    jobId: job.jobId,
    paramIndex: job.paramIndex,
    foldIndex: job.foldIndex,
    phase: job.phase,
    parameters: job.parameters,
    runId: job.runId,
  };
}

/**
 * The record of a job that produced no result: `error` says why; every figure is null.
 */
export function failedJobRecord(
  job: SweepJob,
  run: {
    readonly worker: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
  },
  error: { readonly code: string; readonly message: string },
): SweepJobRecord {
  return {
    ...jobFields(job),
    ...run,
    status: 'failed',
    objective: null,
    sharpe: null,
    totalReturn: null,
    maxDrawdown: null,
    metrics: null,
    dailyEquity: null,
    error,
  };
}

/**
 * Runs one sweep job: validates its config, opens its market (from `cache` when given), runs the
 * backtest and computes its metrics. Never throws for the job's own failure (a parameter
 * combination the config refuses, a run that fails): that is a `failed` record with the error.
 */
export async function runSweepJob(
  job: SweepJob,
  options: { readonly cache?: MarketCache; readonly worker?: string } = {},
): Promise<SweepJobRecord> {
  const startedAt = nowIso();
  const started = performance.now();
  const common = {
    ...jobFields(job),
    worker: options.worker ?? workerName(),
    startedAt,
  };
  try {
    const config = parseBacktestConfig(job.config);
    const market = options.cache ? await options.cache.open(config) : undefined;
    const outcome = await runBacktest({
      config,
      runId: job.runId,
      ...(market ? { market } : {}),
    });
    const { wallTimeMs: _wall, ...metrics } = computeBacktestMetrics(outcome.result, outcome.audit);
    const daily = lastPerDate(outcome.result.equity);
    const p = metrics.performance;
    return {
      ...common,
      status: 'done',
      objective: objectiveValue(job.objective, p),
      sharpe: p.sharpeRatio,
      totalReturn: p.totalReturn,
      maxDrawdown: p.maxDrawdown,
      metrics: JSON.parse(JSON.stringify(metrics)) as SweepJobRecord['metrics'],
      dailyEquity: { dates: daily.map((d) => d.date), equityUsd: daily.map((d) => d.equityUsd) },
      error: null,
      durationMs: performance.now() - started,
      finishedAt: nowIso(),
    };
  } catch (error) {
    return failedJobRecord(
      job,
      {
        worker: common.worker,
        startedAt,
        finishedAt: nowIso(),
        durationMs: performance.now() - started,
      },
      {
        code: isQuantpipeError(error) ? error.code : 'E_UNEXPECTED',
        message: error instanceof Error ? error.message : String(error),
      },
    );
  }
}
