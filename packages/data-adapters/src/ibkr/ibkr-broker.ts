import {
  assertOrderRequest,
  BrokerError,
  DataError,
  isOrderOpen,
  ValidationError,
  type Account,
  type Broker,
  type Fill,
  type MarketClock,
  type Order,
  type OrderRequest,
  type Position,
} from '@quantpipe/core';
import { OrderAction, OrderType, type Order as IbOrder } from '@stoqey/ib';
import { IbkrConnection, type IbkrConnectionOptions } from './ibkr-connection';
import { IbkrOrderBook, type OrderRecord } from './ibkr-order-book';
import { stockContract } from './stock-contract';
import { formatUtcForTws, isoSeconds } from './ibkr-time';
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
  private readonly book: IbkrOrderBook;
  private readonly unsubscribe: () => void;

  constructor(options: IbkrBrokerOptions = {}) {
    this.connection = options.connection ?? new IbkrConnection(options);
    this.orderAckTimeoutMs = options.orderAckTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.book = new IbkrOrderBook(this.now, (execId) => this.connection.commissionFor(execId));
    this.unsubscribe = this.connection.onOrderEvent((event) => this.book.onOrderEvent(event));
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
    const known = this.book.byClientId.get(request.clientOrderId);
    if (known && known.acknowledged) return this.book.snapshot(known);
    // Not known here: ask the venue (a restart or a lost reply may have hidden it from us).
    await this.refreshFromVenue();
    const existing = this.book.byClientId.get(request.clientOrderId);
    if (existing) return this.book.snapshot(existing);

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
    this.book.store(record);
    const ibOrder: IbOrder = {
      action: request.side === 'buy' ? OrderAction.BUY : OrderAction.SELL,
      totalQuantity: request.quantity,
      orderType: request.type === 'limit' ? OrderType.LMT : OrderType.MKT,
      tif: request.timeInForce === 'gtc' ? 'GTC' : 'DAY',
      orderRef: request.clientOrderId,
      transmit: true,
      ...(request.type === 'limit' ? { lmtPrice: request.limitPriceUsd } : {}),
    };
    const acknowledged = this.book.waitFor(
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
    return this.book.snapshot(record);
  }

  async getOrderByClientId(clientOrderId: string): Promise<Order | undefined> {
    const known = this.book.byClientId.get(clientOrderId);
    if (known && known.acknowledged && !isOrderOpen(known.status) && this.connection.isConnected) {
      return this.book.snapshot(known);
    }
    await this.refreshFromVenue();
    const record = this.book.byClientId.get(clientOrderId);
    return record ? this.book.snapshot(record) : undefined;
  }

  async listOpenOrders(): Promise<Order[]> {
    const open = await this.connection.call((api) => this.connection.openOrders(api));
    for (const o of open) this.book.mergeOpenOrder(o);
    const openIds = new Set(open.map((o) => o.orderId));
    return [...this.book.records.values()]
      .filter((r) => openIds.has(r.orderId) && isOrderOpen(r.status))
      .map((r) => this.book.snapshot(r));
  }

  async cancelOrder(orderId: string): Promise<void> {
    const id = Number(orderId);
    if (!Number.isInteger(id) || id < 0)
      throw new ValidationError('orderId', `not an IBKR order id: ${orderId}`);
    const record = this.book.records.get(id);
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
      const canceled = this.book.waitFor(
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
    const fills = executions.map((e) => this.book.mergeExecution(e));
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
      const r = this.book.mergeOpenOrder(o);
      if (r) seen.add(r.orderId);
    }
    for (const e of executions) {
      this.book.mergeExecution(e);
      seen.add(e.execution.orderId ?? -1);
    }
    for (const r of [...this.book.records.values()]) {
      if (seen.has(r.orderId)) continue;
      if (!r.acknowledged && (this.book.waiters.get(r.orderId)?.size ?? 0) === 0)
        this.book.forget(r);
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
