import type { Broker, Fill, Order } from '@quantpipe/core';
import { engineAlerts, type EngineAlert } from '../core/engine-alerts';
import type { CycleReport, CycleStatus, SkippedOrder } from '../cycle-report';
import type { CycleRecord } from '../engine-deps';
import type { BrokerCalls } from './broker-calls';
import { emptyReport } from './cycle-reports';
import type { JournalWriter } from './journal-writer';
import { positionsMap } from './reconciler';

/** What completing a live cycle reads and writes of the engine. */
export interface CycleCompletionContext {
  readonly broker: Broker;
  readonly calls: BrokerCalls;
  readonly journal: JournalWriter;
  readonly maxLeverage: number;
  readonly runId: string;
  raiseAlert(alert: EngineAlert): Promise<void>;
  saveState(): Promise<void>;
  record(record: CycleRecord): Promise<void>;
  /** The positions the journal now expects the broker to hold. */
  expect(positions: Record<string, number>): void;
}

/** A cycle's outcome as the engine completes it. */
export interface CycleOutcome {
  readonly cycle: number;
  readonly status: CycleStatus;
  readonly reason: string | undefined;
  readonly orders: Order[];
  readonly fills: Fill[];
  readonly report: CycleReport | undefined;
  readonly skippedOrders: readonly SkippedOrder[];
}

/**
 * The end of a live cycle: the account and positions after it, the post-trade leverage check,
 * the completion alert, the `cycle_completed` entry, the saved state and the recorded cycle.
 */
export async function completeLiveCycle(
  ctx: CycleCompletionContext,
  outcome: CycleOutcome,
): Promise<CycleReport> {
  const { cycle, status, reason, orders, fills, report, skippedOrders } = outcome;
  const broker = ctx.broker;
  const account = await ctx.calls.call('getAccount', () => broker.getAccount());
  const positions = await ctx.calls.call('getPositions', () => broker.getPositions());
  let gross = 0;
  for (const p of positions) gross += Math.abs(p.marketValueUsd);
  const leverageAfter = account.equityUsd > 0 ? gross / account.equityUsd : 0;
  if (leverageAfter > ctx.maxLeverage)
    await ctx.raiseAlert(
      engineAlerts.leverageAfterRebalance(leverageAfter, ctx.maxLeverage, cycle),
    );
  ctx.expect(positionsMap(positions));
  if (orders.length > 0) {
    const filled = orders.filter((o) => o.status === 'filled').length;
    await ctx.raiseAlert(
      engineAlerts.rebalanceCompleted(
        cycle,
        filled,
        orders.length,
        account.equityUsd,
        leverageAfter,
        status,
      ),
    );
  }
  await ctx.journal.append('cycle_completed', cycle, {
    status,
    reason: reason ?? null,
    equityUsd: account.equityUsd,
    leverage: leverageAfter,
    orders: orders.length,
  });
  await ctx.saveState();
  const baseReport = report ?? emptyReport(ctx.runId, cycle, ctx.journal.nowIso());
  const out: CycleReport = {
    ...baseReport,
    status,
    ...(reason !== undefined ? { reason } : {}),
    orders,
    fills,
    skippedOrders,
    equityAfterUsd: account.equityUsd,
    leverageAfter,
  };
  await ctx.record({ report: out, account, positions });
  return out;
}
