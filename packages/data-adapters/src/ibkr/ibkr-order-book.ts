import {
  BrokerError,
  NotFoundError,
  OrderRejectedError,
  isOrderOpen,
  type Fill,
  type Order,
  type OrderRequest,
  type OrderStatus,
  type QuantpipeError,
} from '@quantpipe/core';
import { OrderType, type CommissionReport } from '@stoqey/ib';
import { ibkrError, isInformationalCode } from './ibkr-errors';
import { mapIbOrderStatus } from './ibkr-order-status';
import type { OrderEvent, RawExecution, RawOpenOrder } from './ibkr-raw-records';
import { isoSeconds, parseTwsTime } from './ibkr-time';

export interface OrderRecord {
  orderId: number;
  request: OrderRequest;
  status: OrderStatus;
  filledQuantity: number;
  filledAvgPriceUsd: number | undefined;
  submittedAt: string;
  updatedAt: string;
  reason: string | undefined;
  /** TWS confirmed it knows the order (a status, open-order or execution message). */
  acknowledged: boolean;
  fills: Map<string, Fill>;
}

interface Waiter {
  readonly until: (record: OrderRecord) => boolean;
  readonly resolve: () => void;
  readonly reject: (error: QuantpipeError) => void;
}

function sideOf(action: string | undefined): 'buy' | 'sell' {
  return action === 'SELL' || action === 'SLD' ? 'sell' : 'buy';
}

function executionTimeIso(text: string | undefined): string {
  if (!text) return isoSeconds(Date.now());
  const t = parseTwsTime(text);
  return t.kind === 'instant' ? isoSeconds(t.ms) : `${t.date}T00:00:00Z`;
}

/**
 * What an `IbkrBroker` knows of its orders: one record per TWS order id (and by client
 * order id), kept current from the connection's order events and from venue snapshots (open
 * orders, executions), plus the submit and cancel calls waiting on a record's next state.
 */
export class IbkrOrderBook {
  readonly records = new Map<number, OrderRecord>();
  readonly byClientId = new Map<string, OrderRecord>();
  readonly waiters = new Map<number, Set<Waiter>>();

  /**
   * `now` is the wall clock for `updatedAt`; `commissionFor` finds a commission report the
   * connection saw apart from its execution.
   */
  constructor(
    private readonly now: () => number,
    private readonly commissionFor: (execId: string) => CommissionReport | undefined,
  ) {}

  store(record: OrderRecord): void {
    this.records.set(record.orderId, record);
    this.byClientId.set(record.request.clientOrderId, record);
  }

  forget(record: OrderRecord): void {
    this.records.delete(record.orderId);
    if (this.byClientId.get(record.request.clientOrderId) === record)
      this.byClientId.delete(record.request.clientOrderId);
  }

  snapshot(r: OrderRecord): Order {
    let commission = 0;
    let anyCommission = false;
    for (const f of r.fills.values()) {
      commission += f.commissionUsd;
      anyCommission = true;
    }
    return {
      ...r.request,
      id: String(r.orderId),
      status: r.status,
      filledQuantity: r.filledQuantity,
      ...(r.filledAvgPriceUsd !== undefined ? { filledAvgPriceUsd: r.filledAvgPriceUsd } : {}),
      ...(anyCommission ? { commissionUsd: commission } : {}),
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    };
  }

  waitFor(
    orderId: number,
    until: (r: OrderRecord) => boolean,
    timeoutMs: number,
    cancel = false,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const set = this.waiters.get(orderId) ?? new Set<Waiter>();
      this.waiters.set(orderId, set);
      const timer = setTimeout(() => {
        set.delete(waiter);
        reject(
          new BrokerError(
            'timeout',
            `ibkr: no ${cancel ? 'cancel confirmation' : 'acknowledgement'} for order ${orderId} within ${timeoutMs} ms`,
            {
              venue: 'ibkr',
            },
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        until,
        resolve: () => {
          clearTimeout(timer);
          set.delete(waiter);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          set.delete(waiter);
          reject(error);
        },
      };
      set.add(waiter);
    });
  }

  wake(record: OrderRecord): void {
    for (const w of [...(this.waiters.get(record.orderId) ?? [])]) if (w.until(record)) w.resolve();
  }

  onOrderEvent(event: OrderEvent): void {
    switch (event.kind) {
      case 'status': {
        const r = this.records.get(event.orderId);
        if (!r) return;
        this.applyStatus(r, event.status, event.filled, event.avgFillPrice);
        this.wake(r);
        return;
      }
      case 'open': {
        const r = this.mergeOpenOrder(event.open);
        if (r) this.wake(r);
        return;
      }
      case 'execution': {
        this.mergeExecution(event.execution);
        const r = this.records.get(event.execution.execution.orderId ?? -1);
        if (r) this.wake(r);
        return;
      }
      case 'commission': {
        for (const r of this.records.values()) {
          const id = event.report.execId;
          const fill = id ? r.fills.get(id) : undefined;
          if (fill && id) r.fills.set(id, { ...fill, commissionUsd: event.report.commission ?? 0 });
        }
        return;
      }
      case 'error':
        this.onOrderError(event.orderId, event.code, event.message);
        return;
      case 'disconnected':
        for (const set of this.waiters.values()) {
          for (const w of [...set])
            w.reject(
              new BrokerError('connection', 'ibkr: disconnected from TWS', { venue: 'ibkr' }),
            );
        }
        return;
    }
  }

  private onOrderError(orderId: number, code: number, message: string): void {
    const r = this.records.get(orderId);
    if (!r) return;
    if (code === 202) {
      r.status = 'canceled';
      r.acknowledged = true;
      r.updatedAt = isoSeconds(this.now());
      this.wake(r);
      return;
    }
    if (isInformationalCode(code)) return;
    let error: QuantpipeError;
    if (code === 161 || code === 10147 || code === 10148) {
      // A failed cancel: the order itself is unchanged.
      error =
        code === 10147
          ? new NotFoundError(`ibkr: order ${orderId} not found (${message})`)
          : new BrokerError(
              'bad_request',
              `ibkr: order ${orderId} cannot be canceled: ${message}`,
              {
                venue: 'ibkr',
                status: code,
              },
            );
    } else {
      r.status = 'rejected';
      r.reason = message;
      r.acknowledged = true;
      r.updatedAt = isoSeconds(this.now());
      if (code === 200) {
        error = new NotFoundError(`ibkr: unknown symbol ${r.request.symbol} (${message})`, {
          context: { symbol: r.request.symbol, ibCode: code },
        });
      } else if (code === 201 || code === 203 || code === 103 || code === 110) {
        const typed = ibkrError(code, message);
        error = new OrderRejectedError(r.request.clientOrderId, message, {
          context: {
            ibCode: code,
            kind:
              typed instanceof BrokerError && typed.kind === 'insufficient_buying_power'
                ? 'insufficient_buying_power'
                : 'rejected',
          },
        });
      } else {
        error = ibkrError(code, message, { orderId });
      }
    }
    for (const w of [...(this.waiters.get(orderId) ?? [])]) w.reject(error);
  }

  private applyStatus(r: OrderRecord, status: string, filled: number, avgFillPrice: number): void {
    const next = mapIbOrderStatus(status, filled);
    r.acknowledged = true;
    // Never move back from a final state (late or replayed messages).
    if (!isOrderOpen(r.status) && isOrderOpen(next)) return;
    r.status = next;
    if (filled > r.filledQuantity) r.filledQuantity = filled;
    if (filled > 0 && avgFillPrice > 0) r.filledAvgPriceUsd = avgFillPrice;
    r.updatedAt = isoSeconds(this.now());
  }

  private recordFor(
    orderId: number,
    orderRef: string | undefined,
    build: () => OrderRequest,
  ): OrderRecord {
    const clientOrderId = orderRef && orderRef !== '' ? orderRef : `ibkr-${orderId}`;
    const byRef = this.byClientId.get(clientOrderId);
    if (byRef) {
      if (byRef.orderId !== orderId) {
        // The venue knows the reference under another id (placed by an earlier session).
        this.records.delete(byRef.orderId);
        byRef.orderId = orderId;
        this.records.set(orderId, byRef);
      }
      return byRef;
    }
    const existing = this.records.get(orderId);
    if (existing) return existing;
    const nowIso = isoSeconds(this.now());
    const record: OrderRecord = {
      orderId,
      request: build(),
      status: 'new',
      filledQuantity: 0,
      filledAvgPriceUsd: undefined,
      submittedAt: nowIso,
      updatedAt: nowIso,
      reason: undefined,
      acknowledged: true,
      fills: new Map(),
    };
    this.store(record);
    return record;
  }

  mergeOpenOrder(o: RawOpenOrder): OrderRecord | undefined {
    if (!o.contract.symbol) return undefined;
    const r = this.recordFor(o.orderId, o.order.orderRef, () => ({
      clientOrderId:
        o.order.orderRef && o.order.orderRef !== '' ? o.order.orderRef : `ibkr-${o.orderId}`,
      symbol: o.contract.symbol as string,
      side: sideOf(o.order.action),
      quantity: o.order.totalQuantity ?? 0,
      type: o.order.orderType === OrderType.LMT ? 'limit' : 'market',
      timeInForce: o.order.tif === 'GTC' ? 'gtc' : 'day',
      ...(o.order.lmtPrice !== undefined && o.order.orderType === OrderType.LMT
        ? { limitPriceUsd: o.order.lmtPrice }
        : {}),
    }));
    const status = o.status?.status ?? o.state.status ?? 'Submitted';
    this.applyStatus(r, status, o.status?.filled ?? r.filledQuantity, o.status?.avgFillPrice ?? 0);
    return r;
  }

  mergeExecution(e: RawExecution): Fill {
    const x = e.execution;
    const orderId = x.orderId ?? -1;
    const symbol = e.contract.symbol ?? '';
    const r = this.recordFor(orderId, x.orderRef, () => ({
      clientOrderId: x.orderRef && x.orderRef !== '' ? x.orderRef : `ibkr-${orderId}`,
      symbol,
      side: sideOf(x.side),
      quantity: x.cumQty ?? x.shares ?? 0,
      type: 'market',
      timeInForce: 'day',
    }));
    const commission = e.commission ?? (x.execId ? this.commissionFor(x.execId) : undefined);
    const fill: Fill = {
      fillId: x.execId ?? `${orderId}-${r.fills.size + 1}`,
      orderId: String(orderId),
      clientOrderId: r.request.clientOrderId,
      symbol,
      side: sideOf(x.side),
      quantity: x.shares ?? 0,
      priceUsd: x.price ?? 0,
      commissionUsd: commission?.commission ?? r.fills.get(x.execId ?? '')?.commissionUsd ?? 0,
      timestamp: executionTimeIso(x.time),
    };
    r.fills.set(fill.fillId, fill);
    r.acknowledged = true;
    // Fill totals from the executions themselves (authoritative after a lost connection).
    let shares = 0;
    let notional = 0;
    for (const f of r.fills.values()) {
      shares += f.quantity;
      notional += f.quantity * f.priceUsd;
    }
    if (shares >= r.filledQuantity) {
      r.filledQuantity = shares;
      if (shares > 0) r.filledAvgPriceUsd = notional / shares;
    }
    if (r.filledQuantity >= r.request.quantity && r.request.quantity > 0) r.status = 'filled';
    else if (r.filledQuantity > 0 && isOrderOpen(r.status)) r.status = 'partially_filled';
    r.updatedAt = isoSeconds(this.now());
    return fill;
  }
}
