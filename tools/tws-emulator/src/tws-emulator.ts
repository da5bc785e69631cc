import { createServer, type Server, type Socket } from 'node:net';
import type { Bar } from '@quantpipe/core';
import type { SyntheticMarketOptions } from '@quantpipe/data-adapters';
import { AccountBook, conIdOf, type BookOrder } from './account-book';
import { csvBarStore, hasSymbol, latestClose, syntheticBarStore, type BarStore } from './bar-store';
import { startControlServer, type ControlServer } from './control-server';
import {
  checkDurationRules,
  dailyWindow,
  parseBarSize,
  parseDuration,
  parseEndDateTime,
  windowStartMs,
} from './historical-request';
import { newYorkParts } from '@quantpipe/core';
import { formatTwsTime } from './ny-time';
import { PacingGuard, type PacingOptions } from './pacing-guard';
import {
  commissionReportMessage,
  errorMessage,
  executionMessage,
  historicalDataMessage,
  IN,
  openOrderMessage,
  orderStatusMessage,
  OUT,
  portfolioValueMessage,
  positionMessage,
  SERVER_VERSION,
  type HistoricalRow,
} from './protocol';
import { encodeMessage, WireReader, type WireField } from './wire';

/** How the emulator misbehaves on an incoming order. */
export type OrderFaultMode =
  /** Close the connection on receipt; the order is never booked (the venue never saw it). */
  | 'order-lost'
  /** Accept the order, close the connection, then book the fill while the client is away. */
  | 'before-fill'
  /** Accept and fill the order, then close the connection before reporting anything. */
  | 'after-fill';

/** Faults to inject. Counts are decremented as faults fire. */
export interface TwsEmulatorFaults {
  /** Misbehave on the next `count` placeOrder messages. */
  readonly orderDrop?: { readonly mode: OrderFaultMode; readonly count: number } | undefined;
  /** Close the connection instead of answering the next `count` historical-data requests. */
  readonly historicalDrop?: { readonly count: number } | undefined;
}

/** Options of {@link startTwsEmulator}. */
export interface TwsEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. The emulator listens on 127.0.0.1 only. */
  readonly port?: number;
  /** A folder of `<SYMBOL>_1d.csv` / `<SYMBOL>_1h.csv` files; default: the synthetic market. */
  readonly dataDir?: string;
  /** Options of the synthetic market (used when `dataDir` is not given). */
  readonly synthetic?: SyntheticMarketOptions;
  /** Or bars given directly (tests). */
  readonly bars?: BarStore;
  /** Account id reported in MANAGED_ACCTS. Default `DU1234567`. */
  readonly accountId?: string;
  /** Starting cash. Default 1 000 000. */
  readonly cashUsd?: number;
  /** Buying power = net liquidation × leverage − gross position value. Default 1 (cash). */
  readonly leverage?: number;
  /** Historical-data pacing rules; defaults are the real limits (15 s, 60 per 10 min). */
  readonly pacing?: PacingOptions;
  /** `immediate` (default): market orders fill on receipt; `manual`: they wait for /fill. */
  readonly fillMode?: 'immediate' | 'manual';
  /** Faults armed at start. */
  readonly faults?: TwsEmulatorFaults;
  /** Starts the HTTP control channel on 127.0.0.1 at this port (0 = any) when given. */
  readonly controlPort?: number;
  /** Wall clock (ms). Default Date.now. */
  readonly now?: () => number;
  /** Receives one line per notable event (connections, faults). Default: silent. */
  readonly log?: (line: string) => void;
}

/** A running emulator. */
export interface RunningTwsEmulator {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Port of the HTTP control channel, when started. */
  readonly controlPort: number | undefined;
  /** Replaces the armed faults. */
  setFaults(faults: TwsEmulatorFaults): void;
  /** Closes every client connection (the account state stays). */
  disconnectAll(): void;
  /** Fills every open order at the latest close; returns how many filled. */
  fillOpenOrders(): number;
  /** The account state as JSON-friendly data. */
  state(): EmulatorState;
  /** Stops listening and closes all connections. */
  close(): Promise<void>;
}

/** The account state the control channel reports. */
export interface EmulatorState {
  readonly accountId: string;
  readonly cashUsd: number;
  readonly positions: { symbol: string; quantity: number; avgCost: number }[];
  readonly orders: {
    orderId: number;
    orderRef: string;
    symbol: string;
    action: string;
    quantity: number;
    status: string;
    filled: number;
    avgFillPrice: number;
  }[];
  readonly executions: number;
  readonly clients: number[];
}

const OPEN_STATUSES = new Set(['PendingSubmit', 'PreSubmitted', 'Submitted']);

class Session {
  clientId: number | undefined;
  started = false;
  readonly reader = new WireReader();
  constructor(readonly socket: Socket) {}

  send(fields: WireField[]): void {
    if (!this.socket.destroyed) this.socket.write(encodeMessage(fields));
  }
}

class Emulator {
  readonly sessions = new Set<Session>();
  readonly book: AccountBook;
  readonly pacing: PacingGuard;
  readonly now: () => number;
  faults: TwsEmulatorFaults;
  private readonly log: (line: string) => void;

  constructor(
    readonly bars: BarStore,
    private readonly options: TwsEmulatorOptions,
  ) {
    this.book = new AccountBook({
      accountId: options.accountId ?? 'DU1234567',
      cashUsd: options.cashUsd ?? 1_000_000,
      leverage: options.leverage ?? 1,
    });
    this.pacing = new PacingGuard(options.pacing);
    this.now = options.now ?? Date.now;
    this.faults = options.faults ?? {};
    this.log = options.log ?? (() => undefined);
  }

  priceOf = (symbol: string): number => latestClose(this.bars, symbol) ?? 0;

  attach(socket: Socket): void {
    const session = new Session(socket);
    this.sessions.add(session);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const event of session.reader.push(chunk)) {
        if (socket.destroyed) return;
        if (event.kind === 'invalid') {
          this.log(`closing connection: ${event.reason}`);
          socket.destroy();
          return;
        }
        if (event.kind === 'hello') {
          if (event.minVersion > SERVER_VERSION || event.maxVersion < SERVER_VERSION) {
            socket.destroy();
            return;
          }
          const t = newYorkParts(this.now());
          session.send([SERVER_VERSION, `${t.compactDate} ${t.time} US/Eastern`]);
          continue;
        }
        try {
          this.dispatch(session, event.fields);
        } catch (error) {
          this.log(`error handling message ${event.fields[0]}: ${String(error)}`);
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sessions.delete(session);
      this.log(`client ${session.clientId ?? '?'} disconnected`);
    });
  }

  private dispatch(s: Session, f: string[]): void {
    const id = Number(f[0]);
    if (id === OUT.START_API) {
      const clientId = Number(f[2]);
      for (const other of this.sessions) {
        if (other !== s && other.started && other.clientId === clientId) {
          s.send(
            errorMessage(
              -1,
              326,
              'Unable to connect as the client id is already in use. Retry with a unique client id.',
            ),
          );
          s.socket.end();
          return;
        }
      }
      s.clientId = clientId;
      s.started = true;
      this.log(`client ${clientId} connected`);
      s.send([IN.MANAGED_ACCTS, 1, this.book.accountId]);
      s.send([IN.NEXT_VALID_ID, 1, this.book.nextOrderId()]);
      return;
    }
    if (!s.started) return;
    switch (id) {
      case OUT.REQ_IDS:
        s.send([IN.NEXT_VALID_ID, 1, this.book.nextOrderId()]);
        return;
      case OUT.REQ_CURRENT_TIME:
        s.send([IN.CURRENT_TIME, 1, Math.floor(this.now() / 1000)]);
        return;
      case OUT.REQ_MANAGED_ACCTS:
        s.send([IN.MANAGED_ACCTS, 1, this.book.accountId]);
        return;
      case OUT.REQ_HISTORICAL_DATA:
        this.historical(s, f);
        return;
      case OUT.REQ_ACCOUNT_SUMMARY:
        this.accountSummary(s, Number(f[2]), f[4] ?? '');
        return;
      case OUT.REQ_POSITIONS:
        this.positions(s);
        return;
      case OUT.REQ_ACCOUNT_DATA:
        if (f[2] === '1') this.accountUpdates(s);
        return;
      case OUT.PLACE_ORDER:
        this.placeOrder(s, f);
        return;
      case OUT.CANCEL_ORDER:
        this.cancelOrder(s, Number(f[2]));
        return;
      case OUT.REQ_OPEN_ORDERS:
        this.openOrders(s, false);
        return;
      case OUT.REQ_ALL_OPEN_ORDERS:
        this.openOrders(s, true);
        return;
      case OUT.REQ_EXECUTIONS:
        this.executions(s, f);
        return;
      default:
        // Cancels of subscriptions and unsupported requests need no answer here.
        return;
    }
  }

  /** REQ_HISTORICAL_DATA at server version 100 (field positions: see the client's encoder). */
  private historical(s: Session, f: string[]): void {
    const reqId = Number(f[2]);
    const symbol = f[4] ?? '';
    const secType = f[5] ?? '';
    const endText = f[16] ?? '';
    const barSizeText = f[17] ?? '';
    const durationText = f[18] ?? '';
    const useRth = f[19] ?? '';
    const whatToShow = f[20] ?? '';
    const formatDate = Number(f[21] ?? '1');
    if (this.faults.historicalDrop && this.faults.historicalDrop.count > 0) {
      const count = this.faults.historicalDrop.count - 1;
      this.faults = { ...this.faults, historicalDrop: count > 0 ? { count } : undefined };
      this.log(`fault: dropping connection on historical request ${reqId}`);
      s.socket.destroy();
      return;
    }
    if (secType !== 'STK' || !hasSymbol(this.bars, symbol)) {
      s.send(errorMessage(reqId, 200, 'No security definition has been found for the request'));
      return;
    }
    const barSize = parseBarSize(barSizeText);
    if (!barSize) {
      s.send(
        errorMessage(
          reqId,
          321,
          `Error validating request.-'bX' : cause - Invalid bar size: ${barSizeText}`,
        ),
      );
      return;
    }
    const duration = parseDuration(durationText);
    if (!duration) {
      s.send(
        errorMessage(
          reqId,
          321,
          `Error validating request.-'bX' : cause - Invalid duration: ${durationText}`,
        ),
      );
      return;
    }
    const rule = checkDurationRules(duration, barSize);
    if (rule) {
      s.send(errorMessage(reqId, rule.code, rule.message));
      return;
    }
    const nowMs = this.now();
    const endMs = parseEndDateTime(endText, nowMs);
    if (endMs === undefined) {
      s.send(
        errorMessage(
          reqId,
          321,
          `Error validating request.-'bX' : cause - Invalid end date/time: ${endText}`,
        ),
      );
      return;
    }
    const key = [symbol, endText, durationText, barSizeText, whatToShow, useRth].join('|');
    const violation = this.pacing.admit(key, nowMs);
    if (violation) {
      this.log(`pacing violation on request ${reqId}`);
      s.send(errorMessage(reqId, 162, violation));
      return;
    }
    const rows: HistoricalRow[] = [];
    let startMs: number;
    if (barSize === 'day') {
      const { after, last } = dailyWindow(endMs, duration);
      startMs = Date.parse(`${after}T00:00:00Z`);
      for (const b of this.bars.daily.get(symbol) ?? []) {
        if (b.timestamp > after && b.timestamp <= last)
          rows.push(row(b, b.timestamp.replaceAll('-', '')));
      }
    } else {
      startMs = windowStartMs(endMs, duration);
      for (const b of this.bars.hourly.get(symbol) ?? []) {
        const t = Date.parse(b.timestamp);
        if (t >= startMs && t < endMs) {
          rows.push(row(b, formatDate === 2 ? String(t / 1000) : formatTwsTime(t)));
        }
      }
    }
    if (rows.length === 0) {
      s.send(
        errorMessage(
          reqId,
          162,
          `Historical Market Data Service error message:HMDS query returned no data: ${symbol}@SMART Trades`,
        ),
      );
      return;
    }
    s.send(historicalDataMessage(reqId, formatTwsTime(startMs), formatTwsTime(endMs), rows));
  }

  private summaryValues(): Record<string, number | string> {
    const v = this.book.values(this.priceOf);
    return {
      AccountType: 'INDIVIDUAL',
      NetLiquidation: v.netLiquidationUsd,
      TotalCashValue: this.book.cashUsd,
      SettledCash: this.book.cashUsd,
      AccruedCash: 0,
      BuyingPower: v.buyingPowerUsd,
      EquityWithLoanValue: v.netLiquidationUsd,
      PreviousDayEquityWithLoanValue: v.previousEquityUsd,
      GrossPositionValue: v.grossPositionValueUsd,
      AvailableFunds: v.buyingPowerUsd / this.book.leverage,
      ExcessLiquidity: v.buyingPowerUsd / this.book.leverage,
    };
  }

  private accountSummary(s: Session, reqId: number, tagsText: string): void {
    const values = this.summaryValues();
    const tags = tagsText.split(',').map((t) => t.trim());
    const all = tags.includes('$LEDGER') || tags.includes('$LEDGER:ALL');
    for (const [tag, value] of Object.entries(values)) {
      if (!all && !tags.includes(tag)) continue;
      s.send([
        IN.ACCOUNT_SUMMARY,
        1,
        reqId,
        this.book.accountId,
        tag,
        value,
        typeof value === 'number' ? 'USD' : '',
      ]);
    }
    s.send([IN.ACCOUNT_SUMMARY_END, 1, reqId]);
  }

  private positions(s: Session): void {
    for (const p of this.book.positions.values()) {
      s.send(positionMessage(this.book.accountId, p.contract, p.quantity, p.avgCost));
    }
    s.send([IN.POSITION_END, 1]);
  }

  private accountUpdates(s: Session): void {
    const account = this.book.accountId;
    for (const [key, value] of Object.entries(this.summaryValues())) {
      s.send([IN.ACCT_VALUE, 2, key, value, typeof value === 'number' ? 'USD' : '', account]);
    }
    for (const p of this.book.positions.values()) {
      s.send(
        portfolioValueMessage(
          account,
          p.contract,
          p.quantity,
          this.priceOf(p.contract.symbol),
          p.avgCost,
        ),
      );
    }
    s.send([IN.ACCT_UPDATE_TIME, 1, newYorkParts(this.now()).time.slice(0, 5)]);
    s.send([IN.ACCT_DOWNLOAD_END, 1, account]);
  }

  /** Sends order messages to the connection of the client that owns the order, if any. */
  private toOwner(order: BookOrder, messages: WireField[][]): void {
    for (const s of this.sessions) {
      if (s.started && s.clientId === order.clientId) for (const m of messages) s.send(m);
    }
  }

  /** PLACE_ORDER at server version 100 (message version 45). */
  private placeOrder(s: Session, f: string[]): void {
    const orderId = Number(f[2]);
    const symbol = f[4] ?? '';
    const secType = f[5] ?? '';
    const action = f[17] ?? '';
    const quantity = Number(f[18]);
    const orderType = (f[19] ?? '').toUpperCase();
    const lmtPrice = f[20] === undefined || f[20] === '' ? undefined : Number(f[20]);
    const tif = f[22] || 'DAY';
    const orderRef = f[27] ?? '';
    if (this.book.orders.has(orderId)) {
      s.send(errorMessage(orderId, 103, 'Duplicate order id'));
      return;
    }
    const fault =
      this.faults.orderDrop && this.faults.orderDrop.count > 0 ? this.faults.orderDrop : undefined;
    if (fault) {
      const count = fault.count - 1;
      this.faults = {
        ...this.faults,
        orderDrop: count > 0 ? { mode: fault.mode, count } : undefined,
      };
      this.log(`fault ${fault.mode} on order ${orderId}`);
    }
    if (fault?.mode === 'order-lost') {
      s.socket.destroy();
      return;
    }
    this.book.useOrderId(orderId);
    if (secType !== 'STK' || !hasSymbol(this.bars, symbol)) {
      s.send(errorMessage(orderId, 200, 'No security definition has been found for the request'));
      return;
    }
    const order: BookOrder = {
      orderId,
      clientId: s.clientId ?? 0,
      permId: this.book.newPermId(),
      contract: { conId: conIdOf(symbol), symbol },
      action: action === 'SELL' ? 'SELL' : 'BUY',
      totalQuantity: quantity,
      orderType,
      lmtPrice,
      tif,
      account: this.book.accountId,
      orderRef,
      status: 'Submitted',
      filled: 0,
      avgFillPrice: 0,
      lastFillPrice: 0,
    };
    const reject = (reason: string): void => {
      order.status = 'Inactive';
      this.book.orders.set(orderId, order);
      s.send(errorMessage(orderId, 201, `Order rejected - reason:${reason}`));
    };
    if (action !== 'BUY' && action !== 'SELL') return reject(`invalid action ${action}`);
    if (!Number.isInteger(quantity) || quantity <= 0) return reject(`invalid quantity ${f[18]}`);
    if (orderType !== 'MKT' && orderType !== 'LMT')
      return reject(`unsupported order type ${orderType}`);
    if (orderType === 'LMT' && !(lmtPrice !== undefined && lmtPrice > 0))
      return reject('limit price missing');
    const price = this.priceOf(symbol);
    const reason = this.book.rejectionReason(
      order,
      orderType === 'LMT' ? (lmtPrice as number) : price,
      this.priceOf,
    );
    if (reason) return reject(reason);
    this.book.orders.set(orderId, order);

    if (fault?.mode === 'before-fill') {
      s.socket.destroy();
      if (this.fillable(order)) this.book.fill(order, price, this.now());
      return;
    }
    if (fault?.mode === 'after-fill') {
      if (this.fillable(order)) this.book.fill(order, price, this.now());
      s.socket.destroy();
      return;
    }
    const view = this.book.view(order);
    this.toOwner(order, [orderStatusMessage(view), openOrderMessage(view)]);
    if (this.fillable(order)) this.fillAndReport(order);
  }

  private fillable(order: BookOrder): boolean {
    if (!OPEN_STATUSES.has(order.status)) return false;
    if (this.options.fillMode === 'manual') return false;
    if (order.orderType === 'MKT') return true;
    const price = this.priceOf(order.contract.symbol);
    const limit = order.lmtPrice ?? 0;
    return order.action === 'BUY' ? price <= limit : price >= limit;
  }

  private fillAndReport(order: BookOrder): void {
    const execution = this.book.fill(order, this.priceOf(order.contract.symbol), this.now());
    const view = this.book.view(order);
    this.toOwner(order, [
      executionMessage(-1, execution),
      orderStatusMessage(view),
      openOrderMessage(view),
      commissionReportMessage(execution),
    ]);
  }

  fillOpenOrders(): number {
    let n = 0;
    for (const order of this.book.orders.values()) {
      if (OPEN_STATUSES.has(order.status)) {
        this.fillAndReport(order);
        n++;
      }
    }
    return n;
  }

  private cancelOrder(s: Session, orderId: number): void {
    const order = this.book.orders.get(orderId);
    if (!order) {
      s.send(
        errorMessage(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`),
      );
      return;
    }
    if (!OPEN_STATUSES.has(order.status)) {
      s.send(
        errorMessage(
          orderId,
          161,
          `Cancel attempted when order is not in a cancellable state. Order permId =${order.permId}`,
        ),
      );
      return;
    }
    order.status = 'Cancelled';
    const view = this.book.view(order);
    this.toOwner(order, [
      orderStatusMessage(view),
      errorMessage(orderId, 202, 'Order Canceled - reason:'),
    ]);
    if (s.clientId !== order.clientId) s.send(orderStatusMessage(view));
  }

  private openOrders(s: Session, all: boolean): void {
    for (const order of this.book.orders.values()) {
      if (!OPEN_STATUSES.has(order.status)) continue;
      if (!all && order.clientId !== s.clientId) continue;
      const view = this.book.view(order);
      s.send(openOrderMessage(view));
      s.send(orderStatusMessage(view));
    }
    s.send([IN.OPEN_ORDER_END, 1]);
  }

  /** REQ_EXECUTIONS: [7, 3, reqId, clientId, acctCode, time, symbol, secType, exchange, side]. */
  private executions(s: Session, f: string[]): void {
    const reqId = Number(f[2]);
    const clientId = Number(f[3] || '0');
    const sinceMs = f[5] ? parseEndDateTime(f[5], this.now()) : undefined;
    const symbol = f[6] ?? '';
    const side = (f[9] ?? '').toUpperCase();
    for (const e of this.book.executions) {
      if (clientId !== 0 && e.clientId !== clientId) continue;
      if (sinceMs !== undefined && e.timeMs < sinceMs) continue;
      if (symbol !== '' && e.contract.symbol !== symbol) continue;
      if ((side === 'BUY' && e.side !== 'BOT') || (side === 'SELL' && e.side !== 'SLD')) continue;
      s.send(executionMessage(reqId, e));
      s.send(commissionReportMessage(e));
    }
    s.send([IN.EXECUTION_DATA_END, 1, reqId]);
  }

  disconnectAll(): void {
    for (const s of this.sessions) s.socket.destroy();
  }

  state(): EmulatorState {
    return {
      accountId: this.book.accountId,
      cashUsd: this.book.cashUsd,
      positions: [...this.book.positions.values()].map((p) => ({
        symbol: p.contract.symbol,
        quantity: p.quantity,
        avgCost: p.avgCost,
      })),
      orders: [...this.book.orders.values()].map((o) => ({
        orderId: o.orderId,
        orderRef: o.orderRef,
        symbol: o.contract.symbol,
        action: o.action,
        quantity: o.totalQuantity,
        status: o.status,
        filled: o.filled,
        avgFillPrice: o.avgFillPrice,
      })),
      executions: this.book.executions.length,
      clients: [...this.sessions].filter((s) => s.started).map((s) => s.clientId ?? 0),
    };
  }
}

function row(b: Bar, date: string): HistoricalRow {
  return { date, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
}

/**
 * Starts a TWS API emulator on 127.0.0.1: the handshake, historical bars with the service's
 * duration and pacing rules, account summary, positions, orders with fills, executions and
 * commission reports, plus injectable faults. The account lives as long as the process.
 */
export async function startTwsEmulator(
  options: TwsEmulatorOptions = {},
): Promise<RunningTwsEmulator> {
  const bars =
    options.bars ??
    (options.dataDir ? csvBarStore(options.dataDir) : syntheticBarStore(options.synthetic));
  const emulator = new Emulator(bars, options);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    emulator.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const running: RunningTwsEmulator = {
    host: '127.0.0.1',
    port,
    controlPort: undefined,
    setFaults: (faults) => {
      emulator.faults = faults;
    },
    disconnectAll: () => emulator.disconnectAll(),
    fillOpenOrders: () => emulator.fillOpenOrders(),
    state: () => emulator.state(),
    close: async () => {
      await control?.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  let control: ControlServer | undefined;
  if (options.controlPort !== undefined) {
    control = await startControlServer(options.controlPort, running);
    return { ...running, controlPort: control.port };
  }
  return running;
}
