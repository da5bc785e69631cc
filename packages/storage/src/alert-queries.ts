import { ValidationError, type Alert, type AlertLevel, type JsonValue } from '@quantpipe/core';
import { toStorageError } from './db-errors';
import type { SnapshotScope } from './run-scope';
import type { AlertQuery, StoredAlert } from './records';
import type { StorageContext } from './storage-context';
import { assertNonEmptyString, assertOneOf, assertTextSize, assertUtcInstant } from './validate';

/** Every alert level of the core `Alert`. */
const ALERT_LEVELS: readonly AlertLevel[] = ['INFO', 'WARNING', 'CRITICAL'];

/** `TradingDatabase.insertAlert` (documented there). */
export async function insertAlert(
  ctx: StorageContext,
  alert: Alert,
  scope: SnapshotScope = {},
): Promise<number> {
  assertOneOf('alert.level', alert.level, ALERT_LEVELS);
  if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
  if (typeof alert.title !== 'string')
    throw new ValidationError('alert.title', 'expected a string');
  if (typeof alert.message !== 'string')
    throw new ValidationError('alert.message', 'expected a string');
  assertUtcInstant('alert.timestamp', alert.timestamp);
  assertTextSize('alert.title', alert.title);
  assertTextSize('alert.message', alert.message);
  let context: string | null = null;
  if (alert.context !== undefined) {
    try {
      context = JSON.stringify(alert.context, (_key, value: unknown) =>
        typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value))
          ? String(value)
          : value,
      );
      assertTextSize('alert.context', context);
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw new ValidationError(
        'alert.context',
        `cannot be stored as JSON: ${(error as Error).message}`,
      );
    }
  }
  try {
    const row = await ctx.kysely
      .insertInto('alerts')
      .values({
        timestamp: alert.timestamp,
        level: alert.level,
        title: alert.title,
        message: alert.message,
        context,
        run_id: scope.runId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  } catch (error) {
    throw toStorageError('insertAlert', error);
  }
}

/** `TradingDatabase.listAlerts` (documented there). */
export async function listAlerts(
  ctx: StorageContext,
  query: AlertQuery = {},
): Promise<StoredAlert[]> {
  if (query.since !== undefined) assertUtcInstant('query.since', query.since);
  query.levels?.forEach((level, i) => assertOneOf(`query.levels[${i}]`, level, ALERT_LEVELS));
  if (query.levels !== undefined && query.levels.length === 0) return [];
  try {
    let select = ctx.kysely.selectFrom('alerts').selectAll();
    if (query.since !== undefined) select = select.where('timestamp', '>=', query.since);
    if (query.levels !== undefined) select = select.where('level', 'in', [...query.levels]);
    if (query.runId !== undefined) select = select.where('run_id', '=', query.runId);
    const rows = await select.orderBy('timestamp').orderBy('id').execute();
    return rows.map((row) => ({
      id: Number(row.id),
      level: row.level as AlertLevel,
      title: row.title,
      message: row.message,
      timestamp: row.timestamp,
      ...(row.context === null ? {} : { context: JSON.parse(row.context) as JsonValue }),
      ...(row.run_id === null ? {} : { runId: row.run_id }),
    }));
  } catch (error) {
    throw toStorageError('listAlerts', error);
  }
}
