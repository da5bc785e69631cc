/** Test support: part of the storage contract (see contract.ts). */
import { StorageError } from '@quantpipe/core';
import type { TradingDatabase } from '../trading-database';
import { countRows, dailyBar, fill, freshDatabaseEachTest, order } from './contract-fixtures';
import type { StorageTarget } from './targets';

/** Writes one whole run through `db`: the run, a snapshot, a filled order, signals, an alert. */
async function writeRun(db: TradingDatabase, runId: string): Promise<void> {
  await db.createRun({ runId, startedAt: '2024-03-01T14:00:00Z', mode: 'backtest' });
  await db.savePortfolioSnapshots([
    {
      runId,
      timestamp: '2024-03-01T21:00:00Z',
      cashUsd: 1,
      portfolioValueUsd: 2,
      equityUsd: 2,
      buyingPowerUsd: 1,
    },
  ]);
  const clientOrderId = `${runId}-c1-AAPL-open`;
  await db.importOrders([
    {
      order: order({ clientOrderId, runId, status: 'filled', filledQuantity: 40 }),
      fills: [fill({ fillId: `${runId}/f1`, clientOrderId, orderId: `${runId}/sim-1` })],
    },
  ]);
  await db.upsertSignals([
    {
      timestamp: '2024-03-01T21:00:00Z',
      symbol: 'AAPL',
      composite: 0.5,
      volatility: null,
      momentum: 0.25,
      tailRisk: null,
      beta: null,
      carry: null,
    },
  ]);
  await db.upsertBars('1Day', [dailyBar('AAPL', '2024-03-01', 101)]);
  await db.insertAlert(
    { level: 'WARNING', title: 'backtest', message: 'm', timestamp: '2024-03-01T21:00:00Z' },
    { runId },
  );
  await db.finishRun(runId, { stoppedAt: '2024-03-01T22:00:00Z', status: 'stopped' });
}

/** Row counts of the tables a run writes. */
async function counts(db: TradingDatabase): Promise<Record<string, number>> {
  return {
    runs: (await db.listRuns()).length,
    orders: await countRows(db, 'orders'),
    fills: await countRows(db, 'fills'),
    signals: await countRows(db, 'signals'),
    bars: await countRows(db, 'market_data'),
    snapshots: (await db.getPortfolioSnapshots()).length,
    alerts: (await db.listAlerts()).length,
  };
}

const EMPTY = { runs: 0, orders: 0, fills: 0, signals: 0, bars: 0, snapshots: 0, alerts: 0 };
const ONE_RUN = { runs: 1, orders: 1, fills: 1, signals: 1, bars: 1, snapshots: 1, alerts: 1 };

/** `transaction`: writes made through its handle commit together or not at all. */
export function describeTransactionContract(target: StorageTarget): void {
  describe('transactions', () => {
    const session = freshDatabaseEachTest(target);

    it('commits every write made through the handle at once', async () => {
      const result = await session.db.transaction(async (tx) => {
        await writeRun(tx, 'r1');
        return 'done';
      });
      expect(result).toBe('done');
      expect(await counts(session.db)).toEqual(ONE_RUN);
      expect(await session.db.getRun('r1')).toMatchObject({ status: 'stopped' });
    });

    it('writes nothing when the work throws part-way, and the run id stays free', async () => {
      const failure = new Error('disk gone');
      await expect(
        session.db.transaction(async (tx) => {
          await writeRun(tx, 'r1');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await counts(session.db)).toEqual(EMPTY);
      await session.db.transaction((tx) => writeRun(tx, 'r1'));
      expect(await counts(session.db)).toEqual(ONE_RUN);
    });

    it('rolls back when a write inside is refused (duplicate key), keeping earlier rows', async () => {
      await writeRun(session.db, 'r1');
      await expect(
        session.db.transaction(async (tx) => {
          await tx.createRun({ runId: 'r2', startedAt: '2024-03-02T14:00:00Z' });
          await writeRun(tx, 'r1');
        }),
      ).rejects.toThrow(/r1/);
      expect(await counts(session.db)).toEqual(ONE_RUN);
      expect((await session.db.listRuns()).map((r) => r.runId)).toEqual(['r1']);
    });

    it('runs a nested transaction inside the enclosing one', async () => {
      await expect(
        session.db.transaction(async (tx) => {
          await tx.transaction((inner) => writeRun(inner, 'r1'));
          throw new Error('after the nested one');
        }),
      ).rejects.toThrow('after the nested one');
      expect(await counts(session.db)).toEqual(EMPTY);
    });

    it('refuses to close the connection from inside', async () => {
      await expect(session.db.transaction((tx) => tx.close())).rejects.toThrow(StorageError);
      expect(await counts(session.db)).toEqual(EMPTY);
    });
  });
}
