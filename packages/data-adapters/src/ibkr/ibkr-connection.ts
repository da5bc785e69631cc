import {
  BrokerError,
  RateLimiter,
  retry,
  silentLogger,
  type Logger,
  type QuantpipeError,
  type RetryOptions,
} from '@quantpipe/core';
import {
  EventName,
  IBApi,
  type CommissionReport,
  type Contract,
  type Execution,
  type ExecutionFilter,
  type Order as IbOrder,
  type OrderState,
} from '@stoqey/ib';
import type { HistoricalChunk } from './historical-plan';
import {
  CONNECTION_ERROR_CODES,
  connectionLost,
  ibkrError,
  isInformationalCode,
} from './ibkr-errors';
import type {
  OrderEvent,
  RawExecution,
  RawHistoricalBar,
  RawOpenOrder,
  RawPosition,
} from './ibkr-raw-records';
import * as ibkrRequests from './ibkr-requests';
import type { IbkrRequestScope, RequestSetup } from './ibkr-requests';

/** How to reach TWS / IB Gateway (or the emulator). */
export interface IbkrConnectionOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 7497 (paper TWS). */
  readonly port?: number;
  /** API client id; unique per connection to one TWS. Default 1. */
  readonly clientId?: number;
  /** Time allowed for the handshake. Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time allowed for one request's answer. Default 30 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Reconnect/retry policy for calls (core `retry`). Default 4 attempts from 500 ms. */
  readonly retry?: RetryOptions;
  /**
   * At most this many calls per second (TWS disconnects clients sending more than 50
   * messages a second). Default 40.
   */
  readonly maxCallsPerSecond?: number;
  readonly logger?: Logger;
}

interface Pending {
  readonly what: string;
  readonly fail: (error: QuantpipeError) => void;
  /** Handles a request-scoped error; returns true when it settled the request. */
  readonly onError?: (code: number, message: string) => boolean;
}

/**
 * One API connection to TWS through the real `@stoqey/ib` client, with reconnects: every call
 * goes through core `retry`, and a dropped connection fails the calls in flight with a
 * retryable `BrokerError('connection')`, after which the next attempt connects again. Each
 * connection uses a fresh `IBApi` so no state of a dead socket leaks into the next one.
 */
export class IbkrConnection {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retryOptions: RetryOptions;
  private readonly logger: Logger;
  private readonly callLimiter: RateLimiter;
  private api: IBApi | undefined;
  private ready = false;
  private connecting: Promise<IBApi> | undefined;
  private nextOrderId = 0;
  private nextReqId = 1;
  private accountId = '';
  private readonly pending = new Map<number, Pending>();
  private readonly orderListeners = new Set<(event: OrderEvent) => void>();
  /** Commission reports by execution id (they may arrive apart from the execution). */
  private readonly commissions = new Map<string, CommissionReport>();
  /** Requests without a request id (positions, open orders, account updates) run one at a time. */
  private exclusive: Promise<unknown> = Promise.resolve();
  /** What the requests (ibkr-requests.ts) use of this connection. */
  private readonly requestScope: IbkrRequestScope = {
    account: () => this.accountId,
    nextReqId: () => this.reqIdFor(),
    track: (what, reqId, start, setup) => this.track(what, reqId, start, setup),
    serial: (fn) => this.serial(fn),
    isCurrent: (api) => this.api === api && this.ready,
    commissionFor: (execId) => this.commissions.get(execId),
  };

  constructor(options: IbkrConnectionOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 7497;
    this.clientId = options.clientId ?? 1;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.retryOptions = { maxAttempts: 4, baseDelayMs: 500, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.callLimiter = new RateLimiter({
      maxCalls: options.maxCallsPerSecond ?? 40,
      windowMs: 1000,
    });
  }

  /** Whether the API handshake is complete and the socket is up. */
  get isConnected(): boolean {
    return this.ready;
  }

  /** The managed account reported at connect. */
  get account(): string {
    return this.accountId;
  }

  /** Subscribes to order events; returns the unsubscribe function. */
  onOrderEvent(listener: (event: OrderEvent) => void): () => void {
    this.orderListeners.add(listener);
    return () => this.orderListeners.delete(listener);
  }

  /**
   * Runs `fn` with a connected client, reconnecting and retrying per the retry policy; every
   * attempt takes a slot of the call rate limiter first.
   */
  call<T>(fn: (api: IBApi) => Promise<T>, options: RetryOptions = {}): Promise<T> {
    return retry(
      async () => {
        await this.callLimiter.acquire();
        return fn(await this.ensureConnected());
      },
      {
        ...this.retryOptions,
        ...options,
        onRetry: (info) => {
          this.logger.warn(
            { err: String(info.error), attempt: info.attempt, delayMs: info.delayMs },
            'ibkr: retrying',
          );
          options.onRetry?.(info);
        },
      },
    );
  }

  /** Connects (once; concurrent callers share the attempt). */
  ensureConnected(): Promise<IBApi> {
    if (this.ready && this.api) return Promise.resolve(this.api);
    if (!this.connecting) {
      this.connecting = this.connectOnce().finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  /** Closes the connection (calls in flight fail with a connection error). */
  close(): void {
    const api = this.api;
    this.teardown('close');
    api?.disconnect();
  }

  /** Takes the next order id (TWS requires increasing ids per client). */
  takeOrderId(): number {
    return this.nextOrderId++;
  }

  private connectOnce(): Promise<IBApi> {
    this.teardown('reconnect');
    const api = new IBApi({ host: this.host, port: this.port, clientId: this.clientId });
    this.api = api;
    return new Promise<IBApi>((resolve, reject) => {
      let settled = false;
      const settle = (error?: QuantpipeError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          if (this.api === api) this.api = undefined;
          api.removeAllListeners();
          api.disconnect();
          reject(error);
        } else {
          resolve(api);
        }
      };
      const timer = setTimeout(
        () =>
          settle(
            new BrokerError(
              'timeout',
              `ibkr: no handshake from ${this.host}:${this.port} within ${this.connectTimeoutMs} ms`,
              { venue: 'ibkr' },
            ),
          ),
        this.connectTimeoutMs,
      );
      api.on(EventName.managedAccounts, (accounts: string) => {
        this.accountId = accounts.split(',')[0]?.trim() ?? '';
      });
      api.on(EventName.nextValidId, (orderId: number) => {
        this.nextOrderId = Math.max(this.nextOrderId, orderId);
        if (!this.ready && this.api === api) {
          this.ready = true;
          this.logger.info(
            { host: this.host, port: this.port, clientId: this.clientId },
            'ibkr: connected',
          );
          settle();
        }
      });
      api.on(EventName.disconnected, () => {
        if (this.api !== api) return;
        if (!settled)
          settle(
            new BrokerError(
              'connection',
              `ibkr: connection to ${this.host}:${this.port} closed during the handshake`,
              { venue: 'ibkr' },
            ),
          );
        this.teardown('disconnected');
      });
      api.on(EventName.info, (message: string, code: number) => {
        if (CONNECTION_ERROR_CODES.has(code)) {
          const error = ibkrError(code, message);
          if (!settled) settle(error);
          else this.failAll(error);
        }
      });
      api.on(EventName.error, (err: Error, code: number, reqId: number) => {
        if (this.api !== api) return;
        this.onApiError(err.message, code, reqId, (e) => settle(e), settled);
      });
      this.attachDataHandlers(api);
      api.connect(this.clientId);
    });
  }

  private onApiError(
    message: string,
    code: number,
    reqId: number,
    failHandshake: (e: QuantpipeError) => void,
    handshakeDone: boolean,
  ): void {
    if (CONNECTION_ERROR_CODES.has(code) && (reqId === undefined || reqId < 0)) {
      const error = ibkrError(code, message);
      if (!handshakeDone) failHandshake(error);
      else {
        this.failAll(error);
        this.teardown('connection error');
      }
      return;
    }
    const pending = reqId !== undefined && reqId >= 0 ? this.pending.get(reqId) : undefined;
    if (pending) {
      if (pending.onError?.(code, message)) return;
      if (isInformationalCode(code)) return;
      this.pending.delete(reqId);
      pending.fail(ibkrError(code, message, { reqId }));
      return;
    }
    if (reqId !== undefined && reqId >= 0) {
      this.emitOrder({ kind: 'error', orderId: reqId, code, message });
      return;
    }
    this.logger.debug({ code, message }, 'ibkr: notice');
  }

  private emitOrder(event: OrderEvent): void {
    for (const listener of this.orderListeners) listener(event);
  }

  private attachDataHandlers(api: IBApi): void {
    api.on(
      EventName.orderStatus,
      (
        orderId: number,
        status: string,
        filled: number,
        remaining: number,
        avgFillPrice: number,
      ) => {
        this.emitOrder({
          kind: 'status',
          orderId,
          status,
          filled: filled ?? 0,
          remaining: remaining ?? 0,
          avgFillPrice: avgFillPrice ?? 0,
        });
      },
    );
    api.on(
      EventName.openOrder,
      (orderId: number, contract: Contract, order: IbOrder, state: OrderState) => {
        this.emitOrder({ kind: 'open', open: { orderId, contract, order, state } });
      },
    );
    api.on(EventName.execDetails, (_reqId: number, contract: Contract, execution: Execution) => {
      this.emitOrder({ kind: 'execution', execution: { contract, execution } });
    });
    api.on(EventName.commissionReport, (report: CommissionReport) => {
      if (report.execId) this.commissions.set(report.execId, report);
      this.emitOrder({ kind: 'commission', report });
    });
  }

  /** Marks the connection down and fails everything in flight. */
  private teardown(reason: string): void {
    const wasReady = this.ready;
    this.ready = false;
    const api = this.api;
    this.api = undefined;
    if (api) {
      api.removeAllListeners();
      if (reason !== 'close') api.disconnect();
    }
    this.failAll(connectionLost(reason));
    if (wasReady) {
      this.logger.warn({ reason }, 'ibkr: disconnected');
      this.emitOrder({ kind: 'disconnected' });
    }
  }

  private failAll(error: QuantpipeError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.fail(error);
  }

  /**
   * Registers a request under `reqId`, starts it, and settles it through `collect`, with a
   * timeout. The collector gets `done(value)` and `fail(error)`.
   */
  private track<T>(
    what: string,
    reqId: number,
    start: () => void,
    setup: RequestSetup<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (): void => {
        settled = true;
        clearTimeout(timer);
        this.pending.delete(reqId);
        handlers.cleanup();
      };
      const done = (value: T): void => {
        if (settled) return;
        finish();
        resolve(value);
      };
      const fail = (error: QuantpipeError): void => {
        if (settled) return;
        finish();
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new BrokerError(
              'timeout',
              `ibkr: no answer to ${what} within ${this.requestTimeoutMs} ms`,
              { venue: 'ibkr' },
            ),
          ),
        this.requestTimeoutMs,
      );
      const handlers = setup(done, fail);
      this.pending.set(reqId, {
        what,
        fail,
        ...(handlers.onError ? { onError: handlers.onError } : {}),
      });
      start();
    });
  }

  /** Runs one request without request id at a time (their end markers carry no id). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private reqIdFor(): number {
    // Request ids live in their own range, far from order ids (errors share one id space).
    return 1_000_000_000 + this.nextReqId++;
  }

  /** One HISTORICAL_DATA request; a "no data" answer is an empty list. */
  historicalBars(
    api: IBApi,
    symbol: string,
    chunk: HistoricalChunk,
    formatDate: 1 | 2,
  ): Promise<RawHistoricalBar[]> {
    return ibkrRequests.historicalBars(this.requestScope, api, symbol, chunk, formatDate);
  }

  /** ACCOUNT_SUMMARY rows for the given tags, by tag (first managed account). */
  accountSummary(
    api: IBApi,
    tags: readonly string[],
  ): Promise<Map<string, { value: string; currency: string; account: string }>> {
    return ibkrRequests.accountSummary(this.requestScope, api, tags);
  }

  /** POSITION rows plus marks from the account-updates stream (PORTFOLIO_VALUE). */
  positions(api: IBApi): Promise<RawPosition[]> {
    return ibkrRequests.positions(this.requestScope, api);
  }

  /** All open orders of the account (any client), with their last status. */
  openOrders(api: IBApi): Promise<RawOpenOrder[]> {
    return ibkrRequests.openOrders(this.requestScope, api);
  }

  /** Executions matching the filter, each with its commission report when TWS sent one. */
  executions(api: IBApi, filter: ExecutionFilter = {}): Promise<RawExecution[]> {
    return ibkrRequests.executions(this.requestScope, api, filter);
  }

  /** A commission report seen on this connection, by execution id. */
  commissionFor(execId: string): CommissionReport | undefined {
    return this.commissions.get(execId);
  }
}
