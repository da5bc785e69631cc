import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { ConfigError } from '@quantpipe/core';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { dashboardAssets } from './dashboard-assets';
import { DASHBOARD_HTML } from './dashboard-page';
import { healthOf } from './health';
import type { TraderMetrics } from './metrics';
import type { OpsState } from './ops-state';

/** Options of {@link startOpsServer}. */
export interface OpsServerOptions {
  /** Interface to bind; loopback unless a token is given. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Required off loopback; when set, every request must carry it. */
  readonly token?: string;
  readonly state: OpsState;
  readonly metrics: TraderMetrics;
  /** `/healthz` fails once the next cycle is this much overdue. */
  readonly healthGraceMs: number;
  /** The trader's clock (the overdue check uses the same time as the schedule). */
  readonly now: () => number;
  /** Keep-alive comment interval of the event stream. Default 15 s. */
  readonly keepAliveMs?: number;
}

/** A running operations server. */
export interface OpsServer {
  /** `http://host:port/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Whether a host name or address is a loopback one (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Parses `--http`: `PORT`, `HOST:PORT` or `[IPv6]:PORT`; the host defaults to 127.0.0.1. */
export function parseHttpAddress(text: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isInteger(port) || port > 65_535)
    throw new ConfigError('--http', `expected HOST:PORT or PORT, got ${JSON.stringify(text)}`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time token comparison (hashes first, so lengths never leak either). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

function tokenOf(authorization: string | undefined, query: string | undefined): string | undefined {
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return query;
}

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
}

/**
 * The trader's read-only HTTP server: the dashboard (`/`), its data (`/api/snapshot`, and
 * `/api/events` as server-sent events), Prometheus metrics (`/metrics`) and `/healthz`. Only
 * GET and HEAD are served. Off loopback a token is required (`Authorization: Bearer …` or
 * `?token=`, compared in constant time).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const token = options.token !== undefined && options.token !== '' ? options.token : undefined;
  if (!isLoopbackHost(options.host) && token === undefined) {
    throw new ConfigError(
      '--http',
      `binding to ${options.host} (not loopback) needs a token: set --http-token or TRADER_HTTP_TOKEN`,
    );
  }
  const assets = dashboardAssets();
  const app = new Hono();
  app.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.text('read-only: GET and HEAD only\n', 405);
    }
    if (
      token !== undefined &&
      !tokenMatches(tokenOf(c.req.header('authorization'), c.req.query('token')), token)
    ) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.text('unauthorized\n', 401);
    }
    await next();
    return undefined;
  });
  app.get('/', (c) => {
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src data:",
    );
    return c.html(DASHBOARD_HTML);
  });
  app.get('/assets/uplot.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(assets.uplotJs);
  });
  app.get('/assets/uplot.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(assets.uplotCss);
  });
  app.get('/api/snapshot', (c) => {
    c.header('Content-Type', 'application/json');
    return c.body(json(options.state.snapshot()));
  });
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let queue = Promise.resolve();
      const send = (data: string): void => {
        queue = queue
          .then(() => stream.writeSSE({ event: 'snapshot', data }))
          .catch(() => undefined);
      };
      send(json(options.state.snapshot()));
      const unsubscribe = options.state.subscribe((s) => send(json(s)));
      const aborted = new Promise<void>((resolve) => stream.onAbort(resolve));
      while (!stream.aborted && !stream.closed) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          aborted,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, options.keepAliveMs ?? 15_000);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
        if (!stream.aborted) await stream.write(': keep-alive\n\n').catch(() => undefined);
      }
      unsubscribe();
    }),
  );
  app.get('/metrics', async (c) => {
    c.header('Content-Type', options.metrics.contentType);
    return c.body(await options.metrics.text());
  });
  app.get('/healthz', (c) => {
    const report = healthOf(options.state.snapshot(), options.now(), options.healthGraceMs);
    return c.json(report, report.ok ? 200 : 503);
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () =>
      resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostText}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
