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
import { estimateSlippageBps } from '@quantpipe/risk';

/** What the simulated venue knows about a symbol when an order arrives. */
export interface SimQuote {
  /** Reference price of the fill before slippage (live: the latest price; backtest: next open). */
  readonly priceUsd: number;
  /** ISO-8601 UTC instant of the fill. */
  readonly timestamp: string;
  /** Average daily volume in shares (slippage model input). */
  readonly advShares: number;
  /** Annualised volatility as a fraction (slippage model input). */
  readonly volatility: number;
}

/** How {@link SimBroker} prices slippage. */
export type SimSlippage =
  /** The spec's square-root impact model (6.3), from the quote's ADV and volatility. */
  | { readonly kind: 'model' }
  /** A fixed number of basis points on every fill. */
  | { readonly kind: 'fixed'; readonly bps: number }
  | { readonly kind: 'none' };

/** Options of {@link SimBroker}. */
export interface SimBrokerOptions {
  readonly initialCashUsd: number;
  /** Reference price (and slippage inputs) for a symbol right now. */
  readonly quote: (symbol: string) => SimQuote;
  /** Clock for order timestamps when no quote timestamp applies. */
  readonly clock: Clock;
  /** Default: the spec's model. */
  readonly slippage?: SimSlippage;
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

interface Holding {
  readonly symbol: string;
  quantity: number;
  avgEntryPriceUsd: number;
  /** The symbol's mark (see `marks`), kept here too for the per-order equity sum. */
  markUsd: number | undefined;
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
  private cashUsd: number;
  private readonly holdings = new Map<string, Holding>();
  /** The holdings in the map's order (the order equity is summed in). */
  private readonly holdingList: Holding[] = [];
  private readonly marks = new Map<string, number>();
  private readonly orders = new Map<string, Order>();
  /** Client order id by venue order number (`sim-<n>` is element n). */
  private readonly clientIdByVenueNumber: string[] = [];
  /** Client ids of orders that can still fill. */
  private readonly openIds = new Set<string>();
  private readonly fillLog: Fill[] = [];
  private nextOrder = 1;
  private nextFill = 1;
  private feesTotalUsd = 0;
  private slippageTotalUsd = 0;
  private adjustmentsTotalUsd = 0;
  private session: string | undefined;
  private sessionStartEquityUsd: number;
  /**
   * Position snapshots by symbol, rebuilt only when the symbol's holding or mark changes (the
   * engine asks for positions before every order; most symbols are unchanged between asks).
   * Snapshots are never mutated, so handing the same object out twice is safe.
   */
  private readonly positionCache = new Map<string, Position>();
  /** Held symbols in sorted order; undefined when the set of holdings changed. */
  private sortedSymbols: string[] | undefined;
  /**
   * Equity and gross exposure as of the last change of cash, holdings or marks (the engine
   * reads the account right before each order, and the order's check needs the same sums).
   * `valid` is cleared by every change.
   */
  private readonly totals = { valid: false, equityUsd: 0, grossUsd: 0 };
  /** `new Date(ms).toISOString()` of the last clock reading (many calls share an instant). */
  private isoCache: { ms: number; iso: string } = { ms: Number.NaN, iso: '' };
  private readonly opts: Required<Omit<SimBrokerOptions, 'isMarketOpen'>> & {
    readonly isMarketOpen: (nowMs: number) => boolean;
  };

  constructor(options: SimBrokerOptions) {
    if (!Number.isFinite(options.initialCashUsd) || options.initialCashUsd < 0) {
      throw new ValidationError(
        'initialCashUsd',
        `expected a finite number >= 0, got ${String(options.initialCashUsd)}`,
      );
    }
    const ratio = options.partialFillRatio ?? 1;
    if (!(ratio > 0 && ratio <= 1))
      throw new ValidationError('partialFillRatio', `expected (0, 1], got ${String(ratio)}`);
    const perShare = options.commissionPerShareUsd ?? 0;
    const minimum = options.minCommissionUsd ?? 0;
    if (!(perShare >= 0) || !(minimum >= 0))
      throw new ValidationError('commission', 'commissions must be >= 0');
    const margin = options.marginMultiplier ?? 4;
    if (!(margin >= 1))
      throw new ValidationError('marginMultiplier', `expected >= 1, got ${String(margin)}`);
    const slippage = options.slippage ?? { kind: 'model' };
    if (slippage.kind === 'fixed' && !(slippage.bps >= 0))
      throw new ValidationError('slippage.bps', 'expected >= 0');
    this.opts = {
      initialCashUsd: options.initialCashUsd,
      quote: options.quote,
      clock: options.clock,
      slippage,
      commissionPerShareUsd: perShare,
      minCommissionUsd: minimum,
      allowShort: options.allowShort ?? true,
      marginMultiplier: margin,
      partialFillRatio: ratio,
      isMarketOpen: options.isMarketOpen ?? (() => true),
    };
    this.cashUsd = options.initialCashUsd;
    this.sessionStartEquityUsd = options.initialCashUsd;
  }

  /** Total commissions charged so far (USD). */
  get feesUsd(): number {
    return this.feesTotalUsd;
  }

  /** Total slippage paid so far: Σ |fill price − reference price| × shares (USD). */
  get slippageUsd(): number {
    return this.slippageTotalUsd;
  }

  /** Total cash booked through {@link SimBroker.adjustCash} (e.g. synthetic hedge P&L), USD. */
  get adjustmentsUsd(): number {
    return this.adjustmentsTotalUsd;
  }

  /**
   * Books cash that is not a trade (synthetic hedge P&L and cost, interest). Positive credits
   * the account. Tracked apart so P&L can be reconciled.
   */
  adjustCash(amountUsd: number): void {
    if (!Number.isFinite(amountUsd))
      throw new ValidationError('amountUsd', `expected a finite number, got ${String(amountUsd)}`);
    this.cashUsd += amountUsd;
    this.totals.valid = false;
    this.adjustmentsTotalUsd += amountUsd;
  }

  private isoAt(ms: number): string {
    if (this.isoCache.ms !== ms) this.isoCache = { ms, iso: new Date(ms).toISOString() };
    return this.isoCache.iso;
  }

  /**
   * Equity and gross exposure (Σ |quantity × mark|) in one pass, recomputed only after a
   * change (the same sums, in the same order, as summing afresh).
   */
  private currentTotals(): { readonly equityUsd: number; readonly grossUsd: number } {
    const t = this.totals;
    if (!t.valid) {
      let equityUsd = this.cashUsd;
      let grossUsd = 0;
      for (const h of this.holdingList) {
        const value = h.quantity * (h.markUsd ?? h.avgEntryPriceUsd);
        equityUsd += value;
        grossUsd += Math.abs(value);
      }
      t.equityUsd = equityUsd;
      t.grossUsd = grossUsd;
      t.valid = true;
    }
    return t;
  }

  /** Cash + Σ quantity × mark. */
  equityUsd(): number {
    return this.currentTotals().equityUsd;
  }

  /**
   * Revalues positions at the given prices. A timestamp in a new exchange session makes the
   * equity before revaluation the session's starting equity (for the daily P&L).
   */
  markToMarket(pricesUsd: Readonly<Record<string, number>>, timestamp: string): void {
    const session = sessionDateOf(timestamp);
    if (session !== this.session) {
      if (this.session !== undefined) this.sessionStartEquityUsd = this.equityUsd();
      this.session = session;
    }
    // Caches are cleared first: a bad price below throws after earlier marks were set.
    this.positionCache.clear();
    this.totals.valid = false;
    for (const symbol in pricesUsd) {
      if (!Object.prototype.hasOwnProperty.call(pricesUsd, symbol)) continue;
      const price = pricesUsd[symbol] as number;
      if (!Number.isFinite(price) || price <= 0) {
        throw new ValidationError(
          `pricesUsd.${symbol}`,
          `expected a price > 0, got ${String(price)}`,
        );
      }
      this.marks.set(symbol, price);
      const h = this.holdings.get(symbol);
      if (h !== undefined) h.markUsd = price;
    }
  }

  async getAccount(): Promise<Account> {
    const { equityUsd, grossUsd } = this.currentTotals();
    return {
      accountId: 'sim',
      cashUsd: this.cashUsd,
      equityUsd,
      lastEquityUsd: this.sessionStartEquityUsd,
      buyingPowerUsd: Math.max(0, equityUsd * this.opts.marginMultiplier - grossUsd),
      portfolioValueUsd: equityUsd,
      grossExposureUsd: grossUsd,
      dailyPnlUsd: equityUsd - this.sessionStartEquityUsd,
      timestamp: this.isoAt(this.opts.clock.now()),
    };
  }

  async getPositions(): Promise<Position[]> {
    if (this.sortedSymbols === undefined) {
      this.sortedSymbols = [...this.holdings.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    const out = new Array<Position>(this.sortedSymbols.length);
    for (let i = 0; i < out.length; i++) out[i] = this.positionOf(this.sortedSymbols[i] as string);
    return out;
  }

  private positionOf(symbol: string): Position {
    const hit = this.positionCache.get(symbol);
    if (hit) return hit;
    const h = this.holdings.get(symbol) as Holding;
    const price = this.marks.get(symbol) ?? h.avgEntryPriceUsd;
    const position: Position = {
      symbol,
      quantity: h.quantity,
      avgEntryPriceUsd: h.avgEntryPriceUsd,
      currentPriceUsd: price,
      marketValueUsd: h.quantity * price,
      unrealizedPnlUsd: (price - h.avgEntryPriceUsd) * h.quantity,
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
    const reason = this.rejectionReason(request);
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

  private rejectionReason(r: OrderRequest): string | undefined {
    const held = this.holdings.get(r.symbol)?.quantity ?? 0;
    const after = held + (r.side === 'buy' ? r.quantity : -r.quantity);
    if (!this.opts.allowShort && after < 0) return 'short selling is not allowed';
    const increasesExposure = Math.abs(after) > Math.abs(held);
    if (!increasesExposure) return undefined;
    const quote = this.opts.quote(r.symbol);
    const addedShares =
      Math.abs(after) - (Math.sign(after) === Math.sign(held) ? Math.abs(held) : 0);
    const addedUsd = addedShares * quote.priceUsd;
    const { equityUsd, grossUsd } = this.currentTotals();
    const buyingPowerUsd = equityUsd * this.opts.marginMultiplier - grossUsd;
    if (addedUsd > buyingPowerUsd + 1e-9) {
      return `insufficient buying power: need ${addedUsd.toFixed(2)}, have ${Math.max(0, buyingPowerUsd).toFixed(2)}`;
    }
    return undefined;
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

  private slippageBps(quantity: number, quote: SimQuote): number {
    const s = this.opts.slippage;
    if (s.kind === 'none') return 0;
    if (s.kind === 'fixed') return s.bps;
    return estimateSlippageBps({
      shares: quantity,
      adv: quote.advShares,
      volatility: quote.volatility,
    });
  }

  /** Fills `quantity` shares of `order` now: books cash and holdings, logs the fill, returns the updated order (not stored). */
  private execute(order: Order, quantity: number): Order {
    const quote = this.opts.quote(order.symbol);
    if (!Number.isFinite(quote.priceUsd) || quote.priceUsd <= 0) {
      throw new ValidationError(
        `quote(${order.symbol}).priceUsd`,
        `expected a price > 0, got ${String(quote.priceUsd)}`,
      );
    }
    const bps = this.slippageBps(quantity, quote);
    const sign = order.side === 'buy' ? 1 : -1;
    const priceUsd = quote.priceUsd * (1 + (sign * bps) / 10_000);
    const commissionUsd =
      this.opts.commissionPerShareUsd === 0 && this.opts.minCommissionUsd === 0
        ? 0
        : Math.max(this.opts.minCommissionUsd, this.opts.commissionPerShareUsd * quantity);
    // Cash and holdings.
    this.cashUsd -= sign * quantity * priceUsd + commissionUsd;
    this.feesTotalUsd += commissionUsd;
    this.slippageTotalUsd += Math.abs(priceUsd - quote.priceUsd) * quantity;
    this.applyToHolding(order.symbol, sign * quantity, priceUsd);
    this.marks.set(order.symbol, quote.priceUsd);
    const held = this.holdings.get(order.symbol);
    if (held !== undefined) held.markUsd = quote.priceUsd;
    this.positionCache.delete(order.symbol);
    this.totals.valid = false;
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

  private applyToHolding(symbol: string, signedQty: number, priceUsd: number): void {
    let h = this.holdings.get(symbol);
    if (h === undefined) {
      h = { symbol, quantity: 0, avgEntryPriceUsd: 0, markUsd: this.marks.get(symbol) };
      this.holdings.set(symbol, h);
      this.holdingList.push(h);
    }
    const after = h.quantity + signedQty;
    if (after === 0) {
      this.holdings.delete(symbol);
      this.holdingList.splice(this.holdingList.indexOf(h), 1);
      this.sortedSymbols = undefined;
      return;
    }
    if (h.quantity === 0) this.sortedSymbols = undefined;
    let avg = h.avgEntryPriceUsd;
    if (h.quantity === 0 || Math.sign(after) !== Math.sign(h.quantity)) avg = priceUsd;
    else if (Math.abs(after) > Math.abs(h.quantity))
      avg =
        (h.avgEntryPriceUsd * Math.abs(h.quantity) + priceUsd * Math.abs(signedQty)) /
        Math.abs(after);
    // Holdings are private and never handed out: updated in place.
    h.quantity = after;
    h.avgEntryPriceUsd = avg;
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
