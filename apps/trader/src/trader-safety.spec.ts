/**
 * End-to-end checks, against the Alpaca emulator, of the paths that could lose money or hide a
 * failure: symbol spelling, admin commands on the wrong run or database, database creation,
 * broker-clock and start-up failures, run-scoped status, secrets, and misleading output.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ConfigError } from '@quantpipe/core';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { openDatabase } from '@quantpipe/storage';
import { traderStatus } from './admin-commands';
import { runCli } from './cli';
import { createLogger } from './logger';
import { runTrader } from './run-trader';
import {
  EMULATOR_KEY,
  EMULATOR_SECRET,
  spawnTs,
  startEmulator,
  type EmulatorProcess,
} from './testing/emulator-process';
import { startWebhookServer, type WebhookServer } from './testing/webhook-server';

const START = '2021-01-04';
const SESSIONS = weekdaySessions(START, 600);
const middayOf = (i: number): string => `${SESSIONS[i] as string}T18:00:00Z`;

function capture() {
  let out = '';
  let err = '';
  return {
    io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t) },
    out: () => out,
    err: () => err,
  };
}

/** A logger whose output the test reads, with a hook called on every line. */
function textLogger(onLine: (line: string) => void = () => undefined) {
  let text = '';
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _e, done) {
        const s = chunk.toString();
        text += s;
        for (const line of s.split('\n')) if (line) onLine(line);
        done();
      },
    }),
  );
  return { logger, text: () => text };
}

describe('trader safety against the Alpaca emulator', () => {
  let emulator: EmulatorProcess;
  let webhook: WebhookServer;
  let dir: string;

  beforeAll(async () => {
    [emulator, webhook] = await Promise.all([
      startEmulator(['--start-date', START, '--sessions', '600', '--clock', middayOf(560)]),
      startWebhookServer(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'trader-safety-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await Promise.all([emulator?.stop(), webhook?.close()]);
  });

  function writeConfig(name: string, extra: Record<string, unknown> = {}): string {
    const path = join(dir, `${name}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        alpaca_base_url: emulator.url,
        symbols: ['SYNA', 'SYNB', 'SYNC'],
        benchmark_symbol: 'SPY',
        broker: 'alpaca',
        database: `sqlite:${join(dir, `${name}.db`)}`,
        run_id: name,
        history_days: 400,
        use_hourly: false,
        max_position_size: 0.05,
        retry_base_delay_ms: 20,
        fill_poll_interval_ms: 100,
        ...extra,
      }),
    );
    return path;
  }

  async function heldBySymbol(): Promise<Record<string, number>> {
    const held = (await emulator.api('/v2/positions')) as { symbol: string; qty: string }[];
    return Object.fromEntries(held.map((p) => [p.symbol, Number(p.qty)]));
  }

  async function ordersSent(): Promise<number> {
    const stats = (await emulator.control('/__emulator/stats')) as {
      byRoute: Record<string, number>;
    };
    return stats.byRoute['POST /v2/orders'] ?? 0;
  }

  it('1. lower-case tickers are upper-cased at the config edge: after 3 cycles the broker holds the target, not three times it', async () => {
    const configPath = writeConfig('p1', { symbols: ['syna', 'synb'], benchmark_symbol: 'spy' });
    for (let day = 0; day < 3; day++) {
      await emulator.control('/__emulator/clock', 'POST', { time: middayOf(561 + day) });
      const result = await runTrader({
        createDatabase: true,
        configPath,
        once: true,
        logger: textLogger().logger,
      });
      expect(result.cycles[0]?.decisions.map((d) => d.symbol).sort()).toEqual(['SYNA', 'SYNB']);
    }
    const db = await openDatabase(`sqlite:${join(dir, 'p1.db')}`);
    try {
      const decisions = await db.entries({ runId: 'p1', kinds: ['decision'] });
      const targets = (
        decisions[decisions.length - 1]?.payload as { targets: Record<string, number> }
      ).targets;
      const held = await heldBySymbol();
      expect(Object.keys(targets).sort()).toEqual(['SYNA', 'SYNB']);
      for (const [symbol, target] of Object.entries(targets))
        expect([symbol, held[symbol] ?? 0]).toEqual([symbol, target]);
    } finally {
      await db.close();
    }
    // Two spellings of one ticker are refused.
    await expect(
      runTrader({ configPath: writeConfig('p1-dup', { symbols: ['SYNA', 'syna'] }), once: true }),
    ).rejects.toThrow(/symbols/);
  }, 90_000);

  it('2. trader kill/resume/status refuse an unknown run id and a missing database, and create nothing', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(565) });
    const configPath = writeConfig('p2');
    const dbUrl = `sqlite:${join(dir, 'p2.db')}`;
    await runTrader({ createDatabase: true, configPath, once: true, logger: textLogger().logger });
    for (const command of ['kill', 'resume', 'status']) {
      const typo = capture();
      expect(await runCli([command, '--db', dbUrl, '--run-id', 'p2x'], typo.io)).toBe(2);
      expect(typo.err()).toMatch(/run p2x is not in this database \(known runs: p2\)/);
      expect(typo.out()).toBe('');
      const missing = capture();
      const missingDb = `sqlite:${join(dir, 'no-such-dir', 'p2.db')}`;
      expect(await runCli([command, '--db', missingDb, '--run-id', 'p2'], missing.io)).toBe(2);
      expect(missing.err()).toMatch(/no trading database/);
      expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
      const missingFile = `sqlite:${join(dir, 'p2-typo.db')}`;
      expect(await runCli([command, '--db', missingFile, '--run-id', 'p2'], capture().io)).toBe(2);
      expect(existsSync(join(dir, 'p2-typo.db'))).toBe(false);
    }
    // The real run was never halted.
    const status = await traderStatus(dbUrl, 'p2');
    expect((status.killSwitch as { tripped?: boolean } | null)?.tripped ?? false).toBe(false);
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(566) });
    const next = await runTrader({ configPath, once: true, logger: textLogger().logger });
    expect(next.cycles[0]?.status).toBe('traded');
  }, 90_000);

  it('3. a database typo is refused (no directories, no fresh journal); a run id with orders at the broker but no history in this database is refused', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(567) });
    const typo = writeConfig('p3-typo', {
      database: `sqlite:${join(dir, 'tpyo', 'p3.db')}`,
    });
    const error = await runTrader({ configPath: typo, once: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('database');
    expect((error as Error).message).toMatch(/trader init/);
    expect(existsSync(join(dir, 'tpyo'))).toBe(false);
    // `trader init` creates it explicitly.
    const c = capture();
    expect(await runCli(['init', '--config', typo], c.io)).toBe(0);
    expect(c.out()).toMatch(/^created trading database/);
    expect(existsSync(join(dir, 'tpyo', 'p3.db'))).toBe(true);

    const first = await runTrader({
      createDatabase: true,
      configPath: writeConfig('p3', { run_id: 'p3' }),
      once: true,
      logger: textLogger().logger,
    });
    expect(first.cycles[0]?.orders.length).toBeGreaterThan(0);
    const sent = await ordersSent();
    // The same run id against another (new) database: its history is elsewhere.
    const elsewhere = writeConfig('p3-elsewhere', { run_id: 'p3' });
    const refused = await runTrader({
      createDatabase: true,
      configPath: elsewhere,
      once: true,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).key).toBe('run_id');
    expect(await ordersSent()).toBe(sent);
    const db = await openDatabase(`sqlite:${join(dir, 'p3-elsewhere.db')}`);
    try {
      expect(await db.listRuns()).toEqual([]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('5. a broker-clock failure (503 on /v2/clock) mid-run is alerted (database, webhook), logged with attempt, wait and cause, and retried; the trader keeps trading', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(570) });
    const configPath = writeConfig('p5', {
      webhook_url: `http://127.0.0.1:${webhook.port}/hook/p5`,
    });
    let injected = false;
    const logs = textLogger((line) => {
      if (!injected && line.includes('"msg":"cycle finished"')) {
        injected = true;
        // More failures than the adapter's own 5 attempts: the error reaches the trader.
        void emulator.control('/__emulator/faults', 'POST', {
          kind: 'server_error',
          status: 503,
          count: 5,
          pathPrefix: '/v2/clock',
        });
      }
    });
    const result = await runTrader({
      createDatabase: true,
      configPath,
      maxCycles: 3,
      intervalMs: 300,
      logger: logs.logger,
    });
    expect(result.cycles).toHaveLength(3);
    expect(result.stoppedBy).toBe('max_cycles');
    const text = logs.text();
    expect(text).toMatch(
      /"attempt":1,"waitMs":300,"cause":"[^"]+","msg":"cycle failed; retrying at the next interval"/,
    );
    // The adapter's own retries are logged too.
    expect(text).toMatch(
      /"attempt":\d,"kind":"server","status":503,"delayMs":\d+,"msg":"alpaca [^"]*failed \(server\); retrying"/,
    );
    await webhook.waitFor('TRADER CYCLE FAILED');
    expect(webhook.received.find((r) => r.body.title === 'TRADER CYCLE FAILED')?.body.level).toBe(
      'CRITICAL',
    );
    const db = await openDatabase(`sqlite:${join(dir, 'p5.db')}`);
    try {
      const alerts = await db.listAlerts({ runId: 'p5', levels: ['CRITICAL'] });
      expect(alerts.map((a) => a.title)).toContain('TRADER CYCLE FAILED');
    } finally {
      await db.close();
    }
  }, 90_000);

  it('5. start-up failures are alerted and retried at the next interval; a one-off run fails after the alert', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(571) });
    const configPath = writeConfig('p5-start', {
      webhook_url: `http://127.0.0.1:${webhook.port}/hook/p5-start`,
    });
    await emulator.control('/__emulator/faults', 'POST', {
      kind: 'server_error',
      status: 503,
      count: 100_000,
      pathPrefix: '/v2/account',
    });
    const logs = textLogger();
    const run = runTrader({
      createDatabase: true,
      configPath,
      maxCycles: 1,
      intervalMs: 200,
      logger: logs.logger,
    });
    await webhook.waitFor('TRADER START FAILED');
    await emulator.control('/__emulator/faults', 'DELETE');
    const result = await run;
    expect(result.cycles[0]?.status).toBe('traded');
    expect(logs.text()).toMatch(
      /"attempt":1,"waitMs":200,"cause":"[^"]+","msg":"start-up failed; retrying at the next interval"/,
    );
    // --once: the alert, then the error.
    const before = webhook.received.filter((r) => r.body.title === 'TRADER START FAILED').length;
    await emulator.control('/__emulator/faults', 'POST', {
      kind: 'server_error',
      status: 503,
      count: 100_000,
      pathPrefix: '/v2/account',
    });
    await expect(runTrader({ configPath, once: true, logger: logs.logger })).rejects.toThrow();
    await emulator.control('/__emulator/faults', 'DELETE');
    expect(webhook.received.filter((r) => r.body.title === 'TRADER START FAILED').length).toBe(
      before + 1,
    );
  }, 90_000);

  it("7. trader status shows the run's own latest snapshot (by write order, not timestamp), its own alerts, P&L since the run's first start, its liveness; an unknown run is an error", async () => {
    const dbUrl = `sqlite:${join(dir, 'p7.db')}`;
    const configPath = writeConfig('p7', { database: dbUrl });
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(580) });
    const baselineUsd = Number(((await emulator.api('/v2/account')) as { equity: string }).equity);
    await runTrader({ createDatabase: true, configPath, once: true, logger: textLogger().logger });
    // Another run in the same database, later.
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(582) });
    await runTrader({
      configPath: writeConfig('p7-other', { database: dbUrl }),
      once: true,
      logger: textLogger().logger,
    });
    let status = await traderStatus(dbUrl, 'p7');
    expect((status.portfolio as { timestamp: string }).timestamp.slice(0, 10)).toBe(SESSIONS[580]);
    expect((status.positions as { timestamp: string }).timestamp.slice(0, 10)).toBe(SESSIONS[580]);
    expect(status.recentAlerts.length).toBeGreaterThan(0);
    for (const alert of status.recentAlerts) expect((alert as { runId?: string }).runId).toBe('p7');
    // A restart whose venue clock is earlier (same session, an hour before the first run):
    // the snapshot it writes is the latest.
    await emulator.control('/__emulator/clock', 'POST', {
      time: `${SESSIONS[580] as string}T17:00:00Z`,
    });
    await runTrader({ configPath, once: true, logger: textLogger().logger });
    status = await traderStatus(dbUrl, 'p7');
    const portfolio = status.portfolio as {
      timestamp: string;
      equityUsd: number;
      totalPnlUsd: number;
    };
    expect(portfolio.timestamp.slice(0, 13)).toBe(`${SESSIONS[580] as string}T17`);
    // P&L counts from the run's first start, not from this process's.
    expect(portfolio.totalPnlUsd).toBeCloseTo(portfolio.equityUsd - baselineUsd, 6);
    expect(status.run).toMatchObject({ status: 'stopped', liveness: 'stopped', mode: 'alpaca' });
    const unknown = capture();
    expect(await runCli(['status', '--db', dbUrl, '--run-id', 'nope'], unknown.io)).toBe(2);
    expect(unknown.out()).toBe('');

    // SIGKILL: the row stays `running`, but its heartbeat expires and status says `lost`.
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(583) });
    const child = spawnTs(
      'apps/trader/src/main.ts',
      ['run', '--config', configPath, '--interval-ms', '200'],
      {
        APCA_API_KEY_ID: EMULATOR_KEY,
        APCA_API_SECRET_KEY: EMULATOR_SECRET,
      },
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    await new Promise<void>((resolve) =>
      lines.on('line', (line) => line.includes('"msg":"cycle finished"') && resolve()),
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const killedAt = Date.now();
    expect((await traderStatus(dbUrl, 'p7', killedAt)).run).toMatchObject({
      status: 'running',
      liveness: 'alive',
    });
    expect((await traderStatus(dbUrl, 'p7', killedAt + 121_000)).run).toMatchObject({
      status: 'running',
      liveness: 'lost',
    });
  }, 120_000);

  it('8. the webhook token and path never reach the log, the stored config or the database file; a config parse error never echoes the text around a secret', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(585) });
    const canaries = ['CANARYWEBHOOKPATH8', 'CANARYQUERYTOKEN8'];
    const configPath = writeConfig('p8', {
      webhook_url: `http://127.0.0.1:${webhook.port}/services/T0/${canaries[0] as string}?token=${canaries[1] as string}`,
    });
    await emulator.control('/__emulator/faults', 'POST', {
      kind: 'insufficient_buying_power',
      count: 1,
      pathPrefix: '/v2/orders',
      method: 'POST',
    });
    const logs = textLogger();
    await runTrader({ createDatabase: true, configPath, once: true, logger: logs.logger });
    // The webhook was really called with its secret URL.
    expect(webhook.received.some((r) => r.path.includes(canaries[0] as string))).toBe(true);
    const c = capture();
    expect(await runCli(['status', '--config', configPath], c.io)).toBe(0);
    const db = await openDatabase(`sqlite:${join(dir, 'p8.db')}`);
    try {
      expect(JSON.stringify((await db.getRun('p8')).config)).toMatch(/\[redacted\]/);
    } finally {
      await db.close();
    }
    const files = ['p8.db', 'p8.db-wal'].map((f) => join(dir, f)).filter(existsSync);
    for (const canary of canaries) {
      expect(logs.text()).not.toContain(canary);
      expect(c.out()).not.toContain(canary);
      for (const file of files)
        expect(readFileSync(file).includes(Buffer.from(canary))).toBe(false);
    }

    const secret = 'CANARYAPISECRET8x9y';
    const broken = join(dir, 'broken.json');
    for (const text of [
      `{"alpaca_api_secret": "${secret}" x}`,
      `{"alpaca_api_secret": "${secret}",\n "symbols": [}`,
      `{"alpaca_api_secret": "${secret}`,
    ]) {
      writeFileSync(broken, text);
      const e = capture();
      expect(await runCli(['run', '--config', broken, '--once'], e.io)).toBe(2);
      expect(e.err()).toMatch(/not valid JSON/);
      for (let i = 0; i + 4 <= secret.length; i++)
        expect(e.err()).not.toContain(secret.slice(i, i + 4));
    }
  }, 90_000);

  it('9. an unknown benchmark is refused before any order; a dry run has its own run id, cycle counter and snapshots and never relabels the live run', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(587) });
    const sent = await ordersSent();
    const bad = capture();
    expect(
      await runCli(
        [
          'run',
          '--config',
          writeConfig('p9-bench', { benchmark_symbol: 'NOPE' }),
          '--once',
          '--create-db',
        ],
        bad.io,
      ),
    ).toBe(2);
    expect(bad.err()).toMatch(/benchmark_symbol: the venue has no daily bars for NOPE/);
    expect(await ordersSent()).toBe(sent);

    const dbUrl = `sqlite:${join(dir, 'p9.db')}`;
    const configPath = writeConfig('p9', { database: dbUrl });
    const live = await runTrader({
      createDatabase: true,
      configPath,
      once: true,
      logger: textLogger().logger,
    });
    const liveStatus = await traderStatus(dbUrl, 'p9');
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(588) });
    const dry = await runTrader({
      configPath,
      once: true,
      dryRun: true,
      logger: textLogger().logger,
    });
    expect(dry.runId).toBe('p9.dry-run');
    expect(dry.cycles[0]?.cycle).toBe(1);
    const after = await traderStatus(dbUrl, 'p9');
    expect(after.run.mode).toBe('alpaca');
    expect(after.lastCycle).toEqual(liveStatus.lastCycle);
    expect(after.portfolio).toEqual(liveStatus.portfolio);
    expect((await traderStatus(dbUrl, 'p9.dry-run')).run.mode).toBe('alpaca:dry_run');
    const next = await runTrader({ configPath, once: true, logger: textLogger().logger });
    expect(next.cycles[0]?.cycle).toBe((live.cycles[0]?.cycle ?? 0) + 1);
  }, 90_000);
});
