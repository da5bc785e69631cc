import {
  newYorkParts,
  type Alert,
  type AlertSink,
  type Fill,
  type Order,
  type Position,
} from '@quantpipe/core';
import type { CycleSummaryFields, SummaryLimits } from './cycle-summary';

/** One point of the equity chart. */
export interface EquityPoint {
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  readonly equityUsd: number;
  /** From the running peak of the series, <= 0. */
  readonly drawdown: number;
}

/** An order as the dashboard lists it. */
export interface OrderRow {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly status: string;
  readonly submittedAt: string;
  readonly reason?: string;
}

/** What the dashboard and `/healthz` read: the running trader's live view. */
export interface OpsSnapshot {
  readonly runId: string;
  readonly broker: string;
  readonly dryRun: boolean;
  readonly version: string;
  readonly startedAt: string;
  readonly schedule: string;
  /** The trader's "now" (broker or replay clock), ISO-8601 UTC. */
  readonly now: string;
  readonly phase: 'starting' | 'running' | 'waiting' | 'stopped';
  readonly nextCycleAt: string | null;
  readonly lastHeartbeatAt: string | null;
  readonly lastCycle: {
    readonly endedAt: string;
    readonly durationMs: number;
    readonly outcome: string;
    readonly summary: CycleSummaryFields | null;
    readonly line: string;
  } | null;
  readonly brokerConnected: boolean;
  readonly lastBrokerError: { kind: string; message: string; at: string } | null;
  readonly dataStalenessSeconds: number | null;
  readonly killSwitch: { readonly tripped: boolean; readonly reason: string | null };
  readonly limits: SummaryLimits;
  readonly positions: readonly Position[];
  readonly equity: readonly EquityPoint[];
  readonly ordersToday: readonly OrderRow[];
  readonly fillsToday: readonly Fill[];
  readonly alerts: readonly Alert[];
}

const MAX_POINTS = 2000;
const MAX_ALERTS = 50;

type Listener = (snapshot: OpsSnapshot) => void;

/**
 * The running trader's state for operators. The run loop writes it; the HTTP server only
 * reads it and streams each change to the dashboard. Also an AlertSink, so every alert the
 * trader raises shows up live.
 */
export class OpsState implements AlertSink {
  private state: OpsSnapshot;
  private readonly listeners = new Set<Listener>();

  constructor(
    init: Pick<OpsSnapshot, 'runId' | 'broker' | 'dryRun' | 'version' | 'schedule' | 'limits'>,
    private readonly now: () => number,
  ) {
    this.state = {
      ...init,
      startedAt: new Date(now()).toISOString(),
      now: new Date(now()).toISOString(),
      phase: 'starting',
      nextCycleAt: null,
      lastHeartbeatAt: null,
      lastCycle: null,
      brokerConnected: true,
      lastBrokerError: null,
      dataStalenessSeconds: null,
      killSwitch: { tripped: false, reason: null },
      positions: [],
      equity: [],
      ordersToday: [],
      fillsToday: [],
      alerts: [],
    };
  }

  /** The current view (with `now` refreshed). */
  snapshot(): OpsSnapshot {
    return { ...this.state, now: new Date(this.now()).toISOString() };
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a change and notifies the listeners. */
  update(change: Partial<OpsSnapshot>): void {
    this.state = { ...this.state, ...change };
    const snap = this.snapshot();
    for (const listener of this.listeners) listener(snap);
  }

  /** Seeds the equity curve (e.g. from the database's portfolio snapshots). */
  seedEquity(points: readonly { timestamp: string; equityUsd: number }[]): void {
    let peak = Number.NEGATIVE_INFINITY;
    const equity = points.slice(-MAX_POINTS).map((p) => {
      peak = Math.max(peak, p.equityUsd);
      return { timestamp: p.timestamp, equityUsd: p.equityUsd, drawdown: p.equityUsd / peak - 1 };
    });
    this.update({ equity });
  }

  /** An equity point, its drawdown from the series' running peak. */
  private pointFor(timestamp: string, equityUsd: number): EquityPoint {
    const peak = Math.max(equityUsd, ...this.state.equity.map((p) => p.equityUsd));
    return { timestamp, equityUsd, drawdown: equityUsd / peak - 1 };
  }

  /** Records a finished cycle's orders, fills, positions and equity. */
  recordCycle(input: {
    readonly timestamp: string;
    readonly equityUsd: number;
    readonly orders: readonly Order[];
    readonly fills: readonly Fill[];
    readonly positions: readonly Position[];
    readonly lastCycle: NonNullable<OpsSnapshot['lastCycle']>;
    readonly killSwitch: OpsSnapshot['killSwitch'];
  }): void {
    const today = newYorkParts(this.now()).date;
    const isToday = (iso: string): boolean => newYorkParts(Date.parse(iso)).date === today;
    const orders = new Map(
      this.state.ordersToday.filter((o) => isToday(o.submittedAt)).map((o) => [o.clientOrderId, o]),
    );
    for (const o of input.orders)
      orders.set(o.clientOrderId, {
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        side: o.side,
        quantity: o.quantity,
        filledQuantity: o.filledQuantity,
        status: o.status,
        submittedAt: o.submittedAt,
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
      });
    const fills = new Map(
      this.state.fillsToday.filter((f) => isToday(f.timestamp)).map((f) => [f.fillId, f]),
    );
    for (const f of input.fills) fills.set(f.fillId, f);
    this.update({
      equity: [...this.state.equity, this.pointFor(input.timestamp, input.equityUsd)].slice(
        -MAX_POINTS,
      ),
      ordersToday: [...orders.values()],
      fillsToday: [...fills.values()],
      positions: input.positions,
      lastCycle: input.lastCycle,
      killSwitch: input.killSwitch,
    });
  }

  alert(alert: Alert): void {
    this.update({ alerts: [...this.state.alerts, alert].slice(-MAX_ALERTS) });
  }
}
