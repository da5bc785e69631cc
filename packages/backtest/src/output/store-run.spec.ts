import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order } from '@quantpipe/core';
import { openDatabase, type TradingDatabase } from '@quantpipe/storage';
import type { AuditSummary } from '../runner/accounting-audit';
import type { BacktestResult } from '../result/backtest-result';
import { sampleResult } from '../testing/sample-result';
import { computeBacktestMetrics } from './performance';
import { storeRun } from './store-run';

const AUDIT: AuditSummary = {
  checks: 300,
  maxEquityErrorUsd: 0,
  maxCostErrorUsd: 0,
  feesUsd: 0,
  slippageUsd: 0,
  interestUsd: 0,
  borrowFeesUsd: 0,
  adjustmentsUsd: 0,
  grossEquityUsd: 1_000_000,
};

/** Filled simulated orders as the venue numbers them (`sim-1`, … in every run). */
function orderLog(count: number): { orders: Order[] } {
  return {
    orders: Array.from({ length: count }, (_, i) => ({
      clientOrderId: `sample-c${i}-AAA-open`,
      id: `sim-${i + 1}`,
      symbol: 'AAA',
      side: 'buy' as const,
      quantity: 10,
      type: 'market' as const,
      timeInForce: 'day' as const,
      status: 'filled' as const,
      filledQuantity: 10,
      filledAvgPriceUsd: 100 + i,
      commissionUsd: 1,
      submittedAt: `2020-01-${String(2 + i).padStart(2, '0')}T21:00:00Z`,
      updatedAt: `2020-01-${String(3 + i).padStart(2, '0')}T14:30:00Z`,
    })),
  };
}

async function tableCounts(db: TradingDatabase): Promise<Record<string, number>> {
  return {
    runs: (await db.listRuns()).length,
    orders: (await db.listOrders()).length,
    fills: (await db.listFills()).length,
    snapshots: (await db.getPortfolioSnapshots()).length,
    signals: (await db.getSignals()).length,
    alerts: (await db.listAlerts()).length,
  };
}

describe('storeRun', () => {
  let dir: string;
  let db: TradingDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qp-store-run-'));
    db = await openDatabase(`sqlite:${join(dir, 'runs.db')}`, { create: true });
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a run whole: run row stopped, snapshots, orders with fills, signals, its alerts', async () => {
    const result = sampleResult(40);
    await storeRun(
      db,
      result,
      computeBacktestMetrics(result, AUDIT),
      orderLog(3),
      '2020-01-01T00:00:00Z',
    );
    expect(await db.getRun('sample')).toMatchObject({ status: 'stopped', mode: 'backtest' });
    expect(await tableCounts(db)).toEqual({
      runs: 1,
      orders: 3,
      fills: 3,
      snapshots: 40,
      signals: 80,
      alerts: 1,
    });
    expect((await db.listOrders({ runId: 'sample' })).map((o) => o.id)).toEqual([
      'sample/sim-1',
      'sample/sim-2',
      'sample/sim-3',
    ]);
    expect(await db.getPortfolioSnapshots({ runId: 'sample' })).toHaveLength(40);
    expect((await db.listAlerts({ runId: 'sample' })).map((a) => a.message)).toEqual([
      'a <test> alert',
    ]);
  });

  it('leaves nothing when a write fails part-way, so the same run id can be stored again', async () => {
    const good = sampleResult(40);
    // Alerts are written last: a malformed one fails the store after everything else.
    const bad: BacktestResult = {
      ...good,
      alerts: [{ timestamp: 'not a time', level: 'WARNING', message: 'broken' }],
    };
    await expect(
      storeRun(db, bad, computeBacktestMetrics(bad, AUDIT), orderLog(3), '2020-01-01T00:00:00Z'),
    ).rejects.toThrow(/timestamp/);
    expect(await tableCounts(db)).toEqual({
      runs: 0,
      orders: 0,
      fills: 0,
      snapshots: 0,
      signals: 0,
      alerts: 0,
    });
    await storeRun(
      db,
      good,
      computeBacktestMetrics(good, AUDIT),
      orderLog(3),
      '2020-01-01T00:00:00Z',
    );
    expect(await db.getRun('sample')).toMatchObject({ status: 'stopped' });
    expect((await tableCounts(db)).orders).toBe(3);
  });

  it('writes a run of more rows than one write takes; a late clash leaves nothing', async () => {
    const result = sampleResult(2100); // two symbols: 4,200 signal rows
    const base = orderLog(1).orders[0] as Order;
    const orders = Array.from({ length: 9000 }, (_, i) => ({
      ...base,
      clientOrderId: `sample-c${i}-AAA-open`,
      id: `sim-${i + 1}`,
      filledAvgPriceUsd: 100 + i,
    }));
    const metrics = computeBacktestMetrics(result, AUDIT);
    // The same client order id twice, far into the run: the database refuses it.
    const clash = orders.map((o, i) =>
      i === 8500 ? { ...o, clientOrderId: 'sample-c3-AAA-open' } : o,
    );
    await expect(
      storeRun(db, result, metrics, { orders: clash }, '2020-01-01T00:00:00Z'),
    ).rejects.toThrow(/sample-c3-AAA-open/);
    expect((await tableCounts(db)).orders).toBe(0);
    await storeRun(db, result, metrics, { orders }, '2020-01-01T00:00:00Z');
    const stored = await db.listOrders({ runId: 'sample' });
    expect(stored).toHaveLength(9000);
    const priceOf = new Map(stored.map((o) => [o.clientOrderId, o.filledAvgPriceUsd]));
    expect(orders.every((o) => priceOf.get(o.clientOrderId) === o.filledAvgPriceUsd)).toBe(true);
    expect(await db.listFills()).toHaveLength(9000);
    expect(await db.getSignals()).toHaveLength(4200);
  });
});
