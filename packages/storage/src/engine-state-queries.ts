import type { JsonValue } from '@quantpipe/core';
import { toStorageError } from './db-errors';
import type { StorageContext } from './storage-context';
import { assertJsonValue, assertNonEmptyString, assertTextSize } from './validate';

/** `TradingDatabase.saveState` (documented there). */
export async function saveState(
  ctx: StorageContext,
  runId: string,
  key: string,
  value: JsonValue,
  json?: string,
): Promise<void> {
  assertNonEmptyString('runId', runId);
  assertNonEmptyString('key', key);
  assertJsonValue('value', value);
  const text = json ?? JSON.stringify(value);
  assertTextSize('value', text);
  const updatedAt = new Date(ctx.clock.now()).toISOString();
  try {
    await ctx.kysely
      .insertInto('engine_state')
      .values({ run_id: runId, key, value: text, updated_at: updatedAt })
      .onConflict((oc) =>
        oc.columns(['run_id', 'key']).doUpdateSet({ value: text, updated_at: updatedAt }),
      )
      .execute();
  } catch (error) {
    throw toStorageError('saveState', error);
  }
}

/** `TradingDatabase.loadState` (documented there). */
export async function loadState(
  ctx: StorageContext,
  runId: string,
  key: string,
): Promise<JsonValue | undefined> {
  assertNonEmptyString('runId', runId);
  assertNonEmptyString('key', key);
  try {
    const row = await ctx.kysely
      .selectFrom('engine_state')
      .select('value')
      .where('run_id', '=', runId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.value) as JsonValue);
  } catch (error) {
    throw toStorageError('loadState', error);
  }
}
