import { ValidationError, type Position } from '@quantpipe/core';
import { toStorageError } from './db-errors';
import { nextSnapshotSeq, scopeRunId, type SnapshotScope } from './run-scope';
import type { StorageContext } from './storage-context';
import { writeTransaction } from './write-transaction';
import {
  assertFiniteNumber,
  assertNonEmptyString,
  assertSymbol,
  assertUtcInstant,
  assertWholeNumber,
} from './validate';

/** `TradingDatabase.savePositions` (documented there). */
export async function savePositions(
  ctx: StorageContext,
  timestamp: string,
  positions: readonly Position[],
  scope: SnapshotScope = {},
): Promise<void> {
  assertUtcInstant('timestamp', timestamp);
  const runId = scopeRunId(scope);
  if (!Array.isArray(positions)) throw new ValidationError('positions', 'expected an array');
  const seen = new Set<string>();
  positions.forEach((p, i) => {
    assertSymbol(`positions[${i}].symbol`, p.symbol);
    if (seen.has(p.symbol))
      throw new ValidationError(`positions[${i}].symbol`, `${p.symbol} appears twice`);
    seen.add(p.symbol);
    assertWholeNumber(`positions[${i}].quantity`, p.quantity, Number.MIN_SAFE_INTEGER);
    assertFiniteNumber(`positions[${i}].avgEntryPriceUsd`, p.avgEntryPriceUsd);
    assertFiniteNumber(`positions[${i}].currentPriceUsd`, p.currentPriceUsd);
    assertFiniteNumber(`positions[${i}].marketValueUsd`, p.marketValueUsd);
    assertFiniteNumber(`positions[${i}].unrealizedPnlUsd`, p.unrealizedPnlUsd);
  });
  await writeTransaction(ctx, 'savePositions', async (trx) => {
    const seq = await nextSnapshotSeq(trx, 'positions');
    await trx
      .deleteFrom('positions')
      .where('run_id', '=', runId)
      .where('timestamp', '=', timestamp)
      .execute();
    // A flat book is stored as a marker row with an empty symbol, so "latest snapshot"
    // can tell "no positions" from "no snapshot".
    const rows =
      positions.length === 0
        ? [
            {
              run_id: runId,
              timestamp,
              seq,
              symbol: '',
              quantity: 0,
              avg_entry_price: 0,
              current_price: 0,
              market_value: 0,
              unrealized_pnl: 0,
            },
          ]
        : positions.map((p) => ({
            run_id: runId,
            timestamp,
            seq,
            symbol: p.symbol,
            quantity: p.quantity,
            avg_entry_price: p.avgEntryPriceUsd,
            current_price: p.currentPriceUsd,
            market_value: p.marketValueUsd,
            unrealized_pnl: p.unrealizedPnlUsd,
          }));
    await trx.insertInto('positions').values(rows).execute();
  });
}

/** `TradingDatabase.getPositions` (documented there). */
export async function getPositions(
  ctx: StorageContext,
  timestamp: string,
  scope: SnapshotScope = {},
): Promise<Position[]> {
  assertUtcInstant('timestamp', timestamp);
  if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
  try {
    let latest = ctx.kysely
      .selectFrom('positions')
      .select('seq')
      .where('timestamp', '=', timestamp);
    if (scope.runId !== undefined) latest = latest.where('run_id', '=', scope.runId);
    const head = await latest.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (head === undefined) return [];
    const rows = await ctx.kysely
      .selectFrom('positions')
      .selectAll()
      .where('seq', '=', head.seq)
      .where('timestamp', '=', timestamp)
      .where('symbol', '!=', '')
      .orderBy('symbol')
      .execute();
    return rows.map((row) => ({
      symbol: row.symbol,
      quantity: Number(row.quantity),
      avgEntryPriceUsd: row.avg_entry_price,
      currentPriceUsd: row.current_price,
      marketValueUsd: row.market_value,
      unrealizedPnlUsd: row.unrealized_pnl,
    }));
  } catch (error) {
    throw toStorageError('getPositions', error);
  }
}

/** `TradingDatabase.getLatestPositions` (documented there). */
export async function getLatestPositions(
  ctx: StorageContext,
  scope: SnapshotScope = {},
): Promise<{ timestamp: string; positions: Position[] } | undefined> {
  if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
  let head: { timestamp: string; run_id: string } | undefined;
  try {
    let select = ctx.kysely.selectFrom('positions').select(['timestamp', 'run_id']);
    if (scope.runId !== undefined) select = select.where('run_id', '=', scope.runId);
    head = await select.orderBy('seq', 'desc').limit(1).executeTakeFirst();
  } catch (error) {
    throw toStorageError('getLatestPositions', error);
  }
  if (head === undefined) return undefined;
  return {
    timestamp: head.timestamp,
    positions: await getPositions(ctx, head.timestamp, { runId: head.run_id || undefined }),
  };
}
