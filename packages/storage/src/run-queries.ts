import { NotFoundError } from '@quantpipe/core';
import type { Selectable } from 'kysely';
import { isUniqueViolation, toStorageError } from './db-errors';
import { DuplicateKeyError } from './errors';
import type { RunInput, RunRecord, RunStart } from './records';
import type { StorageSchema } from './schema';
import { rowToRun } from './snapshot-rows';
import type { StorageContext } from './storage-context';
import { assertJsonValue, assertNonEmptyString, assertOneOf, assertUtcInstant } from './validate';

/** `TradingDatabase.createRun` (documented there). */
export async function createRun(ctx: StorageContext, run: RunInput): Promise<RunRecord> {
  assertNonEmptyString('run.runId', run.runId);
  assertUtcInstant('run.startedAt', run.startedAt);
  if (run.mode !== undefined) assertNonEmptyString('run.mode', run.mode);
  if (run.config !== undefined) assertJsonValue('run.config', run.config);
  try {
    await ctx.kysely
      .insertInto('runs')
      .values({
        run_id: run.runId,
        started_at: run.startedAt,
        stopped_at: null,
        status: 'running',
        mode: run.mode ?? null,
        config: run.config === undefined ? null : JSON.stringify(run.config),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateKeyError('runs', run.runId, { cause: error });
    throw toStorageError('createRun', error);
  }
  return getRun(ctx, run.runId);
}

/** `TradingDatabase.finishRun` (documented there). */
export async function finishRun(
  ctx: StorageContext,
  runId: string,
  finish: { stoppedAt: string; status: 'stopped' | 'failed' },
): Promise<RunRecord> {
  assertNonEmptyString('runId', runId);
  assertUtcInstant('finish.stoppedAt', finish.stoppedAt);
  assertOneOf('finish.status', finish.status, ['stopped', 'failed'] as const);
  let updated: bigint;
  try {
    const result = await ctx.kysely
      .updateTable('runs')
      .set({ stopped_at: finish.stoppedAt, status: finish.status })
      .where('run_id', '=', runId)
      .executeTakeFirst();
    updated = result.numUpdatedRows;
  } catch (error) {
    throw toStorageError('finishRun', error);
  }
  if (updated === 0n)
    throw new NotFoundError(`run ${runId} is not in the database`, { context: { runId } });
  return getRun(ctx, runId);
}

/** `TradingDatabase.markRunStarted` (documented there). */
export async function markRunStarted(
  ctx: StorageContext,
  runId: string,
  start: RunStart,
): Promise<RunRecord> {
  assertNonEmptyString('runId', runId);
  if (start.mode !== undefined) assertNonEmptyString('start.mode', start.mode);
  if (start.config !== undefined) assertJsonValue('start.config', start.config);
  assertUtcInstant('start.heartbeatAt', start.heartbeatAt);
  assertUtcInstant('start.heartbeatExpiresAt', start.heartbeatExpiresAt);
  await updateRun(ctx, 'markRunStarted', runId, {
    status: 'running',
    stopped_at: null,
    heartbeat_at: start.heartbeatAt,
    heartbeat_expires_at: start.heartbeatExpiresAt,
    ...(start.mode === undefined ? {} : { mode: start.mode }),
    ...(start.config === undefined ? {} : { config: JSON.stringify(start.config) }),
  });
  return getRun(ctx, runId);
}

/** `TradingDatabase.recordHeartbeat` (documented there). */
export async function recordHeartbeat(
  ctx: StorageContext,
  runId: string,
  beat: { at: string; expiresAt: string },
): Promise<void> {
  assertNonEmptyString('runId', runId);
  assertUtcInstant('beat.at', beat.at);
  assertUtcInstant('beat.expiresAt', beat.expiresAt);
  await updateRun(ctx, 'recordHeartbeat', runId, {
    heartbeat_at: beat.at,
    heartbeat_expires_at: beat.expiresAt,
  });
}

async function updateRun(
  ctx: StorageContext,
  operation: string,
  runId: string,
  set: Partial<Omit<StorageSchema['runs'], 'run_id' | 'started_at'>>,
): Promise<void> {
  let updated: bigint;
  try {
    const result = await ctx.kysely
      .updateTable('runs')
      .set(set)
      .where('run_id', '=', runId)
      .executeTakeFirst();
    updated = result.numUpdatedRows;
  } catch (error) {
    throw toStorageError(operation, error);
  }
  if (updated === 0n)
    throw new NotFoundError(`run ${runId} is not in the database`, { context: { runId } });
}

/** `TradingDatabase.getRun` (documented there). */
export async function getRun(ctx: StorageContext, runId: string): Promise<RunRecord> {
  assertNonEmptyString('runId', runId);
  let row: Selectable<StorageSchema['runs']> | undefined;
  try {
    row = await ctx.kysely
      .selectFrom('runs')
      .selectAll()
      .where('run_id', '=', runId)
      .executeTakeFirst();
  } catch (error) {
    throw toStorageError('getRun', error);
  }
  if (row === undefined)
    throw new NotFoundError(`run ${runId} is not in the database`, { context: { runId } });
  return rowToRun(row);
}

/** `TradingDatabase.listRuns` (documented there). */
export async function listRuns(ctx: StorageContext): Promise<RunRecord[]> {
  try {
    const rows = await ctx.kysely
      .selectFrom('runs')
      .selectAll()
      .orderBy('started_at')
      .orderBy('run_id')
      .execute();
    return rows.map(rowToRun);
  } catch (error) {
    throw toStorageError('listRuns', error);
  }
}
