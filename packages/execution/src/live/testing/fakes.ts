import {
  NotFoundError,
  type Account,
  type Bar,
  type BarsRequest,
  type Broker,
  type Clock,
  type Fill,
  type JournalEntry,
  type JournalEntryInput,
  type JsonValue,
  type Logger,
  type MarketClock,
  type MarketData,
  type Order,
  type OrderRequest,
  type Position,
} from '@quantpipe/core';
import { MemoryJournal } from '../../memory-journal';

/**
 * Small in-process fakes of the `Broker`, `Journal`, `Clock` and `Logger` ports for the live
 * parts' specs: every call is written to one shared `events` list, so a spec can check the
 * order in which journal writes and broker calls happened.
 */

/** A clock that moves only when slept on (or set), recording each sleep. */
export class StepClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.ms += ms;
  }
}

/** A logger that keeps what was logged (`info` can be switched off as pino's level would). */
export class ListLogger implements Logger {
  readonly lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  constructor(private readonly infoEnabled = true) {}
  private add(level: string, a: object | string, b?: string): void {
    const obj = typeof a === 'object' ? (a as Record<string, unknown>) : {};
    const msg = typeof a === 'string' ? a : (b ?? '');
    this.lines.push({ level, msg, obj });
  }
  debug(a: object | string, b?: string): void {
    this.add('debug', a, b);
  }
  info(a: object | string, b?: string): void {
    this.add('info', a, b);
  }
  warn(a: object | string, b?: string): void {
    this.add('warn', a, b);
  }
  error(a: object | string, b?: string): void {
    this.add('error', a, b);
  }
  isLevelEnabled(level: 'debug' | 'info' | 'warn' | 'error'): boolean {
    return level !== 'info' && level !== 'debug' ? true : this.infoEnabled;
  }
  /** Messages logged at `level`. */
  messages(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.msg);
  }
}

/** A {@link MemoryJournal} that also writes each append and state save to `events`. */
export class RecordingJournal extends MemoryJournal {
  readonly saves: { key: string; value: JsonValue; json: string | undefined }[] = [];
  constructor(readonly events: string[] = []) {
    super();
  }
  override append(entry: JournalEntryInput): Promise<JournalEntry> {
    this.events.push(
      entry.clientOrderId === undefined
        ? `journal ${entry.kind}`
        : `journal ${entry.kind} ${entry.clientOrderId}`,
    );
    return super.append(entry);
  }
  override async saveState(
    runId: string,
    key: string,
    value: JsonValue,
    json?: string,
  ): Promise<void> {
    this.events.push(`state ${key}`);
    this.saves.push({ key, value, json });
    await super.saveState(runId, key, value, json);
  }
}

/** An order in a given state (market, day, submitted at a fixed instant). */
export function orderOf(
  request: Pick<OrderRequest, 'clientOrderId' | 'symbol' | 'side' | 'quantity'> & Partial<Order>,
): Order {
  return {
    type: 'market',
    timeInForce: 'day',
    id: `v-${request.clientOrderId}`,
    status: 'new',
    filledQuantity: 0,
    submittedAt: '2024-03-01T15:00:00.000Z',
    updatedAt: '2024-03-01T15:00:00.000Z',
    ...request,
  };
}

/** A position of `quantity` shares marked at `priceUsd`. */
export function positionOf(symbol: string, quantity: number, priceUsd: number): Position {
  return {
    symbol,
    quantity,
    avgEntryPriceUsd: priceUsd,
    currentPriceUsd: priceUsd,
    marketValueUsd: quantity * priceUsd,
    unrealizedPnlUsd: 0,
  };
}

/**
 * A scriptable broker: orders by client id, positions and account as set by the spec, errors
 * queued per method (`failNext`), and what a submission turns into (`onSubmit`, default: filled
 * at once at 10 USD). `lookups` scripts the successive states `getOrderByClientId` returns for
 * an order (the last one repeats).
 */
export class FakeBroker implements Broker {
  readonly venue = 'fake';
  readonly orders = new Map<string, Order>();
  readonly lookups = new Map<string, Order[]>();
  readonly canceled: string[] = [];
  readonly submitted: OrderRequest[] = [];
  positions: Position[] = [];
  account: Account = {
    cashUsd: 100_000,
    equityUsd: 100_000,
    buyingPowerUsd: 400_000,
    portfolioValueUsd: 100_000,
    grossExposureUsd: 0,
  };
  clock: MarketClock = {
    timestamp: '2024-03-01T15:00:00.000Z',
    isOpen: true,
    nextOpen: '2024-03-02T14:30:00.000Z',
    nextClose: '2024-03-01T21:00:00.000Z',
  };
  private readonly failures = new Map<string, unknown[]>();
  onSubmit: (request: OrderRequest) => Order = (r) =>
    orderOf({ ...r, status: 'filled', filledQuantity: r.quantity, filledAvgPriceUsd: 10 });

  constructor(readonly events: string[] = []) {}

  /** The next calls of `method` throw these errors, in order. */
  failNext(method: keyof Broker, ...errors: unknown[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  private enter(method: string, detail?: string): void {
    this.events.push(detail === undefined ? `broker ${method}` : `broker ${method} ${detail}`);
    const queued = this.failures.get(method);
    if (queued !== undefined && queued.length > 0) throw queued.shift();
  }

  async getAccount(): Promise<Account> {
    this.enter('getAccount');
    return this.account;
  }
  async getPositions(): Promise<Position[]> {
    this.enter('getPositions');
    return this.positions;
  }
  async getClock(): Promise<MarketClock> {
    this.enter('getClock');
    return this.clock;
  }
  async submitOrder(request: OrderRequest): Promise<Order> {
    this.enter('submitOrder', request.clientOrderId);
    const known = this.orders.get(request.clientOrderId);
    if (known) return known;
    this.submitted.push(request);
    const order = this.onSubmit(request);
    this.orders.set(request.clientOrderId, order);
    return order;
  }
  async getOrderByClientId(clientOrderId: string): Promise<Order | undefined> {
    this.enter('getOrderByClientId', clientOrderId);
    const script = this.lookups.get(clientOrderId);
    if (script !== undefined && script.length > 0) {
      const next = script.length > 1 ? (script.shift() as Order) : (script[0] as Order);
      this.orders.set(clientOrderId, next);
      return next;
    }
    return this.orders.get(clientOrderId);
  }
  async listOpenOrders(): Promise<Order[]> {
    this.enter('listOpenOrders');
    return [...this.orders.values()].filter(
      (o) => o.status === 'new' || o.status === 'partially_filled' || o.status === 'pending_new',
    );
  }
  async cancelOrder(orderId: string): Promise<void> {
    this.enter('cancelOrder', orderId);
    this.canceled.push(orderId);
    for (const [id, o] of this.orders)
      if (o.id === orderId) this.orders.set(id, { ...o, status: 'canceled' });
  }
  async listFills(): Promise<Fill[]> {
    this.enter('listFills');
    return [];
  }
}

/** `count` weekday session dates ending at `last` (inclusive), ascending. */
export function weekdaysEndingAt(last: string, count: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${last}T00:00:00Z`); out.length < count; t -= 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.unshift(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Daily bars of `symbol` on `dates` closing at `closes` (open = close, volume fixed). */
export function dailyBars(
  symbol: string,
  dates: readonly string[],
  closes: readonly number[],
  volume = 1_000_000,
): Bar[] {
  return dates.map((timestamp, i) => {
    const close = closes[i] as number;
    return { symbol, timestamp, open: close, high: close, low: close, close, volume };
  });
}

/** A `MarketData` over daily bars held in memory (no hourly bars: those requests fail). */
export class HandMarketData implements MarketData {
  readonly requests: BarsRequest[] = [];
  constructor(readonly daily: Record<string, readonly Bar[]>) {}
  async getBars(request: BarsRequest): Promise<Bar[]> {
    this.requests.push(request);
    if (request.timeframe !== '1Day')
      throw new NotFoundError(`no hourly bars of ${request.symbol}`);
    const bars = this.daily[request.symbol];
    if (bars === undefined) throw new NotFoundError(`unknown symbol ${request.symbol}`);
    const end = request.end ?? '9999';
    return bars.filter((b) => b.timestamp >= request.start && b.timestamp <= end);
  }
  async getLatestBar(symbol: string): Promise<Bar> {
    const bars = this.daily[symbol];
    const last = bars?.[bars.length - 1];
    if (last === undefined) throw new NotFoundError(`unknown symbol ${symbol}`);
    return last;
  }
}
