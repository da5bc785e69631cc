import {
  assertOrderRequest,
  BrokerError,
  DataError,
  isOrderOpen,
  NotFoundError,
  OrderRejectedError,
  ValidationError,
  type Account,
  type Broker,
  type Fill,
  type MarketClock,
  type Order,
  type OrderRequest,
  type OrderStatus,
  type Position,
  type QuantpipeError,
} from '@quantpipe/core';
import { OrderAction, OrderType, type Order as IbOrder } from '@stoqey/ib';
import {
  IbkrConnection,
  stockContract,
  type IbkrConnectionOptions,
  type OrderEvent,
  type RawExecution,
  type RawOpenOrder,
} from './ibkr-connection';
import { ibkrError, isInformationalCode } from './ibkr-errors';
import { formatUtcForTws, isoSeconds, parseTwsTime } from './ibkr-time';
import { usEquityMarketClock } from './market-clock';

/** Options of {@link IbkrBroker}. */
export interface IbkrBrokerOptions extends IbkrConnectionOptions {
  /** Share a connection (e.g. with an {@link IbkrMarketData}); otherwise one is created. */
  readonly connection?: IbkrConnection;
  /** How long submitOrder waits for TWS to acknowledge an order. Default 10 000 ms. */
  readonly orderAckTimeoutMs?: number;
  /** Wall clock. Default Date.now. */
  readonly now?: () => number;
}

/** Account-summary tags read by {@link IbkrBroker.getAccount}. */
export const ACCOUNT_SUMMARY_TAGS = [
  'NetLiquidation',
  'TotalCashValue',
  'BuyingPower',
  'PreviousDayEquityWithLoanValue',
  'GrossPositionValue',
] as const;

interface OrderRecord {
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

/** TWS order status text → core status. */
export function mapIbOrderStatus(status: string, filled: number): OrderStatus {
  switch (status) {
    case 'Filled':
      return 'filled';
    case 'Cancelled':
    case 'ApiCancelled':
      return 'canceled';
    case 'Inactive':
      return 'rejected';
    case 'PendingSubmit':
    case 'ApiPending':
      return 'pending_new';
    default:
      return filled > 0 ? 'partially_filled' : 'new';
  }
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
 * The IBKR execution venue through the real `@stoqey/ib` client (TWS or IB Gateway).
 *
 * - Idempotency: the client order id travels as the order's `orderRef`. Before placing, the
 *   broker looks for that reference among the open orders and executions of the account and
 *   returns the existing order instead of sending a second one.
 * - Disconnects: a connection lost while an order is in flight fails `submitOrder` with
 *   `BrokerError('connection')`; `getOrderByClientId` then reconnects (core `retry`) and
 *   recovers the order's final state from the open orders and executions.
 * - The market clock comes from the US equity exchange calendar (the API has none): see
 *   {@link usEquityMarketClock}.
 * - Error codes: 200 → NotFoundError, 201/203 → OrderRejectedError (context `kind`
 *   `insufficient_buying_power` when so), 162 → rate_limit, 321 → bad_request,
 *   502/504/1100/326 → connection.
 */
export class IbkrBroker implements Broker {
  readonly venue = 'ibkr';
  readonly connection: IbkrConnection;
  private readonly orderAckTimeoutMs: number;
  private readonly now: () => number;
  private readonly records = new Map<number, OrderRecord>();
  private readonly byClientId = new Map<string, OrderRecord>();
  private readonly waiters = new Map<number, Set<Waiter>>();
  private readonly unsubscribe: () => void;

  constructor(options: IbkrBrokerOptions = {}) {
    this.connection = options.connection ?? new IbkrConnection(options);
    this.orderAckTimeoutMs = options.orderAckTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.unsubscribe = this.connection.onOrderEvent((event) => this.onOrderEvent(event));
  }

  /** Connects now (otherwise the first call does). */
  async connect(): Promise<void> {
    await this.connection.call(async () => undefined);
  }

  /** Disconnects and stops following order events. */
  close(): void {
    this.unsubscribe();
    this.connection.close();
  }

  async getAccount(): Promise<Account> {
    const rows = await this.connection.call((api) =>
      this.connection.accountSummary(api, ACCOUNT_SUMMARY_TAGS),
    );
    const num = (tag: string, required: boolean): number | undefined => {
      const row = rows.get(tag);
      if (!row) {
        if (required)
          throw new DataError(`ibkr: account summary lacks ${tag}`, { context: { tag } });
        return undefined;
      }
      const value = Number(row.value);
      if (!Number.isFinite(value)) {
        throw new DataError(
          `ibkr: account summary ${tag} is not a number: ${JSON.stringify(row.value)}`,
          {
            context: { tag },
          },
        );
      }
      if (row.currency !== '' && row.currency !== 'USD') {
        throw new DataError(`ibkr: account summary ${tag} is in ${row.currency}, expected USD`, {
          context: { tag },
        });
      }
      return value;
    };
    const equity = num('NetLiquidation', true) as number;
    const lastEquity = num('PreviousDayEquityWithLoanValue', false);
    const gross = num('GrossPositionValue', false);
    const accountId = rows.get('NetLiquidation')?.account ?? this.connection.account;
    return {
      ...(accountId ? { accountId } : {}),
      cashUsd: num('TotalCashValue', true) as number,
      equityUsd: equity,
      buyingPowerUsd: num('BuyingPower', true) as number,
      portfolioValueUsd: equity,
      ...(gross !== undefined ? { grossExposureUsd: gross } : {}),
      ...(lastEquity !== undefined
        ? { lastEquityUsd: lastEquity, dailyPnlUsd: equity - lastEquity }
        : {}),
      timestamp: isoSeconds(this.now()),
    };
  }

  async getPositions(): Promise<Position[]> {
    const raw = await this.connection.call((api) => this.connection.positions(api));
    return raw
      .filter((p) => p.quantity !== 0)
      .map((p) => {
        if (p.marketPrice === undefined) {
          throw new DataError(`ibkr: no market price for position ${p.symbol}`, {
            context: { symbol: p.symbol },
          });
        }
        const marketValueUsd = p.quantity * p.marketPrice;
        return {
          symbol: p.symbol,
          quantity: p.quantity,
          avgEntryPriceUsd: p.avgCost,
          currentPriceUsd: p.marketPrice,
          marketValueUsd,
          unrealizedPnlUsd: marketValueUsd - p.quantity * p.avgCost,
        };
      })
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  getClock(): Promise<MarketClock> {
    return Promise.resolve(usEquityMarketClock(this.now()));
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    assertOrderRequest(request);
    const known = this.byClientId.get(request.clientOrderId);
    if (known && known.acknowledged) return this.snapshot(known);
    // Not known here: ask the venue (a restart or a lost reply may have hidden it from us).
    await this.refreshFromVenue();
    const existing = this.byClientId.get(request.clientOrderId);
    if (existing) return this.snapshot(existing);

    const api = await this.connection.call(async (a) => a);
    const orderId = this.connection.takeOrderId();
    const nowIso = isoSeconds(this.now());
    const record: OrderRecord = {
      orderId,
      request: { ...request },
      status: 'pending_new',
      filledQuantity: 0,
      filledAvgPriceUsd: undefined,
      submittedAt: nowIso,
      updatedAt: nowIso,
      reason: undefined,
      acknowledged: false,
      fills: new Map(),
    };
    this.store(record);
    const ibOrder: IbOrder = {
      action: request.side === 'buy' ? OrderAction.BUY : OrderAction.SELL,
      totalQuantity: request.quantity,
      orderType: request.type === 'limit' ? OrderType.LMT : OrderType.MKT,
      tif: request.timeInForce === 'gtc' ? 'GTC' : 'DAY',
      orderRef: request.clientOrderId,
      transmit: true,
      ...(request.type === 'limit' ? { lmtPrice: request.limitPriceUsd } : {}),
    };
    const acknowledged = this.waitFor(
      orderId,
      (r) => r.acknowledged || !isOrderOpen(r.status),
      this.orderAckTimeoutMs,
    );
    api.placeOrder(orderId, stockContract(request.symbol), ibOrder);
    try {
      await acknowledged;
    } catch (error) {
      if (
        error instanceof BrokerError &&
        (error.kind === 'connection' || error.kind === 'timeout')
      ) {
        // The order may or may not have reached the venue: say so, and how to find out.
        const what = error.kind === 'connection' ? 'connection lost' : 'no acknowledgement';
        throw new BrokerError(
          error.kind,
          `ibkr: ${what} while order ${request.clientOrderId} was in flight; its state is recovered by getOrderByClientId after reconnect`,
          {
            venue: 'ibkr',
            cause: error,
            context: { clientOrderId: request.clientOrderId, orderId },
          },
        );
      }
      throw error;
    }
    return this.snapshot(record);
  }

  async getOrderByClientId(clientOrderId: string): Promise<Order | undefined> {
    const known = this.byClientId.get(clientOrderId);
    if (known && known.acknowledged && !isOrderOpen(known.status) && this.connection.isConnected) {
      return this.snapshot(known);
    }
    await this.refreshFromVenue();
    const record = this.byClientId.get(clientOrderId);
    return record ? this.snapshot(record) : undefined;
  }

  async listOpenOrders(): Promise<Order[]> {
    const open = await this.connection.call((api) => this.connection.openOrders(api));
    for (const o of open) this.mergeOpenOrder(o);
    const openIds = new Set(open.map((o) => o.orderId));
    return [...this.records.values()]
      .filter((r) => openIds.has(r.orderId) && isOrderOpen(r.status))
      .map((r) => this.snapshot(r));
  }

  async cancelOrder(orderId: string): Promise<void> {
    const id = Number(orderId);
    if (!Number.isInteger(id) || id < 0)
      throw new ValidationError('orderId', `not an IBKR order id: ${orderId}`);
    const record = this.records.get(id);
    if (record && !isOrderOpen(record.status)) {
      throw new BrokerError(
        'bad_request',
        `ibkr: order ${orderId} is ${record.status} and cannot be canceled`,
        {
          venue: 'ibkr',
        },
      );
    }
    await this.connection.call(async (api) => {
      const canceled = this.waitFor(
        id,
        (r) => r.status === 'canceled' || !isOrderOpen(r.status),
        this.orderAckTimeoutMs,
        true,
      );
      api.cancelOrder(id);
      await canceled;
    });
  }

  async listFills(since?: string): Promise<Fill[]> {
    const sinceMs = since === undefined ? undefined : Date.parse(since);
    if (since !== undefined && Number.isNaN(sinceMs))
      throw new ValidationError('since', `not an ISO instant: ${since}`);
    const filter = sinceMs === undefined ? {} : { time: formatUtcForTws(sinceMs) };
    const executions = await this.connection.call((api) => this.connection.executions(api, filter));
    const fills = executions.map((e) => this.mergeExecution(e));
    return fills
      .filter((f) => sinceMs === undefined || Date.parse(f.timestamp) >= sinceMs)
      .sort((a, b) =>
        a.timestamp < b.timestamp
          ? -1
          : a.timestamp > b.timestamp
            ? 1
            : a.fillId < b.fillId
              ? -1
              : 1,
      );
  }

  // ---- internals ----

  private store(record: OrderRecord): void {
    this.records.set(record.orderId, record);
    this.byClientId.set(record.request.clientOrderId, record);
  }

  private forget(record: OrderRecord): void {
    this.records.delete(record.orderId);
    if (this.byClientId.get(record.request.clientOrderId) === record)
      this.byClientId.delete(record.request.clientOrderId);
  }

  private snapshot(r: OrderRecord): Order {
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

  private waitFor(
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

  private wake(record: OrderRecord): void {
    for (const w of [...(this.waiters.get(record.orderId) ?? [])]) if (w.until(record)) w.resolve();
  }

  private onOrderEvent(event: OrderEvent): void {
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

  private mergeOpenOrder(o: RawOpenOrder): OrderRecord | undefined {
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

  private mergeExecution(e: RawExecution): Fill {
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
    const commission =
      e.commission ?? (x.execId ? this.connection.commissionFor(x.execId) : undefined);
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

  /**
   * Re-reads the venue's open orders and executions and merges them (reconnecting first if
   * needed). Orders this instance sent but TWS never acknowledged, and that the venue does not
   * know, are forgotten: the venue never saw them, so resubmitting is safe.
   */
  private async refreshFromVenue(): Promise<void> {
    const { open, executions } = await this.connection.call(async (api) => ({
      open: await this.connection.openOrders(api),
      executions: await this.connection.executions(api, {}),
    }));
    const seen = new Set<number>();
    for (const o of open) {
      const r = this.mergeOpenOrder(o);
      if (r) seen.add(r.orderId);
    }
    for (const e of executions) {
      this.mergeExecution(e);
      seen.add(e.execution.orderId ?? -1);
    }
    for (const r of [...this.records.values()]) {
      if (seen.has(r.orderId)) continue;
      if (!r.acknowledged && (this.waiters.get(r.orderId)?.size ?? 0) === 0) this.forget(r);
      else if (
        r.acknowledged &&
        isOrderOpen(r.status) &&
        r.filledQuantity === 0 &&
        r.status !== 'pending_new'
      ) {
        // Acknowledged, no longer open at the venue and never filled: it was canceled or expired.
        r.status = 'canceled';
        r.reason = r.reason ?? 'no longer open at the venue and never filled';
        r.updatedAt = isoSeconds(this.now());
      } else if (r.acknowledged && isOrderOpen(r.status) && r.filledQuantity > 0) {
        r.status = r.filledQuantity >= r.request.quantity ? 'filled' : 'canceled';
        r.updatedAt = isoSeconds(this.now());
      }
    }
  }
}
