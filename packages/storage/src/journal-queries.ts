import {
  JOURNAL_ENTRY_KINDS,
  StorageError,
  type JournalEntry,
  type JournalEntryInput,
  type JournalEntryKind,
  type JournalQuery,
  type JsonValue,
} from '@quantpipe/core';
import { journalChecksum } from './checksum';
import { toStorageError } from './db-errors';
import type { StorageContext } from './storage-context';
import {
  assertJsonValue,
  assertNonEmptyString,
  assertOneOf,
  assertTextSize,
  assertUtcInstant,
  assertWholeNumber,
} from './validate';

/**
 * Validates a journal entry and computes its checksum at once; returns the write, which
 * `TradingDatabase.append` runs after the appends before it (one at a time, so `seq` order is
 * commit order).
 */
export function journalAppend(
  ctx: StorageContext,
  entry: JournalEntryInput,
): () => Promise<JournalEntry> {
  assertNonEmptyString('entry.runId', entry.runId);
  assertWholeNumber('entry.cycle', entry.cycle, 0);
  assertOneOf('entry.kind', entry.kind, JOURNAL_ENTRY_KINDS);
  assertUtcInstant('entry.timestamp', entry.timestamp);
  if (entry.clientOrderId !== undefined)
    assertNonEmptyString('entry.clientOrderId', entry.clientOrderId);
  assertJsonValue('entry.payload', entry.payload);
  const payloadText = JSON.stringify(entry.payload);
  assertTextSize('entry.payload', payloadText);
  const clientOrderId = entry.clientOrderId ?? null;
  const checksum = journalChecksum({
    runId: entry.runId,
    cycle: entry.cycle,
    kind: entry.kind,
    timestamp: entry.timestamp,
    clientOrderId,
    payloadText,
  });
  return async (): Promise<JournalEntry> => {
    try {
      const row = await ctx.kysely
        .insertInto('journal')
        .values({
          run_id: entry.runId,
          cycle: entry.cycle,
          kind: entry.kind,
          timestamp: entry.timestamp,
          client_order_id: clientOrderId,
          payload: payloadText,
          checksum,
        })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return {
        seq: Number(row.seq),
        runId: entry.runId,
        cycle: entry.cycle,
        kind: entry.kind,
        timestamp: entry.timestamp,
        ...(entry.clientOrderId === undefined ? {} : { clientOrderId: entry.clientOrderId }),
        payload: JSON.parse(payloadText) as JsonValue,
      };
    } catch (error) {
      throw toStorageError('journal append', error);
    }
  };
}

/** `TradingDatabase.entries` (documented there). */
export async function entries(ctx: StorageContext, query: JournalQuery): Promise<JournalEntry[]> {
  assertNonEmptyString('query.runId', query.runId);
  if (query.kinds !== undefined) {
    query.kinds.forEach((kind, i) => assertOneOf(`query.kinds[${i}]`, kind, JOURNAL_ENTRY_KINDS));
  }
  if (query.clientOrderId !== undefined)
    assertNonEmptyString('query.clientOrderId', query.clientOrderId);
  if (query.afterSeq !== undefined) assertWholeNumber('query.afterSeq', query.afterSeq, 0);
  try {
    let select = ctx.kysely.selectFrom('journal').selectAll().where('run_id', '=', query.runId);
    if (query.kinds !== undefined) {
      if (query.kinds.length === 0) return [];
      select = select.where('kind', 'in', [...query.kinds]);
    }
    if (query.clientOrderId !== undefined)
      select = select.where('client_order_id', '=', query.clientOrderId);
    if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
    const rows = await select.orderBy('seq').execute();
    return rows.map((row) => {
      const seq = Number(row.seq);
      const expected = journalChecksum({
        runId: row.run_id,
        cycle: Number(row.cycle),
        kind: row.kind,
        timestamp: row.timestamp,
        clientOrderId: row.client_order_id,
        payloadText: row.payload,
      });
      if (expected !== row.checksum) {
        throw new StorageError(`journal entry ${seq} fails its checksum (damaged row)`, {
          context: { seq, runId: row.run_id },
        });
      }
      let payload: JsonValue;
      try {
        payload = JSON.parse(row.payload) as JsonValue;
      } catch (error) {
        throw new StorageError(`journal entry ${seq} holds unreadable JSON`, {
          cause: error,
          context: { seq },
        });
      }
      return {
        seq,
        runId: row.run_id,
        cycle: Number(row.cycle),
        kind: row.kind as JournalEntryKind,
        timestamp: row.timestamp,
        ...(row.client_order_id === null ? {} : { clientOrderId: row.client_order_id }),
        payload,
      };
    });
  } catch (error) {
    throw toStorageError('journal read', error);
  }
}
