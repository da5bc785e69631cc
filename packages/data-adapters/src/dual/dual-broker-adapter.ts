import {
  assertOrderRequest,
  type Account,
  type Bar,
  type BarsRequest,
  type Broker,
  type Fill,
  type MarketClock,
  type MarketData,
  type Order,
  type OrderRequest,
  type Position,
  type Timeframe,
} from '@quantpipe/core';

/** The two halves of a {@link DualBrokerAdapter}. */
export interface DualBrokerParts {
  /** Where bars come from (spec 2.1: Alpaca). */
  readonly marketData: MarketData;
  /** Where orders go and the account lives (spec 2.1: IBKR). */
  readonly broker: Broker;
}

/**
 * Spec 2.1's dual setup: market data from one source, execution on another venue — typically
 * `AlpacaMarketData` for bars and `IbkrBroker` for orders. It is generic over the core ports, so
 * any `MarketData` and `Broker` combine. Data calls go to `marketData`, everything else
 * (account, positions, clock, orders, fills) to `broker`; errors pass through unchanged.
 */
export class DualBrokerAdapter implements MarketData, Broker {
  readonly venue = 'dual';
  readonly marketData: MarketData;
  readonly broker: Broker;

  constructor(parts: DualBrokerParts) {
    this.marketData = parts.marketData;
    this.broker = parts.broker;
  }

  getBars(request: BarsRequest): Promise<Bar[]> {
    return this.marketData.getBars(request);
  }

  /** The data source's batch when it has one, else its `getBars` one request after another. */
  async getBarsBatch(requests: readonly BarsRequest[]): Promise<Bar[][]> {
    if (this.marketData.getBarsBatch) return this.marketData.getBarsBatch(requests);
    const out: Bar[][] = [];
    for (const request of requests) out.push(await this.marketData.getBars(request));
    return out;
  }

  getLatestBar(symbol: string, timeframe?: Timeframe): Promise<Bar> {
    return this.marketData.getLatestBar(symbol, timeframe);
  }

  getAccount(): Promise<Account> {
    return this.broker.getAccount();
  }

  getPositions(): Promise<Position[]> {
    return this.broker.getPositions();
  }

  getClock(): Promise<MarketClock> {
    return this.broker.getClock();
  }

  /** Checked with the broker-port guard here too, whatever the execution half checks. */
  async submitOrder(request: OrderRequest): Promise<Order> {
    assertOrderRequest(request);
    return this.broker.submitOrder(request);
  }

  getOrderByClientId(clientOrderId: string): Promise<Order | undefined> {
    return this.broker.getOrderByClientId(clientOrderId);
  }

  listOpenOrders(): Promise<Order[]> {
    return this.broker.listOpenOrders();
  }

  cancelOrder(orderId: string): Promise<void> {
    return this.broker.cancelOrder(orderId);
  }

  listFills(since?: string): Promise<Fill[]> {
    return this.broker.listFills(since);
  }
}
