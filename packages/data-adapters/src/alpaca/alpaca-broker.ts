import {
  assertOrderRequest,
  BrokerError,
  DataError,
  StateError,
  ValidationError,
  type Account,
  type Broker,
  type Fill,
  type MarketClock,
  type Order,
  type OrderRequest,
  type Position,
} from '@quantpipe/core';
import {
  createAlpacaClient,
  type AlpacaConnectionOptions,
  type AlpacaRestClient,
} from './alpaca-client';
import { fillFromAlpaca, orderFromAlpaca } from './alpaca-order';
import { AlpacaCallPolicy } from './call-policy';
import { asArray, asRecord, instant, num, optNum, str } from './wire';

/** Options of {@link AlpacaBroker}. */
export interface AlpacaBrokerOptions extends AlpacaConnectionOptions {
  /** For tests: a client to use instead of creating one. */
  readonly client?: AlpacaRestClient;
}

const ACTIVITY_PAGE = 100;

function isDuplicateClientId(error: unknown): boolean {
  return (
    error instanceof BrokerError &&
    error.kind === 'bad_request' &&
    /client_order_id must be unique/i.test(error.message)
  );
}

/** The broker-port guard, then Alpaca's own symbol alphabet. */
function checkRequest(request: OrderRequest): void {
  assertOrderRequest(request);
  if (!/^[A-Za-z0-9.]{1,12}$/.test(request.symbol)) {
    throw new ValidationError('symbol', `invalid symbol ${JSON.stringify(request.symbol)}`);
  }
}

/**
 * {@link Broker} on Alpaca's trading API (paper trading by default) through the official
 * client. Every call goes through the retry/backoff and rate-limit policy; failures that
 * outlive it are {@link BrokerError}s (`auth`, `permission`, `insufficient_buying_power`,
 * `not_found`, `bad_request`, `rate_limit`, `server`, `connection`, `timeout`).
 *
 * `submitOrder` is idempotent on the client order id: when Alpaca answers that the id is
 * taken (a retry after a lost answer, or a restart), the existing order is fetched and
 * returned; a different order under the same id is a {@link StateError}.
 */
export class AlpacaBroker implements Broker {
  readonly venue = 'alpaca';
  private readonly client: AlpacaRestClient;
  private readonly policy: AlpacaCallPolicy;
  /** order id -> client order id, for fills (Alpaca's activities do not carry it). */
  private readonly clientIds = new Map<string, string>();

  constructor(options: AlpacaBrokerOptions) {
    this.client = options.client ?? createAlpacaClient(options);
    this.policy = new AlpacaCallPolicy(options);
  }

  async getAccount(): Promise<Account> {
    const r = asRecord(
      await this.policy.request('get account', () => this.client.getAccount()),
      'account',
    );
    const what = 'account';
    const equityUsd = num(r, 'equity', what);
    const lastEquityUsd = optNum(r, 'last_equity', what);
    const longUsd = optNum(r, 'long_market_value', what);
    const shortUsd = optNum(r, 'short_market_value', what);
    return {
      accountId: str(r, 'id', what),
      cashUsd: num(r, 'cash', what),
      equityUsd,
      ...(lastEquityUsd !== undefined
        ? { lastEquityUsd, dailyPnlUsd: equityUsd - lastEquityUsd }
        : {}),
      buyingPowerUsd: num(r, 'buying_power', what),
      portfolioValueUsd: optNum(r, 'portfolio_value', what) ?? equityUsd,
      // Alpaca reports short market value as a negative number.
      ...(longUsd !== undefined && shortUsd !== undefined
        ? { grossExposureUsd: Math.abs(longUsd) + Math.abs(shortUsd) }
        : {}),
      timestamp: new Date().toISOString(),
    };
  }

  async getPositions(): Promise<Position[]> {
    const list = asArray(
      await this.policy.request('get positions', () => this.client.getPositions()),
      'positions',
    );
    return list.map((value) => {
      const r = asRecord(value, 'position');
      const what = 'position';
      const qty = num(r, 'qty', what);
      // Alpaca writes short quantities negative; older answers only said side=short.
      const quantity = r['side'] === 'short' && qty > 0 ? -qty : qty;
      const marketValue = num(r, 'market_value', what);
      return {
        symbol: str(r, 'symbol', what),
        quantity,
        avgEntryPriceUsd: num(r, 'avg_entry_price', what),
        currentPriceUsd: num(r, 'current_price', what),
        marketValueUsd: quantity < 0 && marketValue > 0 ? -marketValue : marketValue,
        unrealizedPnlUsd: num(r, 'unrealized_pl', what),
      };
    });
  }

  async getClock(): Promise<MarketClock> {
    const r = asRecord(
      await this.policy.request('get clock', () => this.client.getClock()),
      'clock',
    );
    const what = 'clock';
    if (typeof r['is_open'] !== 'boolean') throw new DataError('alpaca clock has no is_open flag');
    return {
      timestamp: instant(r, 'timestamp', what),
      isOpen: r['is_open'],
      nextOpen: instant(r, 'next_open', what),
      nextClose: instant(r, 'next_close', what),
    };
  }

  private remember(order: Order): Order {
    this.clientIds.set(order.id, order.clientOrderId);
    return order;
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    checkRequest(request);
    const body: Record<string, unknown> = {
      symbol: request.symbol.toUpperCase(),
      qty: String(request.quantity),
      side: request.side,
      type: request.type,
      time_in_force: request.timeInForce,
      client_order_id: request.clientOrderId,
      ...(request.type === 'limit' ? { limit_price: String(request.limitPriceUsd) } : {}),
    };
    try {
      const raw = await this.policy.request(`submit order ${request.clientOrderId}`, () =>
        this.client.createOrder(body),
      );
      return this.remember(orderFromAlpaca(raw));
    } catch (error) {
      if (!isDuplicateClientId(error)) throw error;
      const existing = await this.getOrderByClientId(request.clientOrderId);
      if (!existing) throw error;
      if (
        existing.symbol.toUpperCase() !== body['symbol'] ||
        existing.side !== request.side ||
        existing.quantity !== request.quantity
      ) {
        throw new StateError(
          `client order id ${request.clientOrderId} already belongs to another order (${existing.side} ${existing.quantity} ${existing.symbol})`,
          { context: { clientOrderId: request.clientOrderId, orderId: existing.id } },
        );
      }
      return existing;
    }
  }

  async getOrderByClientId(clientOrderId: string): Promise<Order | undefined> {
    try {
      const raw = await this.policy.request(`get order ${clientOrderId}`, () =>
        this.client.getOrderByClientId(clientOrderId),
      );
      return this.remember(orderFromAlpaca(raw));
    } catch (error) {
      if (error instanceof BrokerError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async listOpenOrders(): Promise<Order[]> {
    const raw = await this.policy.request('list open orders', () =>
      this.client.getOrders({ status: 'open', limit: 500, direction: 'asc' }),
    );
    return asArray(raw, 'orders').map((o) => this.remember(orderFromAlpaca(o)));
  }

  async cancelOrder(orderId: string): Promise<void> {
    if (typeof orderId !== 'string' || orderId === '')
      throw new ValidationError('orderId', 'expected an order id');
    await this.policy.request(`cancel order ${orderId}`, () => this.client.cancelOrder(orderId));
  }

  private async clientIdOf(orderId: string): Promise<string> {
    const known = this.clientIds.get(orderId);
    if (known !== undefined) return known;
    const raw = await this.policy.request(`get order ${orderId}`, () =>
      this.client.getOrder(orderId),
    );
    return this.remember(orderFromAlpaca(raw)).clientOrderId;
  }

  /** Fill activities after `since` (all when omitted), oldest first, following Alpaca's pages. */
  async listFills(since?: string): Promise<Fill[]> {
    if (since !== undefined && Number.isNaN(Date.parse(since))) {
      throw new ValidationError('since', `not an ISO-8601 instant: ${JSON.stringify(since)}`);
    }
    const fills: Fill[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const query = {
        activityTypes: 'FILL',
        direction: 'asc',
        pageSize: ACTIVITY_PAGE,
        ...(since !== undefined ? { after: since } : {}),
        ...(pageToken !== undefined ? { pageToken } : {}),
      };
      const page = asArray(
        await this.policy.request('list fills', () => this.client.getAccountActivities(query)),
        'activities',
      );
      for (const activity of page) {
        const r = asRecord(activity, 'fill activity');
        fills.push(fillFromAlpaca(r, await this.clientIdOf(str(r, 'order_id', 'fill activity'))));
      }
      if (page.length < ACTIVITY_PAGE) break;
      pageToken = str(asRecord(page[page.length - 1], 'fill activity'), 'id', 'fill activity');
    }
    return fills;
  }
}
