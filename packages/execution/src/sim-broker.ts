import {
  assertOrderRequest,
  NotFoundError,
  OrderRejectedError,
  ValidationError,
  sessionDateOf,
  type Account,
  type Broker,
  type Clock,
  type Fill,
  type MarketClock,
  type Order,
  type OrderRequest,
  type Position,
} from '@quantpipe/core';
import type { CommissionModel } from './sim-account';
import { SimVenue, type SimSlippage, type VenueExecution, type VenueQuote } from './sim-venue';

export type { SimSlippage } from './sim-venue';

/** What the simulated venue knows about a symbol when an order arrives. */
export interface SimQuote extends VenueQuote {
  /** Reference price of the fill before slippage (live: the latest price; backtest: next open). */
  readonly priceUsd: number;
  /** ISO-8601 UTC instant of the fill. */
  readonly timestamp: string;
}

/** Options of {@link SimBroker}. */
export interface SimBrokerOptions {
  readonly initialCashUsd: number;
  /** Reference price (and slippage inputs) for a symbol right now. */
  readonly quote: (symbol: string) => SimQuote;
  /** Clock for order timestamps when no quote timestamp applies. */
  readonly clock: Clock;
  /** Default: the spec's model. */
  readonly slippage?: SimSlippage;
  /** The commission model (see `SimVenueOptions.commission`). */
  readonly commission?: CommissionModel;
  /** Annual interest on the cash debit, charged at each new session. Default 0. */
  readonly marginInterestRate?: number;
  /** Annual fee on the short market value, charged at each new session. Default 0. */
  readonly shortBorrowRate?: number;
  /** Commission per share in USD. Default 0. */
  readonly commissionPerShareUsd?: number;
  /** Minimum commission per order in USD (applied when the per-share fee is lower). Default 0. */
  readonly minCommissionUsd?: number;
  /** Allow short positions. Default true. */
  readonly allowShort?: boolean;
  /**
   * Buying power = equity × this − gross exposure (a margin account). Default 4 (Reg T
   * intraday); 1 makes a cash account.
   */
  readonly marginMultiplier?: number;
  /**
   * Fraction (0, 1] of an order's shares filled on submission; the rest stays open until
   * {@link SimBroker.fillOpenOrders} (or is canceled). Default 1: everything fills at once.
   */
  readonly partialFillRatio?: number;
  /** Whether the market is open at an instant. Default: always open. */
  readonly isMarketOpen?: (nowMs: number) => boolean;
}

/**
 * An in-process {@link Broker} for paper runs, tests and backtests. Market orders fill on
 * submission at the injected quote's reference price moved by the slippage model, with
 * commissions; shorting and partial fills are optional. `clientOrderId` is idempotent.
 *
 * Accounting is exact by construction: equity = cash + Σ quantity × mark, where the mark is
 * the last price given to {@link SimBroker.markToMarket} (or the reference price of the last
 * fill). Fees and slippage are accumulated so gross and net P&L can be reconciled.
 */
export class SimBroker implements Broker {
  readonly venue = 'sim';
  /** The book: cash, holdings, marks, fees and slippage. */
  readonly book: SimVenue;
  private readonly orders = new Map<string, Order>();
  /** Client order id by venue order number (`sim-<n>` is element n). */
  private readonly clientIdByVenueNumber: string[] = [];
  /** Client ids of orders that can still fill. */
  private readonly openIds = new Set<string>();
  private readonly fillLog: Fill[] = [];
  private nextOrder = 1;
  private nextFill = 1;
  /**
   * Position snapshots by symbol, rebuilt only when the symbol's holding or mark changes (the
   * engine asks for positions before every order; most symbols are unchanged between asks).
   * Snapshots are never mutated, so handing the same object out twice is safe.
   */
  private readonly positionCache = new Map<string, Position>();
  /** Held symbol indices in name order, for the holdings version it was built at. */
  private sortedHeld: { version: number; indices: number[] } = { version: -1, indices: [] };
  /** `new Date(ms).toISOString()` of the last clock reading (many calls share an instant). */
  private isoCache: { ms: number; iso: string } = { ms: Number.NaN, iso: '' };
  private readonly execution: VenueExecution = { priceUsd: 0, commissionUsd: 0, slippageUsd: 0 };
  private readonly opts: {
    readonly quote: (symbol: string) => SimQuote;
    readonly clock: Clock;
    readonly partialFillRatio: number;
    readonly isMarketOpen: (nowMs: number) => boolean;
  };

  constructor(options: SimBrokerOptions) {
    const ratio = options.partialFillRatio ?? 1;
    if (!(ratio > 0 && ratio <= 1))
      throw new ValidationError('partialFillRatio', `expected (0, 1], got ${String(ratio)}`);
    this.book = new SimVenue({
      initialCashUsd: options.initialCashUsd,
      ...(options.slippage ? { slippage: options.slippage } : {}),
      ...(options.commission ? { commission: options.commission } : {}),
      ...(options.marginInterestRate !== undefined
        ? { marginInterestRate: options.marginInterestRate }
        : {}),
      ...(options.shortBorrowRate !== undefined
        ? { shortBorrowRate: options.shortBorrowRate }
        : {}),
      ...(options.commissionPerShareUsd !== undefined
        ? { commissionPerShareUsd: options.commissionPerShareUsd }
        : {}),
      ...(options.minCommissionUsd !== undefined
        ? { minCommissionUsd: options.minCommissionUsd }
        : {}),
      ...(options.allowShort !== undefined ? { allowShort: options.allowShort } : {}),
      ...(options.marginMultiplier !== undefined
        ? { marginMultiplier: options.marginMultiplier }
        : {}),
    });
    this.opts = {
      quote: options.quote,
      clock: options.clock,
      partialFillRatio: ratio,
      isMarketOpen: options.isMarketOpen ?? (() => true),
    };
  }

  /** Total commissions charged so far (USD). */
  get feesUsd(): number {
    return this.book.feesUsd;
  }

  /** Total slippage paid so far: Σ |fill price − reference price| × shares (USD). */
  get slippageUsd(): number {
    return this.book.slippageUsd;
  }

  /** Total margin interest charged so far (USD). */
  get interestUsd(): number {
    return this.book.interestUsd;
  }

  /** Total short-borrow fees charged so far (USD). */
  get borrowFeesUsd(): number {
    return this.book.borrowFeesUsd;
  }

  /** Total cash booked through {@link SimBroker.adjustCash} (e.g. synthetic hedge P&L), USD. */
  get adjustmentsUsd(): number {
    return this.book.adjustmentsUsd;
  }

  /**
   * Books cash that is not a trade (synthetic hedge P&L and cost, interest). Positive credits
   * the account. Tracked apart so P&L can be reconciled.
   */
  adjustCash(amountUsd: number): void {
    this.book.adjustCash(amountUsd);
  }

  private isoAt(ms: number): string {
    if (this.isoCache.ms !== ms) this.isoCache = { ms, iso: new Date(ms).toISOString() };
    return this.isoCache.iso;
  }

  /** Cash + Σ quantity × mark. */
  equityUsd(): number {
    return this.book.equityUsd();
  }

  /**
   * Revalues positions at the given prices. A timestamp in a new exchange session makes the
   * equity before revaluation the session's starting equity (for the daily P&L).
   */
  markToMarket(pricesUsd: Readonly<Record<string, number>>, timestamp: string): void {
    this.book.beginMarks(sessionDateOf(timestamp));
    // Caches are cleared first: a bad price below throws after earlier marks were set.
    this.positionCache.clear();
    for (const symbol in pricesUsd) {
      if (!Object.prototype.hasOwnProperty.call(pricesUsd, symbol)) continue;
      this.book.markAt(this.book.indexOf(symbol), pricesUsd[symbol] as number);
    }
  }

  async getAccount(): Promise<Account> {
    const book = this.book;
    const equityUsd = book.equityUsd();
    const grossUsd = book.grossExposureUsd();
    return {
      accountId: 'sim',
      cashUsd: book.cashUsd,
      equityUsd,
      lastEquityUsd: book.sessionStartEquityUsd,
      buyingPowerUsd: book.buyingPowerUsd(),
      portfolioValueUsd: equityUsd,
      grossExposureUsd: grossUsd,
      dailyPnlUsd: equityUsd - book.sessionStartEquityUsd,
      timestamp: this.isoAt(this.opts.clock.now()),
    };
  }

  async getPositions(): Promise<Position[]> {
    const held = this.heldByName();
    const out = new Array<Position>(held.length);
    for (let k = 0; k < held.length; k++) out[k] = this.positionOf(held[k] as number);
    return out;
  }

  /** Held symbol indices in name order. */
  private heldByName(): number[] {
    const book = this.book;
    if (this.sortedHeld.version !== book.holdingsVersion) {
      const indices: number[] = [];
      for (const i of book.symbols.byName()) if (book.holds(i)) indices.push(i);
      this.sortedHeld = { version: book.holdingsVersion, indices };
    }
    return this.sortedHeld.indices;
  }

  private positionOf(index: number): Position {
    const book = this.book;
    const symbol = book.symbols.name(index);
    const hit = this.positionCache.get(symbol);
    if (hit) return hit;
    const quantity = book.quantityOf(index);
    const avg = book.entryPriceOf(index);
    const price = book.valuationPriceOf(index);
    const position: Position = {
      symbol,
      quantity,
      avgEntryPriceUsd: avg,
      currentPriceUsd: price,
      marketValueUsd: quantity * price,
      unrealizedPnlUsd: (price - avg) * quantity,
    };
    this.positionCache.set(symbol, position);
    return position;
  }

  async getClock(): Promise<MarketClock> {
    const now = this.opts.clock.now();
    const isOpen = this.opts.isMarketOpen(now);
    // The simulation has no calendar; next open/close are placeholders one day away.
    const nextDay = new Date(now + 86_400_000).toISOString();
    return {
      timestamp: new Date(now).toISOString(),
      isOpen,
      nextOpen: isOpen ? nextDay : new Date(now).toISOString(),
      nextClose: nextDay,
    };
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    assertOrderRequest(request);
    const existing = this.orders.get(request.clientOrderId);
    if (existing) return existing;
    this.validate(request);
    const nowIso = this.isoAt(this.opts.clock.now());
    const id = `sim-${this.nextOrder++}`;
    const order = newOrder(request, id, nowIso);
    const index = this.book.indexOf(request.symbol);
    const side = request.side === 'buy' ? 1 : -1;
    const reason = this.book.rejectionReason(
      index,
      side,
      request.quantity,
      this.book.addsExposure(index, side, request.quantity)
        ? this.opts.quote(request.symbol).priceUsd
        : Number.NaN,
    );
    if (reason !== undefined) {
      this.store({ ...order, status: 'rejected', reason });
      throw new OrderRejectedError(request.clientOrderId, reason, {
        context: { symbol: request.symbol, venue: 'sim' },
      });
    }
    // Filled before it is stored: one write of the order's final state for a whole fill.
    const placed = this.opts.isMarketOpen(this.opts.clock.now())
      ? this.execute(order, Math.max(1, Math.floor(request.quantity * this.opts.partialFillRatio)))
      : order;
    this.store(placed);
    return placed;
  }

  private validate(r: OrderRequest): void {
    if (typeof r.clientOrderId !== 'string' || r.clientOrderId === '')
      throw new ValidationError('clientOrderId', 'required');
    if (!Number.isSafeInteger(r.quantity) || r.quantity <= 0) {
      throw new ValidationError('quantity', `expected whole shares > 0, got ${String(r.quantity)}`);
    }
    if (r.side !== 'buy' && r.side !== 'sell')
      throw new ValidationError('side', `expected buy or sell, got ${String(r.side)}`);
    if (r.type !== 'market')
      throw new ValidationError('type', 'the simulated broker supports market orders only');
  }

  /** Records a new order (its id is the next venue number). */
  private store(order: Order): void {
    this.orders.set(order.clientOrderId, order);
    this.clientIdByVenueNumber[this.nextOrder - 1] = order.clientOrderId;
    this.track(order);
  }

  private track(order: Order): void {
    if (order.status === 'new' || order.status === 'partially_filled')
      this.openIds.add(order.clientOrderId);
    else this.openIds.delete(order.clientOrderId);
  }

  /** Fills `quantity` shares of `order` now: books cash and holdings, logs the fill, returns the updated order (not stored). */
  private execute(order: Order, quantity: number): Order {
    const quote = this.opts.quote(order.symbol);
    const exec = this.execution;
    const index = this.book.indexOf(order.symbol);
    this.book.execute(exec, index, order.side === 'buy' ? 1 : -1, quantity, quote);
    this.positionCache.delete(order.symbol);
    const priceUsd = exec.priceUsd;
    const commissionUsd = exec.commissionUsd;
    // Order state.
    const filled = order.filledQuantity + quantity;
    const avg =
      order.filledQuantity === 0
        ? priceUsd
        : ((order.filledAvgPriceUsd ?? 0) * order.filledQuantity + priceUsd * quantity) / filled;
    this.fillLog.push({
      fillId: ['simfill', this.nextFill++].join('-'), // one flat string (see clientOrderIdFor)
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      quantity,
      priceUsd,
      commissionUsd,
      timestamp: quote.timestamp,
    });
    return updatedOrder(order, {
      status: filled >= order.quantity ? 'filled' : 'partially_filled',
      filledQuantity: filled,
      filledAvgPriceUsd: avg,
      commissionUsd: (order.commissionUsd ?? 0) + commissionUsd,
      updatedAt: quote.timestamp,
    });
  }

  private setOrder(order: Order): void {
    this.orders.set(order.clientOrderId, order);
    this.track(order);
  }

  /** Fills the remaining shares of every open order at the current quotes (partial-fill mode, market re-open). */
  fillOpenOrders(): void {
    for (const id of [...this.openIds]) {
      const order = this.orders.get(id);
      if (order) this.setOrder(this.execute(order, order.quantity - order.filledQuantity));
    }
  }

  async getOrderByClientId(clientOrderId: string): Promise<Order | undefined> {
    return this.orders.get(clientOrderId);
  }

  async listOpenOrders(): Promise<Order[]> {
    const out: Order[] = [];
    for (const id of this.openIds) {
      const order = this.orders.get(id);
      if (order) out.push(order);
    }
    return out;
  }

  async cancelOrder(orderId: string): Promise<void> {
    const venue = /^sim-([1-9]\d*)$/.exec(orderId);
    const clientId = venue === null ? undefined : this.clientIdByVenueNumber[Number(venue[1])];
    const order = clientId === undefined ? undefined : this.orders.get(clientId);
    if (!order)
      throw new NotFoundError(`unknown order ${orderId}`, { context: { orderId, venue: 'sim' } });
    if (order.status === 'new' || order.status === 'partially_filled') {
      this.setOrder({
        ...order,
        status: 'canceled',
        updatedAt: new Date(this.opts.clock.now()).toISOString(),
      });
    }
  }

  async listFills(since?: string): Promise<Fill[]> {
    return since === undefined
      ? [...this.fillLog]
      : this.fillLog.filter((f) => f.timestamp >= since);
  }

  /** Every client order id the venue has received, in order (duplicates are never stored). */
  clientOrderIds(): string[] {
    return [...this.orders.keys()];
  }
}

// Orders are built field by field: an object spread followed by overriding fields takes V8's
// generic slow path, which was most of the cost of a simulated order (a backtest sends one per
// symbol and day). Fields beyond the Order type are not carried over.

function newOrder(request: OrderRequest, id: string, nowIso: string): Order {
  const order = {
    clientOrderId: request.clientOrderId,
    symbol: request.symbol,
    side: request.side,
    quantity: request.quantity,
    type: request.type,
    timeInForce: request.timeInForce,
    id,
    status: 'new' as const,
    filledQuantity: 0,
    commissionUsd: 0,
    submittedAt: nowIso,
    updatedAt: nowIso,
  };
  return request.limitPriceUsd === undefined
    ? order
    : { ...order, limitPriceUsd: request.limitPriceUsd };
}

interface FillUpdate {
  readonly status: Order['status'];
  readonly filledQuantity: number;
  readonly filledAvgPriceUsd: number;
  readonly commissionUsd: number;
  readonly updatedAt: string;
}

/** `{ ...order, ...update }`. */
function updatedOrder(order: Order, update: FillUpdate): Order {
  if (order.limitPriceUsd !== undefined || order.reason !== undefined)
    return { ...order, ...update };
  return {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    type: order.type,
    timeInForce: order.timeInForce,
    id: order.id,
    status: update.status,
    filledQuantity: update.filledQuantity,
    commissionUsd: update.commissionUsd,
    submittedAt: order.submittedAt,
    updatedAt: update.updatedAt,
    filledAvgPriceUsd: update.filledAvgPriceUsd,
  };
}
