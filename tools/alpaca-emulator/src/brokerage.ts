import { randomUUID } from 'node:crypto';
import { ApiError, iso, money } from './api-error';
import type { BarBook } from './bar-book';
import { marketClockAt, nyDateOf, nyLocalToMs } from './market-hours';

/** When submitted market orders fill. */
export type FillMode =
  /** At once, at the latest bar's close (plus slippage), whatever the clock says. */
  | 'immediate'
  /** At once while the market is open; otherwise queued until a request sees it open. */
  | 'market_hours'
  /** Only when `POST /__emulator/fill` is called (to test open orders and cancels). */
  | 'manual';

/** An order as the emulator stores it. */
export interface StoredOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly type: 'market' | 'limit';
  readonly timeInForce: string;
  readonly limitPrice: number | null;
  status: 'new' | 'filled' | 'canceled';
  filledQty: number;
  filledAvgPrice: number | null;
  readonly createdAtMs: number;
  updatedAtMs: number;
  filledAtMs: number | null;
  canceledAtMs: number | null;
}

/** A position: signed quantity, average entry price. */
export interface StoredPosition {
  readonly symbol: string;
  qty: number;
  avgEntryPrice: number;
}

/** One execution. */
export interface StoredFill {
  readonly id: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly timeMs: number;
}

/** Everything the account is (what the state file holds). */
export interface BrokerageState {
  accountId: string;
  cash: number;
  positions: Record<string, StoredPosition>;
  orders: StoredOrder[];
  fills: StoredFill[];
  fillSeq: number;
}

/** Account settings. */
export interface BrokerageSettings {
  readonly initialCashUsd: number;
  /** Reg-T style: buying power = multiplier x equity - gross exposure. */
  readonly marginMultiplier: number;
  /** Market orders fill at close x (1 ± slippageBps/10 000), rounded to 0.0001 USD. */
  slippageBps: number;
  fillMode: FillMode;
}

/** A fresh account. */
export function newBrokerageState(initialCashUsd: number): BrokerageState {
  return {
    accountId: randomUUID(),
    cash: initialCashUsd,
    positions: {},
    orders: [],
    fills: [],
    fillSeq: 0,
  };
}

const SYMBOL = /^[A-Z0-9.]{1,12}$/;

function assetId(symbol: string): string {
  // Stable per symbol, formatted like Alpaca's UUIDs.
  const hex = Buffer.from(symbol.padEnd(16, '_')).toString('hex').slice(0, 32).padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The paper account: cash, signed positions (short selling allowed), orders and fills. Market
 * orders fill at the latest bar close as of the emulator's clock, moved against the trader by
 * the slippage. Everything is money-consistent: cash changes by exactly -signed qty x price.
 */
export class Brokerage {
  constructor(
    private readonly book: BarBook,
    readonly settings: BrokerageSettings,
    private readonly now: () => number,
    public state: BrokerageState,
    private readonly onChange: (state: BrokerageState) => void = () => undefined,
  ) {}

  private price(symbol: string): number | undefined {
    return this.book.latest(symbol, this.now())?.bar.close;
  }

  private markPrice(p: StoredPosition): number {
    return this.price(p.symbol) ?? p.avgEntryPrice;
  }

  /** Cash + positions at their latest prices, and gross exposure. */
  private valuation(): { equity: number; longValue: number; shortValue: number } {
    let longValue = 0;
    let shortValue = 0;
    for (const p of Object.values(this.state.positions)) {
      const value = p.qty * this.markPrice(p);
      if (value >= 0) longValue += value;
      else shortValue += value;
    }
    return { equity: this.state.cash + longValue + shortValue, longValue, shortValue };
  }

  private buyingPower(): number {
    const v = this.valuation();
    return Math.max(0, this.settings.marginMultiplier * v.equity - (v.longValue - v.shortValue));
  }

  /** `GET /v2/account`. `last_equity` values today's positions at the previous session's close. */
  account(): Record<string, unknown> {
    const v = this.valuation();
    const nowMs = this.now();
    const todayMidnight = nyLocalToMs(nyDateOf(nowMs), 0);
    let lastEquity = this.state.cash;
    for (const p of Object.values(this.state.positions)) {
      lastEquity += p.qty * (this.book.previousClose(p.symbol, todayMidnight) ?? this.markPrice(p));
    }
    const gross = v.longValue - v.shortValue;
    const bp = this.buyingPower();
    return {
      id: this.state.accountId,
      account_number: `PA${this.state.accountId.replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      status: 'ACTIVE',
      crypto_status: 'INACTIVE',
      currency: 'USD',
      cash: money(this.state.cash),
      portfolio_value: money(v.equity),
      equity: money(v.equity),
      last_equity: money(lastEquity),
      long_market_value: money(v.longValue),
      short_market_value: money(v.shortValue),
      buying_power: money(bp),
      regt_buying_power: money(bp),
      daytrading_buying_power: '0',
      non_marginable_buying_power: money(Math.max(0, this.state.cash)),
      initial_margin: money(gross / this.settings.marginMultiplier),
      maintenance_margin: money(gross * 0.3),
      multiplier: String(this.settings.marginMultiplier),
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      shorting_enabled: true,
      trade_suspended_by_user: false,
      created_at: '2020-01-01T00:00:00Z',
      daytrade_count: 0,
      sma: '0',
    };
  }

  private positionJson(p: StoredPosition): Record<string, unknown> {
    const price = this.markPrice(p);
    const marketValue = p.qty * price;
    const costBasis = p.qty * p.avgEntryPrice;
    const pl = marketValue - costBasis;
    return {
      asset_id: assetId(p.symbol),
      symbol: p.symbol,
      exchange: 'NASDAQ',
      asset_class: 'us_equity',
      asset_marginable: true,
      avg_entry_price: money(p.avgEntryPrice),
      qty: money(p.qty),
      qty_available: money(p.qty),
      side: p.qty >= 0 ? 'long' : 'short',
      market_value: money(marketValue),
      cost_basis: money(costBasis),
      unrealized_pl: money(pl),
      unrealized_plpc: money(costBasis === 0 ? 0 : pl / Math.abs(costBasis)),
      unrealized_intraday_pl: money(pl),
      unrealized_intraday_plpc: money(costBasis === 0 ? 0 : pl / Math.abs(costBasis)),
      current_price: money(price),
      lastday_price: money(price),
      change_today: '0',
    };
  }

  /** `GET /v2/positions`, by symbol. */
  positions(): Record<string, unknown>[] {
    return Object.values(this.state.positions)
      .sort((a, b) => (a.symbol < b.symbol ? -1 : 1))
      .map((p) => this.positionJson(p));
  }

  /** `GET /v2/positions/{symbol}`. */
  position(symbol: string): Record<string, unknown> {
    const p = this.state.positions[symbol.toUpperCase()];
    if (!p) throw new ApiError(404, 40410000, 'position does not exist');
    return this.positionJson(p);
  }

  /** Alpaca's order JSON. */
  orderJson(o: StoredOrder): Record<string, unknown> {
    return {
      id: o.id,
      client_order_id: o.clientOrderId,
      created_at: iso(o.createdAtMs),
      updated_at: iso(o.updatedAtMs),
      submitted_at: iso(o.createdAtMs),
      filled_at: o.filledAtMs === null ? null : iso(o.filledAtMs),
      expired_at: null,
      canceled_at: o.canceledAtMs === null ? null : iso(o.canceledAtMs),
      failed_at: null,
      replaced_at: null,
      replaced_by: null,
      replaces: null,
      asset_id: assetId(o.symbol),
      symbol: o.symbol,
      asset_class: 'us_equity',
      notional: null,
      qty: money(o.qty),
      filled_qty: money(o.filledQty),
      filled_avg_price: o.filledAvgPrice === null ? null : money(o.filledAvgPrice),
      order_class: '',
      order_type: o.type,
      type: o.type,
      side: o.side,
      time_in_force: o.timeInForce,
      limit_price: o.limitPrice === null ? null : money(o.limitPrice),
      stop_price: null,
      status: o.status,
      extended_hours: false,
      legs: null,
      trail_percent: null,
      trail_price: null,
      hwm: null,
    };
  }

  private changed(): void {
    this.onChange(this.state);
  }

  /** `POST /v2/orders`. */
  submit(body: unknown): StoredOrder {
    if (typeof body !== 'object' || body === null)
      throw new ApiError(422, 40010001, 'request body must be a JSON object');
    const b = body as Record<string, unknown>;
    const symbol = typeof b['symbol'] === 'string' ? b['symbol'].toUpperCase() : '';
    if (!SYMBOL.test(symbol)) throw new ApiError(422, 40010001, 'symbol is required');
    if (!this.book.hasSymbol(symbol))
      throw new ApiError(422, 40010001, `asset "${symbol}" not found`);
    const qty = Number(b['qty']);
    if (b['notional'] !== undefined && b['notional'] !== null)
      throw new ApiError(422, 40010001, 'notional orders are not supported by the emulator');
    if (!Number.isFinite(qty) || qty <= 0 || !Number.isInteger(qty))
      throw new ApiError(422, 40010001, 'qty must be a positive integer');
    const side = b['side'];
    if (side !== 'buy' && side !== 'sell')
      throw new ApiError(422, 40010001, 'side must be buy or sell');
    const type = b['type'] ?? 'market';
    if (type !== 'market' && type !== 'limit')
      throw new ApiError(
        422,
        40010001,
        `order type ${String(type)} is not supported by the emulator`,
      );
    const tif = String(b['time_in_force'] ?? '');
    if (!['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'].includes(tif))
      throw new ApiError(422, 40010001, 'invalid time_in_force');
    let limitPrice: number | null = null;
    if (type === 'limit') {
      limitPrice = Number(b['limit_price']);
      if (!Number.isFinite(limitPrice) || limitPrice <= 0)
        throw new ApiError(422, 40010001, 'limit_price is required for limit orders');
    }
    const clientOrderId =
      b['client_order_id'] === undefined || b['client_order_id'] === null
        ? randomUUID()
        : String(b['client_order_id']);
    if (clientOrderId.length === 0 || clientOrderId.length > 128)
      throw new ApiError(422, 40010001, 'client_order_id must be 1 to 128 characters');
    if (this.state.orders.some((o) => o.clientOrderId === clientOrderId)) {
      throw new ApiError(422, 40010001, 'client_order_id must be unique');
    }
    const price = this.price(symbol);
    if (price === undefined)
      throw new ApiError(422, 40010001, `no market data for ${symbol} before the emulator's clock`);

    const held = this.state.positions[symbol]?.qty ?? 0;
    const signed = side === 'buy' ? qty : -qty;
    if (held !== 0 && Math.sign(held + signed) === -Math.sign(held)) {
      // Alpaca does not flip a position in one order: close first, then open the other side.
      throw new ApiError(
        403,
        40310000,
        `insufficient qty available for order (requested: ${qty}, available: ${Math.abs(held)})`,
      );
    }
    const opening = Math.sign(signed) === Math.sign(held) || held === 0 ? qty : 0;
    const costUsd = opening * price * (1 + this.settings.slippageBps / 10_000);
    if (costUsd > this.buyingPower() + 1e-9)
      throw new ApiError(403, 40310000, 'insufficient buying power');

    const nowMs = this.now();
    const order: StoredOrder = {
      id: randomUUID(),
      clientOrderId,
      symbol,
      side,
      qty,
      type,
      timeInForce: tif,
      limitPrice,
      status: 'new',
      filledQty: 0,
      filledAvgPrice: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      filledAtMs: null,
      canceledAtMs: null,
    };
    this.state.orders.push(order);
    this.processOpenOrders(
      this.settings.fillMode === 'immediate' ||
        (this.settings.fillMode === 'market_hours' && marketClockAt(nowMs).isOpen),
    );
    this.changed();
    return order;
  }

  /**
   * Fills open orders that can fill now: every one when `fill` is true (limit orders only when
   * their price is reached). Called on submission, on every request (market_hours mode) and by
   * the control endpoint.
   */
  processOpenOrders(fill: boolean): void {
    if (!fill) return;
    let any = false;
    for (const order of this.state.orders) {
      if (order.status !== 'new') continue;
      const close = this.price(order.symbol);
      if (close === undefined) continue;
      const slip = this.settings.slippageBps / 10_000;
      // Fill prices are whole 1/100 cents, so cash moves by exactly qty x the reported price.
      const price =
        Math.round((order.side === 'buy' ? close * (1 + slip) : close * (1 - slip)) * 1e4) / 1e4;
      if (
        order.limitPrice !== null &&
        (order.side === 'buy' ? price > order.limitPrice : price < order.limitPrice)
      )
        continue;
      this.fill(order, price);
      any = true;
    }
    if (any) this.changed();
  }

  private fill(order: StoredOrder, price: number): void {
    const nowMs = this.now();
    const signed = order.side === 'buy' ? order.qty : -order.qty;
    const existing = this.state.positions[order.symbol];
    const held = existing?.qty ?? 0;
    const next = held + signed;
    if (next === 0) {
      delete this.state.positions[order.symbol];
    } else if (existing === undefined || held === 0) {
      this.state.positions[order.symbol] = {
        symbol: order.symbol,
        qty: next,
        avgEntryPrice: price,
      };
    } else if (Math.sign(next) === Math.sign(held) && Math.abs(next) > Math.abs(held)) {
      existing.avgEntryPrice = (held * existing.avgEntryPrice + signed * price) / next;
      existing.qty = next;
    } else if (Math.sign(next) === Math.sign(held)) {
      existing.qty = next; // reducing keeps the average entry
    } else {
      this.state.positions[order.symbol] = {
        symbol: order.symbol,
        qty: next,
        avgEntryPrice: price,
      };
    }
    this.state.cash -= signed * price;
    order.status = 'filled';
    order.filledQty = order.qty;
    order.filledAvgPrice = price;
    order.filledAtMs = nowMs;
    order.updatedAtMs = nowMs;
    this.state.fillSeq += 1;
    this.state.fills.push({
      id: `${new Date(nowMs)
        .toISOString()
        .replace(/[-:.TZ]/g, '')
        .slice(0, 17)}::${String(this.state.fillSeq).padStart(8, '0')}`,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      qty: order.qty,
      price,
      timeMs: nowMs,
    });
  }

  /** `GET /v2/orders`: status open|closed|all (default open), newest first unless direction=asc. */
  listOrders(params: URLSearchParams): StoredOrder[] {
    const status = params.get('status') ?? 'open';
    if (!['open', 'closed', 'all'].includes(status))
      throw new ApiError(422, 40010001, 'invalid status');
    const limit = Number(params.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new ApiError(422, 40010001, 'invalid limit');
    const after = params.get('after');
    const until = params.get('until');
    const symbols = params
      .get('symbols')
      ?.split(',')
      .map((s) => s.trim().toUpperCase());
    const asc = params.get('direction') === 'asc';
    const selected = this.state.orders.filter(
      (o) =>
        (status === 'all' || (status === 'open') === (o.status === 'new')) &&
        (after === null || o.createdAtMs > Date.parse(after)) &&
        (until === null || o.createdAtMs < Date.parse(until)) &&
        (symbols === undefined || symbols.includes(o.symbol)),
    );
    const sorted = selected
      .map((o, i) => ({ o, i }))
      .sort((a, b) => a.o.createdAtMs - b.o.createdAtMs || a.i - b.i)
      .map((x) => x.o);
    if (!asc) sorted.reverse();
    return sorted.slice(0, limit);
  }

  orderById(id: string): StoredOrder {
    const o = this.state.orders.find((x) => x.id === id);
    if (!o) throw new ApiError(404, 40410000, 'order not found');
    return o;
  }

  orderByClientId(clientOrderId: string | null): StoredOrder {
    if (!clientOrderId) throw new ApiError(422, 40010001, 'client_order_id is required');
    const o = this.state.orders.find((x) => x.clientOrderId === clientOrderId);
    if (!o) throw new ApiError(404, 40410000, 'order not found');
    return o;
  }

  /** `DELETE /v2/orders/{id}`. */
  cancel(id: string): void {
    const o = this.orderById(id);
    if (o.status !== 'new')
      throw new ApiError(422, 42210000, `order is already in "${o.status}" state`);
    const nowMs = this.now();
    o.status = 'canceled';
    o.canceledAtMs = nowMs;
    o.updatedAtMs = nowMs;
    this.changed();
  }

  /**
   * `GET /v2/account/activities/FILL`: fills, newest first unless direction=asc; `after`/`until`
   * filter on the transaction time; `page_token` is the id of the last activity of the previous
   * page; `page_size` default 100, at most 100.
   */
  fillActivities(params: URLSearchParams): Record<string, unknown>[] {
    const asc = params.get('direction') === 'asc';
    const pageSize = Number(params.get('page_size') ?? 100);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      throw new ApiError(422, 40010001, 'invalid page_size');
    const after = params.get('after');
    const until = params.get('until');
    let list = this.state.fills.filter(
      (f) =>
        (after === null || f.timeMs > Date.parse(after)) &&
        (until === null || f.timeMs < Date.parse(until)),
    );
    if (!asc) list = [...list].reverse();
    const token = params.get('page_token');
    if (token !== null) {
      const at = list.findIndex((f) => f.id === token);
      if (at < 0) throw new ApiError(422, 40010001, 'invalid page_token');
      list = list.slice(at + 1);
    }
    return list.slice(0, pageSize).map((f) => ({
      id: f.id,
      activity_type: 'FILL',
      transaction_time: iso(f.timeMs),
      type: 'fill',
      price: money(f.price),
      qty: money(f.qty),
      side: f.side,
      symbol: f.symbol,
      leaves_qty: '0',
      order_id: f.orderId,
      cum_qty: money(f.qty),
      order_status: 'filled',
    }));
  }
}
