import type { Broker, Order, Position } from '@quantpipe/core';
import { clientOrderIdPrefix } from '../client-order-id';
import type { BrokerCalls } from './broker-calls';
import type { JournalWriter } from './journal-writer';

/** Signed shares by symbol of the non-zero positions, in the broker's order. */
export function positionsMap(positions: readonly Position[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of positions) if (p.quantity !== 0) out[p.symbol] = p.quantity;
  return out;
}

function signedFilled(order: Pick<Order, 'side' | 'filledQuantity'>): number {
  return order.side === 'buy' ? order.filledQuantity : -order.filledQuantity;
}

/** What {@link Reconciler.reconcile} found. */
export interface Reconciliation {
  /** The broker's positions (signed shares by symbol): the engine adopts them. */
  readonly positions: Record<string, number>;
  /** Differences from what the journal expects (empty when they agree). */
  readonly mismatches: string[];
}

/** A leg of an interrupted cycle, as journaled in its decision. */
export interface JournaledLeg {
  readonly clientOrderId: string;
  readonly symbol: string;
}

/**
 * Compares the broker with the journal, in one place for start-up, reconnects and every cycle:
 * open orders of this run from earlier cycles are canceled (they were meant for another
 * moment); open orders the engine did not place keep their symbols out of trading while they
 * are open (see {@link Reconciler.foreignOrderSymbols}); and, when asked, the broker's positions
 * are compared with the positions the journal expects.
 */
export class Reconciler {
  /** Symbols with open orders the engine did not place: not traded while those are open. */
  foreignOrderSymbols: ReadonlySet<string> = new Set();

  constructor(
    private readonly broker: Broker,
    private readonly calls: BrokerCalls,
    private readonly journal: JournalWriter,
    private readonly runId: string,
  ) {}

  /**
   * Cancels this run's open orders (except `keep`, the interrupted cycle's) and records the
   * symbols of everyone else's. Journals each cancellation at `cycle` with `reason`. Returns the
   * open orders the engine did not place.
   */
  async sweepOpenOrders(
    cycle: number,
    reason: string,
    keep: ReadonlySet<string> = new Set(),
  ): Promise<Order[]> {
    const broker = this.broker;
    const open = await this.calls.call('listOpenOrders', () => broker.listOpenOrders());
    const prefix = clientOrderIdPrefix(this.runId);
    const foreign: Order[] = [];
    const symbols = new Set<string>();
    for (const order of open) {
      if (keep.has(order.clientOrderId)) continue;
      if (order.clientOrderId.startsWith(prefix)) {
        await this.calls.call('cancelOrder', () => broker.cancelOrder(order.id));
        await this.journal.append(
          'order_update',
          cycle,
          { status: 'canceled', reason, orderId: order.id },
          order.clientOrderId,
        );
      } else {
        symbols.add(order.symbol);
        foreign.push(order);
      }
    }
    this.foreignOrderSymbols = symbols;
    this.openOrderIds = open.map((o) => o.clientOrderId);
    return foreign;
  }

  /** Client order ids of every open order seen by the last sweep. */
  openOrderIds: string[] = [];

  /**
   * The full reconciliation (start-up, after a reconnect): sweeps the open orders, then
   * compares the broker's positions with `expected` plus what the interrupted cycle's orders
   * filled. Journals a `reconciliation` entry at `cycle`; the caller alerts on mismatches and
   * adopts the broker's positions.
   */
  async reconcile(
    cycle: number,
    expected: Readonly<Record<string, number>> | null,
    interrupted: readonly JournaledLeg[],
  ): Promise<Reconciliation> {
    const broker = this.broker;
    const positions = positionsMap(
      await this.calls.call('getPositions', () => broker.getPositions()),
    );
    const foreign = await this.sweepOpenOrders(
      cycle,
      'stale order of an earlier cycle',
      new Set(interrupted.map((l) => l.clientOrderId)),
    );
    const mismatches = foreign.map(
      (order) =>
        `open order ${order.clientOrderId} (${order.side} ${order.quantity} ${order.symbol}) is not in the journal`,
    );
    if (expected !== null) {
      const want: Record<string, number> = { ...expected };
      for (const leg of interrupted) {
        const order = await this.calls.call('getOrderByClientId', () =>
          broker.getOrderByClientId(leg.clientOrderId),
        );
        if (order) want[leg.symbol] = (want[leg.symbol] ?? 0) + signedFilled(order);
      }
      for (const symbol of new Set([...Object.keys(want), ...Object.keys(positions)])) {
        const w = want[symbol] ?? 0;
        const have = positions[symbol] ?? 0;
        if (w !== have)
          mismatches.push(`${symbol}: journal expects ${w} shares, broker holds ${have}`);
      }
    }
    await this.journal.append('reconciliation', cycle, {
      positions,
      openOrders: this.openOrderIds,
      mismatches,
    });
    return { positions, mismatches };
  }
}
