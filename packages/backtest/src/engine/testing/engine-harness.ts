/** Test support: a TradingEngine on the simulated market, with a broker that can be sabotaged. */
import {
  MemoryAlertSink,
  MemoryJournal,
  TargetWeightsStrategy,
  TradingEngine,
  type CommissionModel,
  type EngineDeps,
} from '@quantpipe/execution';
import type { Broker, Order, OrderRequest, Position } from '@quantpipe/core';
import { createSimMarket, type SimMarket } from './sim-market';

export const SYMBOLS = ['SYNA', 'SYNB', 'SYNC'];

/** Wraps a broker to count and optionally sabotage calls. */
export class ProbeBroker implements Broker {
  readonly venue = 'probe';
  readonly submitted: string[] = [];
  failSubmit: ((request: OrderRequest, n: number) => Error | undefined) | undefined;
  afterSubmit: ((order: Order) => void) | undefined;
  /** Awaited before the `n`-th submission reaches the venue. */
  beforeSubmit: ((n: number) => Promise<void>) | undefined;
  /** Rewrites the positions the venue lists (a venue that disagrees with the journal). */
  tamper: ((positions: Position[]) => Position[]) | undefined;
  constructor(readonly inner: Broker) {}
  getAccount = () => this.inner.getAccount();
  getPositions = async (): Promise<Position[]> => {
    const positions = await this.inner.getPositions();
    return this.tamper ? this.tamper(positions) : positions;
  };
  getClock = () => this.inner.getClock();
  getOrderByClientId = (id: string) => this.inner.getOrderByClientId(id);
  listOpenOrders = () => this.inner.listOpenOrders();
  cancelOrder = (id: string) => this.inner.cancelOrder(id);
  listFills = (since?: string) => this.inner.listFills(since);
  async submitOrder(request: OrderRequest): Promise<Order> {
    await this.beforeSubmit?.(this.submitted.length);
    const failure = this.failSubmit?.(request, this.submitted.length);
    if (failure) throw failure;
    this.submitted.push(request.clientOrderId);
    const order = await this.inner.submitOrder(request);
    this.afterSubmit?.(order);
    return order;
  }
}

/**
 * A TradingEngine trading `weights` on a simulated market (default: a fresh one), its broker
 * wrapped in a {@link ProbeBroker}, with an in-memory journal and alert sink.
 */
export function setup(
  weights: Record<string, number>,
  options: {
    sim?: SimMarket;
    journal?: MemoryJournal;
    config?: Record<string, unknown>;
    runId?: string;
    /** The venue's commission model the engine estimates with (default: none). */
    commission?: CommissionModel;
  } = {},
) {
  const sim = options.sim ?? createSimMarket();
  const broker = new ProbeBroker(sim.broker);
  const journal = options.journal ?? new MemoryJournal();
  const alerts = new MemoryAlertSink();
  const deps: EngineDeps = {
    broker,
    marketData: sim.marketData,
    journal,
    clock: sim.clock,
    alerts,
    runId: options.runId ?? 'test',
    strategy: new TargetWeightsStrategy(weights),
    ...(options.commission ? { commission: options.commission } : {}),
  };
  const engine = new TradingEngine(
    { symbols: SYMBOLS, benchmark_symbol: 'SYNMKT', use_hourly: false, ...options.config },
    deps,
  );
  return { sim, broker, journal, alerts, engine };
}

/** Signed share counts by symbol. */
export async function positionsOf(broker: Broker): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of await broker.getPositions()) out[p.symbol] = p.quantity;
  return out;
}
