import { TraderMetrics } from './metrics';
import {
  isLoopbackHost,
  parseHttpAddress,
  startOpsServer,
  tokenMatches,
  type OpsServer,
} from './ops-server';
import { cycleReport, filledOrder, opsState } from './testing/ops-fixtures';

const T0 = Date.parse('2024-07-09T15:00:00Z');

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text() };
}

describe('operations server', () => {
  const servers: OpsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('parses --http and recognises loopback hosts', () => {
    expect(parseHttpAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseHttpAddress('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseHttpAddress('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseHttpAddress('localhost')).toThrow(/--http/);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.3.2.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.0.2.10')).toBe(false);
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('a-much-longer-guess', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });

  it('serves metrics and a health check that fails when a cycle is overdue or the broker is down', async () => {
    const now = { value: T0 };
    const state = opsState(now);
    const metrics = new TraderMetrics();
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      state,
      metrics,
      healthGraceMs: 60_000,
      now: () => now.value,
    });
    servers.push(server);
    const at = new Date(T0).toISOString();
    const { order, fill } = filledOrder('SYNA', 10, 50, at);
    metrics.observeCycle(cycleReport(1, at, [order], [fill], 1_000_500), 1500, T0, 2, false);
    metrics.retries.inc(3);
    metrics.brokerErrors.inc({ kind: 'rate_limit' });
    const text = (await get(`${server.url}metrics`)).body;
    expect(text).toMatch(/^trader_cycles_total\{status="traded"\} 1$/m);
    expect(text).toMatch(/^trader_cycles_total\{status="failed"\} 0$/m);
    expect(text).toMatch(/^trader_cycle_duration_seconds_count 1$/m);
    expect(text).toMatch(/^trader_orders_total\{outcome="filled"\} 1$/m);
    expect(text).toMatch(/^trader_orders_total\{outcome="skipped"\} 2$/m);
    expect(text).toMatch(/^trader_broker_errors_total\{kind="rate_limit"\} 1$/m);
    expect(text).toMatch(/^trader_retries_total 3$/m);
    expect(text).toMatch(/^trader_reconnects_total 0$/m);
    expect(text).toMatch(/^trader_equity_usd 1000500$/m);
    expect(text).toMatch(/^trader_leverage_ratio 1.2$/m);
    expect(text).toMatch(/^trader_kill_switch_tripped 0$/m);
    expect(text).toMatch(/^# TYPE trader_data_staleness_seconds gauge$/m);

    state.update({ phase: 'waiting', nextCycleAt: new Date(T0 + 3_600_000).toISOString() });
    let health = await get(`${server.url}healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
    // Two minutes past the due time with a one-minute grace: overdue.
    now.value = T0 + 3_600_000 + 120_000;
    health = await get(`${server.url}healthz`);
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body).checks.schedule.detail).toMatch(/overdue/);
    now.value = T0;
    state.update({
      brokerConnected: false,
      lastBrokerError: { kind: 'connection', message: 'ECONNREFUSED', at },
    });
    health = await get(`${server.url}healthz`);
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body).checks.broker).toEqual({
      ok: false,
      detail: 'sim unreachable: ECONNREFUSED',
    });
  });

  it('is read-only: anything but GET and HEAD is refused', async () => {
    const now = { value: T0 };
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      state: opsState(now),
      metrics: new TraderMetrics(),
      healthGraceMs: 60_000,
      now: () => now.value,
    });
    servers.push(server);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${server.url}api/snapshot`, { method });
      expect(response.status).toBe(405);
    }
    expect((await get(`${server.url}api/snapshot`)).status).toBe(200);
  });

  it('refuses to bind off loopback without a token, and then requires it', async () => {
    const now = { value: T0 };
    const base = {
      port: 0,
      state: opsState(now),
      metrics: new TraderMetrics(),
      healthGraceMs: 60_000,
      now: () => now.value,
    };
    await expect(startOpsServer({ ...base, host: '0.0.0.0' })).rejects.toThrow(/needs a token/);
    const server = await startOpsServer({ ...base, host: '0.0.0.0', token: 's3cret-token' });
    servers.push(server);
    const url = `http://127.0.0.1:${server.port}/`;
    expect((await get(`${url}metrics`)).status).toBe(401);
    expect((await get(`${url}healthz`, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get(`${url}metrics`, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
    expect((await get(`${url}api/snapshot?token=s3cret-token`)).status).toBe(200);
    expect((await get(`${url}?token=s3cret-tokenX`)).status).toBe(401);
  });

  it('streams a snapshot on every change (server-sent events)', async () => {
    const now = { value: T0 };
    const state = opsState(now);
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      state,
      metrics: new TraderMetrics(),
      healthGraceMs: 60_000,
      now: () => now.value,
    });
    servers.push(server);
    const controller = new AbortController();
    const response = await fetch(`${server.url}api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        text += decoder.decode(chunk.value);
      }
    };
    await readUntil(/event: snapshot\ndata: .*"phase":"starting"/);
    state.update({ phase: 'running' });
    await readUntil(/"phase":"running"/);
    controller.abort();
  });
});
