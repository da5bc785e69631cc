import { StateError, ValidationError, type JsonValue } from '@quantpipe/core';
import type { Selectable } from 'kysely';
import { toStorageError } from './db-errors';
import type { SweepJobsTable, SweepsTable } from './sweep-tables';
import type { TradingDatabase } from './trading-database';
import {
  assertFiniteNumber,
  assertJsonValue,
  assertNonEmptyString,
  assertOneOf,
  assertTextSize,
  assertUtcInstant,
  assertWholeNumber,
} from './validate';

/** What a sweep is started with. */
export interface SweepInput {
  readonly sweepId: string;
  /** ISO-8601 UTC instant. */
  readonly createdAt: string;
  /** SHA-256 (hex) of the spec's canonical JSON. */
  readonly specSha256: string;
  readonly spec: JsonValue;
  readonly jobsTotal: number;
}

/** A stored sweep. */
export interface SweepRecord extends SweepInput {
  readonly status: 'running' | 'finished';
  readonly finishedAt: string | null;
  readonly summary: JsonValue | null;
}

/** Which part of the data a job ran over. */
export type SweepJobPhase = 'full' | 'in_sample' | 'out_of_sample';

/** The last equity of each session of a job's run. */
export interface DailyEquity {
  readonly dates: readonly string[];
  readonly equityUsd: readonly number[];
}

/** One finished job of a sweep. */
export interface SweepJobRecord {
  readonly sweepId: string;
  readonly jobId: string;
  readonly paramIndex: number;
  /** Walk-forward fold, null for a job over the whole period. */
  readonly foldIndex: number | null;
  readonly phase: SweepJobPhase;
  /** The job's parameter values by key. */
  readonly parameters: Readonly<Record<string, JsonValue>>;
  readonly status: 'done' | 'failed';
  readonly objective: number | null;
  readonly sharpe: number | null;
  readonly totalReturn: number | null;
  readonly maxDrawdown: number | null;
  /** The run's metrics (null when the job failed). */
  readonly metrics: JsonValue | null;
  /** The run's daily equity (null when the job failed). */
  readonly dailyEquity: DailyEquity | null;
  /** Why the job failed (null when it is done). */
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly runId: string;
  readonly durationMs: number;
  /** Which worker ran it. */
  readonly worker: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

const PHASES: readonly SweepJobPhase[] = ['full', 'in_sample', 'out_of_sample'];

/** JSON text with non-finite numbers as null (JSON has no NaN or Infinity). */
function jsonText(argument: string, value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
  assertTextSize(argument, text);
  return text;
}

function assertOptionalNumber(argument: string, value: number | null): void {
  if (value !== null) assertFiniteNumber(argument, value);
}

function rowToSweep(row: Selectable<SweepsTable>): SweepRecord {
  return {
    sweepId: row.sweep_id,
    createdAt: row.created_at,
    specSha256: row.spec_sha256,
    spec: JSON.parse(row.spec) as JsonValue,
    jobsTotal: Number(row.jobs_total),
    status: row.status === 'finished' ? 'finished' : 'running',
    finishedAt: row.finished_at,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as JsonValue),
  };
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function rowToJob(row: Selectable<SweepJobsTable>): SweepJobRecord {
  return {
    sweepId: row.sweep_id,
    jobId: row.job_id,
    paramIndex: Number(row.param_index),
    foldIndex: num(row.fold_index),
    phase: row.phase as SweepJobPhase,
    parameters: JSON.parse(row.parameters) as Record<string, JsonValue>,
    status: row.status === 'done' ? 'done' : 'failed',
    objective: num(row.objective),
    sharpe: num(row.sharpe),
    totalReturn: num(row.total_return),
    maxDrawdown: num(row.max_drawdown),
    metrics: row.metrics === null ? null : (JSON.parse(row.metrics) as JsonValue),
    dailyEquity: row.daily_equity === null ? null : (JSON.parse(row.daily_equity) as DailyEquity),
    error: row.error === null ? null : (JSON.parse(row.error) as { code: string; message: string }),
    runId: row.run_id,
    durationMs: Number(row.duration_ms),
    worker: row.worker,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Records a sweep, or finds it when it is already there (a resumed sweep). A stored sweep of
 * the same id with another spec is a StateError: its results would not be this spec's.
 */
export async function startSweep(db: TradingDatabase, input: SweepInput): Promise<SweepRecord> {
  assertNonEmptyString('sweep.sweepId', input.sweepId);
  assertUtcInstant('sweep.createdAt', input.createdAt);
  assertNonEmptyString('sweep.specSha256', input.specSha256);
  assertJsonValue('sweep.spec', input.spec);
  assertWholeNumber('sweep.jobsTotal', input.jobsTotal, 0);
  const spec = jsonText('sweep.spec', input.spec);
  try {
    await db.kysely
      .insertInto('sweeps')
      .values({
        sweep_id: input.sweepId,
        created_at: input.createdAt,
        spec_sha256: input.specSha256,
        spec,
        jobs_total: input.jobsTotal,
        status: 'running',
        finished_at: null,
        summary: null,
      })
      .onConflict((oc) => oc.column('sweep_id').doNothing())
      .execute();
  } catch (error) {
    throw toStorageError('startSweep', error);
  }
  const stored = await getSweep(db, input.sweepId);
  if (stored === undefined) throw new StateError(`sweep ${input.sweepId} was not stored`);
  if (stored.specSha256 !== input.specSha256) {
    throw new StateError(
      `sweep ${input.sweepId} was started with another spec (sha256 ${stored.specSha256.slice(0, 12)}…, this one ${input.specSha256.slice(0, 12)}…): give it another sweep id`,
      { context: { sweepId: input.sweepId } },
    );
  }
  return stored;
}

/** A stored sweep, or undefined. */
export async function getSweep(
  db: TradingDatabase,
  sweepId: string,
): Promise<SweepRecord | undefined> {
  assertNonEmptyString('sweepId', sweepId);
  try {
    const row = await db.kysely
      .selectFrom('sweeps')
      .selectAll()
      .where('sweep_id', '=', sweepId)
      .executeTakeFirst();
    return row === undefined ? undefined : rowToSweep(row);
  } catch (error) {
    throw toStorageError('getSweep', error);
  }
}

/** Marks a sweep finished with its summary (again: the summary is replaced). */
export async function finishSweep(
  db: TradingDatabase,
  sweepId: string,
  finish: { readonly finishedAt: string; readonly summary: JsonValue },
): Promise<void> {
  assertNonEmptyString('sweepId', sweepId);
  assertUtcInstant('finish.finishedAt', finish.finishedAt);
  assertJsonValue('finish.summary', finish.summary);
  const summary = jsonText('finish.summary', finish.summary);
  try {
    const result = await db.kysely
      .updateTable('sweeps')
      .set({ status: 'finished', finished_at: finish.finishedAt, summary })
      .where('sweep_id', '=', sweepId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new ValidationError('sweepId', `no sweep ${sweepId}`);
  } catch (error) {
    throw toStorageError('finishSweep', error);
  }
}

function validateJob(job: SweepJobRecord): void {
  assertNonEmptyString('job.sweepId', job.sweepId);
  assertNonEmptyString('job.jobId', job.jobId);
  assertWholeNumber('job.paramIndex', job.paramIndex, 0);
  if (job.foldIndex !== null) assertWholeNumber('job.foldIndex', job.foldIndex, 0);
  assertOneOf('job.phase', job.phase, PHASES);
  assertOneOf('job.status', job.status, ['done', 'failed'] as const);
  assertJsonValue('job.parameters', job.parameters);
  assertOptionalNumber('job.objective', job.objective);
  assertOptionalNumber('job.sharpe', job.sharpe);
  assertOptionalNumber('job.totalReturn', job.totalReturn);
  assertOptionalNumber('job.maxDrawdown', job.maxDrawdown);
  assertNonEmptyString('job.runId', job.runId);
  assertFiniteNumber('job.durationMs', job.durationMs);
  assertNonEmptyString('job.worker', job.worker);
  assertUtcInstant('job.startedAt', job.startedAt);
  assertUtcInstant('job.finishedAt', job.finishedAt);
  if (job.status === 'done' && (job.metrics === null || job.dailyEquity === null))
    throw new ValidationError('job.metrics', 'a done job has metrics and daily equity');
  if (job.status === 'failed' && job.error === null)
    throw new ValidationError('job.error', 'a failed job says why');
  if (job.dailyEquity !== null) {
    const { dates, equityUsd } = job.dailyEquity;
    if (!Array.isArray(dates) || !Array.isArray(equityUsd) || dates.length !== equityUsd.length)
      throw new ValidationError('job.dailyEquity', 'expected equally long dates and equityUsd');
    equityUsd.forEach((v, i) => assertFiniteNumber(`job.dailyEquity.equityUsd[${i}]`, v));
  }
}

/**
 * Records a finished job. Idempotent by (sweep id, job id): when the job is already recorded
 * (it ran twice, e.g. after its worker was killed between writing and acknowledging) the stored
 * row is kept and false is returned; true when this call stored it.
 */
export async function recordSweepJob(db: TradingDatabase, job: SweepJobRecord): Promise<boolean> {
  validateJob(job);
  const values = {
    sweep_id: job.sweepId,
    job_id: job.jobId,
    param_index: job.paramIndex,
    fold_index: job.foldIndex,
    phase: job.phase,
    parameters: jsonText('job.parameters', job.parameters),
    status: job.status,
    objective: job.objective,
    sharpe: job.sharpe,
    total_return: job.totalReturn,
    max_drawdown: job.maxDrawdown,
    metrics: job.metrics === null ? null : jsonText('job.metrics', job.metrics),
    daily_equity: job.dailyEquity === null ? null : jsonText('job.dailyEquity', job.dailyEquity),
    error: job.error === null ? null : jsonText('job.error', job.error),
    run_id: job.runId,
    duration_ms: job.durationMs,
    worker: job.worker,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
  };
  try {
    const result = await db.kysely
      .insertInto('sweep_jobs')
      .values(values)
      .onConflict((oc) => oc.columns(['sweep_id', 'job_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  } catch (error) {
    throw toStorageError('recordSweepJob', error);
  }
}

/** Every recorded job of a sweep, by job id. */
export async function listSweepJobs(
  db: TradingDatabase,
  sweepId: string,
): Promise<SweepJobRecord[]> {
  assertNonEmptyString('sweepId', sweepId);
  try {
    const rows = await db.kysely
      .selectFrom('sweep_jobs')
      .selectAll()
      .where('sweep_id', '=', sweepId)
      .orderBy('job_id')
      .execute();
    return rows.map(rowToJob);
  } catch (error) {
    throw toStorageError('listSweepJobs', error);
  }
}

/** The ids of a sweep's recorded jobs (done or failed): those a resumed sweep skips. */
export async function recordedSweepJobIds(
  db: TradingDatabase,
  sweepId: string,
): Promise<Set<string>> {
  assertNonEmptyString('sweepId', sweepId);
  try {
    const rows = await db.kysely
      .selectFrom('sweep_jobs')
      .select('job_id')
      .where('sweep_id', '=', sweepId)
      .execute();
    return new Set(rows.map((r) => r.job_id));
  } catch (error) {
    throw toStorageError('recordedSweepJobIds', error);
  }
}

/** How many of a sweep's jobs are recorded, done and failed. */
export async function countSweepJobs(
  db: TradingDatabase,
  sweepId: string,
): Promise<{ readonly done: number; readonly failed: number }> {
  assertNonEmptyString('sweepId', sweepId);
  try {
    const rows = await db.kysely
      .selectFrom('sweep_jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('sweep_id', '=', sweepId)
      .groupBy('status')
      .execute();
    const count = (status: string): number => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { done: count('done'), failed: count('failed') };
  } catch (error) {
    throw toStorageError('countSweepJobs', error);
  }
}
