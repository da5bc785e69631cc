import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bar } from '@quantpipe/core';
import {
  generateSyntheticMarket,
  readCsvFolder,
  type SyntheticMarketOptions,
} from '@quantpipe/data-adapters';
import { ApiError, iso } from './api-error';
import { BarBook } from './bar-book';
import { barJson, parseSymbols, queryBars } from './bars-endpoint';
import { Brokerage, newBrokerageState, type BrokerageState, type FillMode } from './brokerage';
import { EmulatorClock } from './emulator-clock';
import { FaultPlan, validateFaultRule, type FaultRule } from './faults';
import { marketClockAt, nyDateOf, nyLocalToMs } from './market-hours';

/** Where the emulator's bars come from. */
export type EmulatorBarSource =
  /** `generateSyntheticMarket` with these options (the default, with market symbol SPY). */
  | { readonly kind: 'synthetic'; readonly options?: SyntheticMarketOptions }
  /** A folder of `<SYMBOL>_1d.csv` / `<SYMBOL>_1h.csv` files. */
  | { readonly kind: 'csv'; readonly directory: string }
  /** Bars given directly. */
  | {
      readonly kind: 'bars';
      readonly daily: Readonly<Record<string, readonly Bar[]>>;
      readonly hourly?: Readonly<Record<string, readonly Bar[]>>;
    };

/** Options of {@link startAlpacaEmulator}. Every field has a default. */
export interface AlpacaEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Only loopback is allowed. Default and only value: 127.0.0.1. */
  readonly host?: '127.0.0.1';
  /** Expected `APCA-API-KEY-ID`. Default `emulator-key`. */
  readonly keyId?: string;
  /** Expected `APCA-API-SECRET-KEY`. Default `emulator-secret`. */
  readonly secretKey?: string;
  /** Default: synthetic market, ten years, market symbol SPY. */
  readonly bars?: EmulatorBarSource;
  /**
   * The clock: an ISO instant to freeze it at, or `wall` for the wall clock. Default: frozen at
   * 15:30 New York time of the last session in the data (market open, all history visible).
   */
  readonly clock?: string;
  /** Starting cash. Default 100 000 USD. */
  readonly initialCashUsd?: number;
  /** Buying power = multiplier x equity - gross exposure. Default 2. */
  readonly marginMultiplier?: number;
  /** Fill price = latest close x (1 ± slippageBps / 10 000). Default 5. */
  readonly slippageBps?: number;
  /** When market orders fill. Default `immediate`. */
  readonly fillMode?: FillMode;
  /** Faults armed from the start. */
  readonly faults?: readonly FaultRule[];
  /** Enforce a real limit of this many API requests a minute (429 beyond it). Default: none. */
  readonly rateLimitPerMinute?: number;
  /** JSON file that keeps the account, orders and fills across restarts. */
  readonly stateFile?: string;
}

/** Request counters, for tests and debugging. */
export interface EmulatorStats {
  /** API requests (control endpoints excluded), faulted ones included. */
  readonly requests: number;
  /** Requests by `METHOD /path`. */
  readonly byRoute: Readonly<Record<string, number>>;
}

/** A running emulator. */
export interface AlpacaEmulator {
  /** `http://127.0.0.1:PORT`: use it as both the trading and the data base URL. */
  readonly url: string;
  readonly port: number;
  readonly keyId: string;
  readonly secretKey: string;
  readonly clock: EmulatorClock;
  readonly faults: FaultPlan;
  readonly brokerage: Brokerage;
  stats(): EmulatorStats;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const RATE_LIMIT = 200;

async function loadBook(source: EmulatorBarSource): Promise<BarBook> {
  if (source.kind === 'csv') {
    const bars = await readCsvFolder(source.directory);
    return new BarBook(bars.daily, bars.hourly);
  }
  if (source.kind === 'bars') return new BarBook(source.daily, source.hourly ?? {});
  const market = generateSyntheticMarket({
    marketSymbol: 'SPY',
    // Weekdays, as this emulator's clock (which knows no holidays).
    calendar: 'weekdays',
    ...source.options,
  });
  return new BarBook(market.daily, market.hourly ?? {});
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ApiError(400, 40010000, 'request body format is invalid'));
      }
    });
    req.on('error', reject);
  });
}

function defaultClockMs(book: BarBook): number {
  const last = book.lastBarMs() ?? Date.now();
  // 15:30 New York on the last session of the data: the market is open.
  return nyLocalToMs(nyDateOf(last), 15, 30);
}

function loadState(file: string | undefined, initialCashUsd: number): BrokerageState {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as BrokerageState;
  return newBrokerageState(initialCashUsd);
}

function saveState(file: string, state: BrokerageState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/**
 * Starts an emulator of the Alpaca REST API (trading v2 and market data v2) on 127.0.0.1.
 * Auth headers are checked (unknown key 401, wrong secret 403), money is written as strings,
 * market orders fill from the bar data at the emulator's clock, and faults can be injected
 * through {@link AlpacaEmulator.faults} or `POST /__emulator/faults`.
 */
export async function startAlpacaEmulator(
  options: AlpacaEmulatorOptions = {},
): Promise<AlpacaEmulator> {
  if (options.host !== undefined && options.host !== '127.0.0.1') {
    throw new RangeError('the Alpaca emulator listens on 127.0.0.1 only');
  }
  const keyId = options.keyId ?? 'emulator-key';
  const secretKey = options.secretKey ?? 'emulator-secret';
  const book = await loadBook(options.bars ?? { kind: 'synthetic' });
  const clock = new EmulatorClock();
  if (options.clock === 'wall') clock.useWallClock();
  else if (options.clock !== undefined) clock.set(Date.parse(options.clock));
  else clock.set(defaultClockMs(book));
  const faults = new FaultPlan();
  for (const f of options.faults ?? []) faults.add(validateFaultRule(f));
  const initialCashUsd = options.initialCashUsd ?? 100_000;
  const settings = {
    initialCashUsd,
    marginMultiplier: options.marginMultiplier ?? 2,
    slippageBps: options.slippageBps ?? 5,
    fillMode: options.fillMode ?? 'immediate',
  };
  const stateFile = options.stateFile;
  const brokerage = new Brokerage(
    book,
    settings,
    () => clock.now(),
    loadState(stateFile, initialCashUsd),
    stateFile ? (s) => saveState(stateFile, s) : undefined,
  );
  let requests = 0;
  const byRoute: Record<string, number> = {};
  const window: number[] = [];

  const dropAfterAnswer = new WeakSet<ServerResponse>();

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (dropAfterAnswer.has(res)) {
      res.socket?.destroy();
      return;
    }
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  function rateHeaders(nowMs: number): Record<string, string> {
    while (window.length > 0 && (window[0] as number) <= nowMs - 60_000) window.shift();
    const reset = Math.ceil(((window[0] ?? nowMs) + 60_000) / 1000);
    return {
      'x-ratelimit-limit': String(options.rateLimitPerMinute ?? RATE_LIMIT),
      'x-ratelimit-remaining': String(
        Math.max(0, (options.rateLimitPerMinute ?? RATE_LIMIT) - window.length),
      ),
      'x-ratelimit-reset': String(reset),
    };
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const b = (body ?? {}) as Record<string, unknown>;
    if (path === '/__emulator/faults' && req.method === 'POST') {
      const list = Array.isArray(b['faults']) ? (b['faults'] as unknown[]) : [b];
      const rules = list.map((f) => validateFaultRule(f));
      for (const r of rules) faults.add(r);
      return send(res, 200, { pending: faults.pending() });
    }
    if (path === '/__emulator/faults' && req.method === 'DELETE') {
      faults.clear();
      return send(res, 200, { pending: [] });
    }
    if (path === '/__emulator/faults' && req.method === 'GET')
      return send(res, 200, { pending: faults.pending() });
    if (path === '/__emulator/clock' && (req.method === 'POST' || req.method === 'GET')) {
      if (b['mode'] === 'wall') clock.useWallClock();
      if (typeof b['time'] === 'string') clock.set(Date.parse(b['time']));
      if (typeof b['advanceMs'] === 'number') clock.advance(b['advanceMs']);
      return send(res, 200, { now: iso(clock.now()), mode: clock.mode });
    }
    if (path === '/__emulator/fill' && req.method === 'POST') {
      brokerage.processOpenOrders(true);
      return send(res, 200, {
        open: brokerage.state.orders.filter((o) => o.status === 'new').length,
      });
    }
    if (path === '/__emulator/config' && req.method === 'POST') {
      if (b['fillMode'] !== undefined) {
        if (!['immediate', 'market_hours', 'manual'].includes(String(b['fillMode'])))
          throw new ApiError(400, 40010001, 'invalid fillMode');
        settings.fillMode = b['fillMode'] as FillMode;
      }
      if (typeof b['slippageBps'] === 'number') settings.slippageBps = b['slippageBps'];
      return send(res, 200, { fillMode: settings.fillMode, slippageBps: settings.slippageBps });
    }
    if (path === '/__emulator/reset' && req.method === 'POST') {
      brokerage.state = newBrokerageState(initialCashUsd);
      if (stateFile) saveState(stateFile, brokerage.state);
      faults.clear();
      requests = 0;
      for (const k of Object.keys(byRoute)) delete byRoute[k];
      return send(res, 200, { ok: true });
    }
    if (path === '/__emulator/stats' && req.method === 'GET') {
      return send(res, 200, {
        requests,
        byRoute,
        now: iso(clock.now()),
        faultsPending: faults.pending(),
      });
    }
    throw new ApiError(404, 40410000, `unknown control endpoint ${req.method ?? ''} ${path}`);
  }

  async function api(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    params: URLSearchParams,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const nowMs = clock.now();
    if (settings.fillMode === 'market_hours' && marketClockAt(nowMs).isOpen)
      brokerage.processOpenOrders(true);

    if (method === 'GET' && path === '/v2/stocks/bars') {
      const page = queryBars(book, parseSymbols(params.get('symbols')), params, nowMs);
      const grouped: Record<string, unknown[]> = {};
      for (const b of page.bars) (grouped[b.symbol] ??= []).push(barJson(b));
      return send(res, 200, { bars: grouped, next_page_token: page.nextPageToken });
    }
    if (method === 'GET' && path === '/v2/stocks/bars/latest') {
      const out: Record<string, unknown> = {};
      for (const s of parseSymbols(params.get('symbols'))) {
        const latest = book.latest(s, nowMs);
        if (latest) out[s] = barJson(latest);
      }
      return send(res, 200, { bars: out });
    }
    let m = /^\/v2\/stocks\/([^/]+)\/bars\/latest$/.exec(path);
    if (method === 'GET' && m) {
      const [symbol] = parseSymbols(decodeURIComponent(m[1] as string)) as [string];
      const latest = book.latest(symbol, nowMs);
      if (!latest) throw new ApiError(404, 40410000, `no bar found for ${symbol}`);
      return send(res, 200, { symbol, bar: barJson(latest) });
    }
    m = /^\/v2\/stocks\/([^/]+)\/bars$/.exec(path);
    if (method === 'GET' && m) {
      const [symbol] = parseSymbols(decodeURIComponent(m[1] as string)) as [string];
      const page = queryBars(book, [symbol], params, nowMs);
      return send(res, 200, {
        bars: page.bars.map(barJson),
        symbol,
        next_page_token: page.nextPageToken,
      });
    }
    if (method === 'GET' && path === '/v2/account') return send(res, 200, brokerage.account());
    if (method === 'GET' && path === '/v2/clock') {
      const c = marketClockAt(nowMs);
      return send(res, 200, {
        timestamp: iso(nowMs),
        is_open: c.isOpen,
        next_open: iso(c.nextOpenMs),
        next_close: iso(c.nextCloseMs),
      });
    }
    if (method === 'GET' && path === '/v2/positions') return send(res, 200, brokerage.positions());
    m = /^\/v2\/positions\/([^/]+)$/.exec(path);
    if (method === 'GET' && m)
      return send(res, 200, brokerage.position(decodeURIComponent(m[1] as string)));
    if (method === 'POST' && path === '/v2/orders') {
      const order = brokerage.submit(await readBody(req));
      return send(res, 200, brokerage.orderJson(order));
    }
    if (method === 'GET' && path === '/v2/orders') {
      return send(
        res,
        200,
        brokerage.listOrders(params).map((o) => brokerage.orderJson(o)),
      );
    }
    if (method === 'GET' && path === '/v2/orders:by_client_order_id') {
      return send(
        res,
        200,
        brokerage.orderJson(brokerage.orderByClientId(params.get('client_order_id'))),
      );
    }
    m = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (m && method === 'GET')
      return send(
        res,
        200,
        brokerage.orderJson(brokerage.orderById(decodeURIComponent(m[1] as string))),
      );
    if (m && method === 'DELETE') {
      brokerage.cancel(decodeURIComponent(m[1] as string));
      return send(res, 204, undefined);
    }
    const activities =
      path === '/v2/account/activities/FILL' ||
      (path === '/v2/account/activities' &&
        (params.get('activity_types') ?? '').split(',').includes('FILL'));
    if (method === 'GET' && activities) return send(res, 200, brokerage.fillActivities(params));
    throw new ApiError(404, 40410000, 'endpoint not found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/__emulator/')) return control(req, res, path);

    requests++;
    const route = `${method} ${path}`;
    byRoute[route] = (byRoute[route] ?? 0) + 1;
    const wallNow = Date.now();
    window.push(wallNow);
    const headers = rateHeaders(wallNow);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);

    const fault = faults.take(method, path);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'drop_after') dropAfterAnswer.add(res);
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    if (fault?.kind === 'rate_limit') {
      return send(
        res,
        429,
        { code: 42910000, message: 'rate limit exceeded' },
        {
          ...headers,
          'x-ratelimit-remaining': '0',
          'retry-after': String(fault.retryAfterSeconds ?? 1),
        },
      );
    }
    if (fault?.kind === 'server_error') {
      return send(
        res,
        fault.status ?? 500,
        { code: 50010000, message: 'internal server error' },
        headers,
      );
    }
    const limit = options.rateLimitPerMinute;
    if (limit !== undefined && window.length > limit) {
      return send(
        res,
        429,
        { code: 42910000, message: 'rate limit exceeded' },
        {
          ...headers,
          'retry-after': String(
            Math.max(1, Math.ceil(((window[0] as number) + 60_000 - wallNow) / 1000)),
          ),
        },
      );
    }

    const key = req.headers['apca-api-key-id'];
    const secret = req.headers['apca-api-secret-key'];
    if (key !== keyId)
      return send(res, 401, { code: 40110000, message: 'request is not authorized' }, headers);
    if (secret !== secretKey)
      return send(res, 403, { code: 40310000, message: 'forbidden' }, headers);
    if (fault?.kind === 'insufficient_buying_power') {
      return send(res, 403, { code: 40310000, message: 'insufficient buying power' }, headers);
    }
    try {
      await api(req, res, path, url.searchParams);
    } catch (error) {
      if (error instanceof ApiError)
        return send(res, error.status, { code: error.code, message: error.message }, headers);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof ApiError)
        return send(res, error.status, { code: error.code, message: error.message });
      if (error instanceof RangeError)
        return send(res, 400, { code: 40010001, message: error.message });
      send(res, 500, {
        code: 50010000,
        message: error instanceof Error ? error.message : 'internal error',
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    keyId,
    secretKey,
    clock,
    faults,
    brokerage,
    stats: () => ({ requests, byRoute: { ...byRoute } }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
