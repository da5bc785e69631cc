import { ValidationError } from '@quantpipe/core';
import { toStorageError } from './db-errors';
import { nextSnapshotSeq, type SnapshotScope } from './run-scope';
import type { PortfolioSnapshot } from './records';
import type { PortfolioTable } from './schema';
import { rowToPortfolio } from './snapshot-rows';
import { IMPORT_ROWS_PER_STATEMENT, chunks } from './statement-chunks';
import type { StorageContext } from './storage-context';
import { writeTransaction } from './write-transaction';
import {
  assertFiniteNumber,
  assertNonEmptyString,
  assertOptionalFinite,
  assertUtcInstant,
} from './validate';

/** `TradingDatabase.savePortfolioSnapshots` (documented there). */
export async function savePortfolioSnapshots(
  ctx: StorageContext,
  snapshots: readonly PortfolioSnapshot[],
): Promise<void> {
  if (!Array.isArray(snapshots)) throw new ValidationError('snapshots', 'expected an array');
  const latest = new Map<string, Omit<PortfolioTable, 'seq'>>();
  snapshots.forEach((snapshot: PortfolioSnapshot, i: number) => {
    const at = snapshots.length === 1 ? 'snapshot' : `snapshots[${i}]`;
    assertUtcInstant(`${at}.timestamp`, snapshot.timestamp);
    assertFiniteNumber(`${at}.cashUsd`, snapshot.cashUsd);
    assertFiniteNumber(`${at}.portfolioValueUsd`, snapshot.portfolioValueUsd);
    assertFiniteNumber(`${at}.equityUsd`, snapshot.equityUsd);
    assertFiniteNumber(`${at}.buyingPowerUsd`, snapshot.buyingPowerUsd);
    assertOptionalFinite(`${at}.dailyPnlUsd`, snapshot.dailyPnlUsd);
    assertOptionalFinite(`${at}.totalPnlUsd`, snapshot.totalPnlUsd);
    if (snapshot.runId !== undefined) assertNonEmptyString(`${at}.runId`, snapshot.runId);
    const runId = snapshot.runId ?? '';
    const mapKey = `${runId}\u0000${snapshot.timestamp}`;
    latest.delete(mapKey);
    latest.set(mapKey, {
      run_id: runId,
      timestamp: snapshot.timestamp,
      cash: snapshot.cashUsd,
      portfolio_value: snapshot.portfolioValueUsd,
      equity: snapshot.equityUsd,
      buying_power: snapshot.buyingPowerUsd,
      daily_pnl: snapshot.dailyPnlUsd ?? null,
      total_pnl: snapshot.totalPnlUsd ?? null,
    });
  });
  if (latest.size === 0) return;
  await writeTransaction(ctx, 'savePortfolioSnapshot', async (trx) => {
    const base = await nextSnapshotSeq(trx, 'portfolio');
    const sequenced = [...latest.values()].map((row, i) => ({ ...row, seq: base + i }));
    for (const rows of chunks(sequenced, IMPORT_ROWS_PER_STATEMENT)) {
      await trx
        .insertInto('portfolio')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['run_id', 'timestamp']).doUpdateSet((eb) => ({
            seq: eb.ref('excluded.seq'),
            cash: eb.ref('excluded.cash'),
            portfolio_value: eb.ref('excluded.portfolio_value'),
            equity: eb.ref('excluded.equity'),
            buying_power: eb.ref('excluded.buying_power'),
            daily_pnl: eb.ref('excluded.daily_pnl'),
            total_pnl: eb.ref('excluded.total_pnl'),
          })),
        )
        .execute();
    }
  });
}

/** `TradingDatabase.getPortfolioSnapshots` (documented there). */
export async function getPortfolioSnapshots(
  ctx: StorageContext,
  range: { start?: string; end?: string; runId?: string } = {},
): Promise<PortfolioSnapshot[]> {
  if (range.start !== undefined) assertUtcInstant('range.start', range.start);
  if (range.end !== undefined) assertUtcInstant('range.end', range.end);
  if (range.runId !== undefined) assertNonEmptyString('range.runId', range.runId);
  try {
    let select = ctx.kysely.selectFrom('portfolio').selectAll();
    if (range.runId !== undefined) select = select.where('run_id', '=', range.runId);
    if (range.start !== undefined) select = select.where('timestamp', '>=', range.start);
    if (range.end !== undefined) select = select.where('timestamp', '<=', range.end);
    return (await select.orderBy('timestamp').orderBy('seq').execute()).map(rowToPortfolio);
  } catch (error) {
    throw toStorageError('getPortfolioSnapshots', error);
  }
}

/** `TradingDatabase.getLatestPortfolioSnapshot` (documented there). */
export async function getLatestPortfolioSnapshot(
  ctx: StorageContext,
  scope: SnapshotScope = {},
): Promise<PortfolioSnapshot | undefined> {
  if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
  try {
    let select = ctx.kysely.selectFrom('portfolio').selectAll();
    if (scope.runId !== undefined) select = select.where('run_id', '=', scope.runId);
    const row = await select.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? undefined : rowToPortfolio(row);
  } catch (error) {
    throw toStorageError('getLatestPortfolioSnapshot', error);
  }
}
