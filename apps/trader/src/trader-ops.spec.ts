import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTradingDay, newYorkParts, silentLogger } from '@quantpipe/core';
import { openDatabase } from '@quantpipe/storage';
import { runCli } from './cli';
import { runTrader } from './run-trader';

function capture() {
  let out = '';
  let err = '';
  return {
    io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t) },
    out: () => out,
    err: () => err,
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('operating the trader (sim broker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trader-ops-'));
  const dbUrl = `sqlite:${join(dir, 'ops.db')}`;
  const configPath = join(dir, 'ops.json');
  const saved = { id: process.env['APCA_API_KEY_ID'], secret: process.env['APCA_API_SECRET_KEY'] };
  beforeAll(() => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    writeFileSync(
      configPath,
      JSON.stringify({
        symbols: ['AAA', 'BBB'],
        broker: 'sim',
        database: dbUrl,
        run_id: 'ops',
        use_hourly: false,
        history_days: 400,
        when_closed: 'queue',
        schedule: { every: '60m' },
      }),
    );
  });
  afterAll(() => {
    if (saved.id !== undefined) process.env['APCA_API_KEY_ID'] = saved.id;
    if (saved.secret !== undefined) process.env['APCA_API_SECRET_KEY'] = saved.secret;
  });

  it('serves /healthz, /metrics and the live state while running; the heartbeat says when the next cycle is', async () => {
    const controller = new AbortController();
    let url: string | undefined;
    const run = runTrader({
      configPath,
      logger: silentLogger,
      http: { host: '127.0.0.1', port: 0 },
      onHttpListening: (u) => {
        url = u;
      },
      signal: controller.signal,
      createDatabase: true,
    });
    try {
      const snapshot = await waitFor(async () => {
        if (!url) return undefined;
        const s = (await (await fetch(`${url}api/snapshot`)).json()) as {
          phase: string;
          lastCycle: { outcome: string } | null;
          nextCycleAt: string | null;
          fillsToday: unknown[];
          equity: unknown[];
        };
        return s.lastCycle && s.phase === 'waiting' ? s : undefined;
      }, 60_000);
      expect(snapshot.lastCycle?.outcome).toBe('traded');
      expect(snapshot.fillsToday).toHaveLength(2);
      expect(snapshot.equity).toHaveLength(1);
      const health = await fetch(`${url as string}healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`${url as string}metrics`)).text();
      expect(metrics).toMatch(/^trader_cycles_total\{status="traded"\} 1$/m);
      expect(metrics).toMatch(/^trader_orders_total\{outcome="filled"\} 2$/m);
      expect(metrics).toMatch(/^trader_broker_up 1$/m);
      expect(metrics).toMatch(/^trader_data_staleness_seconds \d+/m);
      // While it waits, status shows it alive with the next cycle an hour after the first.
      const c = capture();
      expect(await runCli(['status', '--db', dbUrl, '--run-id', 'ops'], c.io)).toBe(0);
      const status = JSON.parse(c.out()) as {
        run: { liveness: string };
        schedule: {
          phase: string;
          nextCycleAt: string;
          lastCycle: { outcome: string };
          schedule: string;
        };
      };
      expect(status.run.liveness).toBe('alive');
      expect(status.schedule).toMatchObject({
        phase: 'waiting',
        schedule: 'every 1h',
        lastCycle: { outcome: 'traded' },
      });
      expect(status.schedule.nextCycleAt).toBe(snapshot.nextCycleAt);
      // The sim venue replays 2024 on its own clock: "in how long" is on that clock.
      const t = capture();
      await runCli(['status', '--db', dbUrl, '--run-id', 'ops', '--text'], t.io);
      expect(t.out()).toMatch(/^trader: alive \(last heartbeat \d+ s ago, waiting\)$/m);
      expect(t.out()).toMatch(/^next cycle: \S+ \(in (59|60) min\)$/m);
    } finally {
      controller.abort();
    }
    const result = await run;
    expect(result.cycles).toHaveLength(1);
    const c = capture();
    await runCli(['status', '--db', dbUrl, '--run-id', 'ops'], c.io);
    expect(JSON.parse(c.out())).toMatchObject({
      run: { liveness: 'stopped' },
      schedule: { phase: 'stopped', nextCycleAt: null },
    });
    const t = capture();
    expect(await runCli(['status', '--db', dbUrl, '--run-id', 'ops', '--text'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^run ops: stopped \(sim\), started /);
    expect(t.out()).toMatch(/^trader: stopped \(last heartbeat \d+ s ago, stopped\)$/m);
    expect(t.out()).toMatch(/^last cycle: \S+ traded: cycle 1 traded \| targets /m);
    expect(t.out()).toMatch(/^kill switch: off$/m);
  }, 90_000);

  it('with session times it waits for the next 09:45 New York of a trading day', async () => {
    const path = join(dir, 'at.json');
    writeFileSync(
      path,
      JSON.stringify({
        symbols: ['AAA', 'BBB'],
        broker: 'sim',
        database: `sqlite:${join(dir, 'at.db')}`,
        run_id: 'at',
        use_hourly: false,
        history_days: 400,
        schedule: { at: ['09:45'] },
      }),
    );
    const controller = new AbortController();
    let url: string | undefined;
    const run = runTrader({
      configPath: path,
      logger: silentLogger,
      createDatabase: true,
      http: { host: '127.0.0.1', port: 0 },
      onHttpListening: (u) => {
        url = u;
      },
      signal: controller.signal,
    });
    try {
      const snapshot = await waitFor(async () => {
        if (!url) return undefined;
        const s = (await (await fetch(`${url}api/snapshot`)).json()) as {
          phase: string;
          now: string;
          nextCycleAt: string | null;
          schedule: string;
        };
        return s.phase === 'waiting' ? s : undefined;
      }, 60_000);
      expect(snapshot.schedule).toBe('at 09:45 New York');
      const next = Date.parse(snapshot.nextCycleAt as string);
      expect(next).toBeGreaterThan(Date.parse(snapshot.now));
      expect(newYorkParts(next).time).toBe('09:45:00');
      expect(isTradingDay(newYorkParts(next).date)).toBe(true);
    } finally {
      controller.abort();
    }
    expect((await run).cycles).toHaveLength(0);
  }, 90_000);

  it('status --text calls a run whose heartbeat expired lost (a killed process)', async () => {
    const db = await openDatabase(dbUrl);
    try {
      const old = new Date(Date.now() - 10 * 60_000).toISOString();
      await db.recordHeartbeat('ops', { at: old, expiresAt: old });
      await db.kysely
        .updateTable('runs')
        .set({ status: 'running' })
        .where('run_id', '=', 'ops')
        .execute();
    } finally {
      await db.close();
    }
    const t = capture();
    await runCli(['status', '--db', dbUrl, '--run-id', 'ops', '--text'], t.io);
    expect(t.out()).toMatch(/^run ops: running \(sim\)/);
    expect(t.out()).toMatch(
      /^trader: LOST: marked running but its heartbeat expired; the process is gone \(last heartbeat 600 s ago, stopped\)$/m,
    );
  });

  it('orders and fills list the history with run, symbol and date filters', async () => {
    let c = capture();
    expect(await runCli(['orders', '--db', dbUrl, '--run-id', 'ops'], c.io)).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toMatch(/^submitted +run +symbol +side +qty +filled +avg price +status/);
    expect(lines.slice(2)).toHaveLength(2);
    expect(lines[2]).toMatch(/ops +AAA +(buy|sell) +\d+ +\d+ +[\d.]+ +filled/);
    c = capture();
    expect(await runCli(['fills', '--config', configPath, '--symbol', 'bbb', '--json'], c.io)).toBe(
      0,
    );
    const fills = JSON.parse(c.out()) as { symbol: string; runId: string; priceUsd: number }[];
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ symbol: 'BBB', runId: 'ops' });
    c = capture();
    await runCli(['orders', '--db', dbUrl, '--from', '2099-01-01'], c.io);
    expect(c.out()).toBe('no orders\n');
    c = capture();
    expect(await runCli(['fills', '--db', dbUrl, '--run-id', 'other'], c.io)).toBe(2);
    expect(c.err()).toMatch(/run other is not in this database \(known runs: .*ops/);
    c = capture();
    expect(await runCli(['orders', '--db', dbUrl, '--from', 'last week'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--from: expected YYYY-MM-DD/);
    c = capture();
    expect(await runCli(['orders', '--db', `sqlite:${join(dir, 'missing.db')}`], c.io)).toBe(2);
    expect(c.err()).toMatch(/no trading database at/);
  });

  it('prints its version', async () => {
    const c = capture();
    expect(await runCli(['--version'], c.io)).toBe(0);
    expect(c.out()).toBe('0.1.0\n');
  });

  it('a start-up failure raises a CRITICAL alert into the alerts table', async () => {
    const path = join(dir, 'down.json');
    const downDb = `sqlite:${join(dir, 'down.db')}`;
    writeFileSync(
      path,
      JSON.stringify({
        broker: 'alpaca',
        alpaca_base_url: 'http://127.0.0.1:1',
        alpaca_api_key: 'k',
        alpaca_api_secret: 's',
        database: downDb,
        run_id: 'down',
        retry_base_delay_ms: 0,
      }),
    );
    await expect(
      runTrader({ configPath: path, once: true, logger: silentLogger, createDatabase: true }),
    ).rejects.toThrow();
    const db = await openDatabase(downDb);
    try {
      const alerts = await db.listAlerts({});
      expect(alerts.map((a) => a.title)).toEqual(
        expect.arrayContaining(['BROKER DISCONNECTED', 'TRADER START FAILED']),
      );
      expect(alerts.find((a) => a.title === 'TRADER START FAILED')?.level).toBe('CRITICAL');
    } finally {
      await db.close();
    }
  }, 60_000);
});
