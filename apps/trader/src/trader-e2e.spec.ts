import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { openDatabase } from '@quantpipe/storage';
import { createLogger } from './logger';
import { runTrader } from './run-trader';
import {
  EMULATOR_KEY,
  EMULATOR_SECRET,
  startEmulator,
  type EmulatorProcess,
} from './testing/emulator-process';

const START = '2021-01-04';
const SESSIONS = weekdaySessions(START, 600);
/** 13:00 New York on a session: the market is open. */
const middayOf = (i: number): string => `${SESSIONS[i] as string}T18:00:00Z`;

describe('trader run against the Alpaca emulator (child process)', () => {
  let emulator: EmulatorProcess;
  let dir: string;
  let logs = '';
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _e, done) {
        logs += chunk.toString();
        done();
      },
    }),
  );

  beforeAll(async () => {
    emulator = await startEmulator([
      '--start-date',
      START,
      '--sessions',
      '600',
      '--clock',
      middayOf(560),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'trader-e2e-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await emulator?.stop();
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
        history_days: 500,
        max_position_size: 0.1,
        retry_base_delay_ms: 20,
        ...extra,
      }),
    );
    return path;
  }

  it('several rebalance cycles: orders, fills, positions, portfolio snapshots, signals and alerts land in the database', async () => {
    // Secrets in the file as well as in the environment: neither may reach the log or the database.
    const configPath = writeConfig('multi', {
      alpaca_api_key: EMULATOR_KEY,
      alpaca_api_secret: EMULATOR_SECRET,
    });
    for (let day = 0; day < 3; day++) {
      await emulator.control('/__emulator/clock', 'POST', { time: middayOf(561 + day) });
      if (day === 1)
        await emulator.control('/__emulator/faults', 'POST', {
          kind: 'insufficient_buying_power',
          count: 1,
          pathPrefix: '/v2/orders',
          method: 'POST',
        });
      const result = await runTrader({ createDatabase: true, configPath, once: true, logger });
      expect(result.cycles).toHaveLength(1);
    }
    const db = await openDatabase(`sqlite:${join(dir, 'multi.db')}`);
    try {
      const orders = await db.listOrders({ runId: 'multi' });
      expect(orders.length).toBeGreaterThanOrEqual(3);
      expect((await db.listFills()).length).toBeGreaterThanOrEqual(3);
      expect((await db.getPortfolioSnapshots()).length).toBe(3);
      expect((await db.getLatestPositions())?.positions.length).toBeGreaterThan(0);
      expect((await db.getSignals({ symbol: 'SYNA' })).length).toBe(3);
      const alerts = await db.listAlerts({});
      expect(alerts.map((a) => a.title)).toContain('ORDER REJECTED');
      // Broker positions equal the last decision's targets for the symbols it traded.
      const decisions = await db.entries({ runId: 'multi', kinds: ['decision'] });
      const last = decisions[decisions.length - 1]?.payload as { targets: Record<string, number> };
      const held = (await emulator.api('/v2/positions')) as { symbol: string; qty: string }[];
      const heldBySymbol = Object.fromEntries(held.map((p) => [p.symbol, Number(p.qty)]));
      for (const [symbol, target] of Object.entries(last.targets))
        expect(heldBySymbol[symbol] ?? 0).toBe(target);
    } finally {
      await db.close();
    }
    // Secrets never reach the log or the database file.
    expect(logs).not.toContain(EMULATOR_SECRET);
    expect(logs).not.toContain(EMULATOR_KEY);
    expect(readFileSync(join(dir, 'multi.db')).includes(Buffer.from(EMULATOR_SECRET))).toBe(false);
  }, 60_000);

  it('--dry-run computes and logs the orders it would send and sends none', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(566) });
    const before = (await emulator.control('/__emulator/stats')) as {
      byRoute: Record<string, number>;
    };
    logs = '';
    const result = await runTrader({
      createDatabase: true,
      configPath: writeConfig('dry'),
      once: true,
      dryRun: true,
      logger,
    });
    const after = (await emulator.control('/__emulator/stats')) as {
      byRoute: Record<string, number>;
    };
    expect(after.byRoute['POST /v2/orders'] ?? 0).toBe(before.byRoute['POST /v2/orders'] ?? 0);
    expect(result.cycles[0]?.status).toBe('dry_run');
    expect(result.cycles[0]?.plannedOrders.length).toBeGreaterThan(0);
    expect(logs).toMatch(/would send order/);
  }, 60_000);

  it('a 429 storm on orders is ridden out; each order is sent once', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(570) });
    await emulator.control('/__emulator/faults', 'POST', {
      kind: 'rate_limit',
      count: 3,
      pathPrefix: '/v2/orders',
      method: 'POST',
      retryAfterSeconds: 0,
    });
    const result = await runTrader({
      createDatabase: true,
      configPath: writeConfig('storm'),
      once: true,
      logger,
    });
    expect(result.cycles[0]?.status).toBe('traded');
    const ids = result.cycles[0]?.orders.map((o) => o.clientOrderId) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0);
  }, 60_000);

  it('stale data: no trading and a CRITICAL alert in the database', async () => {
    await emulator.control('/__emulator/clock', 'POST', {
      time: `${SESSIONS[599] as string}T18:00:00Z`,
    });
    await emulator.control('/__emulator/clock', 'POST', { advanceMs: 10 * 86_400_000 });
    const result = await runTrader({
      createDatabase: true,
      configPath: writeConfig('stale'),
      once: true,
      logger,
    });
    expect(result.cycles[0]?.status).toBe('skipped');
    const db = await openDatabase(`sqlite:${join(dir, 'stale.db')}`);
    try {
      expect((await db.listAlerts({})).map((a) => `${a.level} ${a.title}`)).toContain(
        'CRITICAL STALE MARKET DATA',
      );
      expect(await db.listOrders({ runId: 'stale' })).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('trader kill halts a run (no orders) until trader resume', async () => {
    const { killTrader, resumeTrader } = await import('./admin-commands');
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(574) });
    const configPath = writeConfig('kill');
    const dbUrl = `sqlite:${join(dir, 'kill.db')}`;
    await runTrader({ createDatabase: true, configPath, once: true, logger });
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(575) });
    await killTrader(dbUrl, 'kill', 'test stop');
    const halted = await runTrader({ configPath, once: true, logger });
    expect(halted.cycles[0]?.status).toBe('halted');
    expect(halted.cycles[0]?.orders).toEqual([]);
    await resumeTrader(dbUrl, 'kill');
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(576) });
    const traded = await runTrader({ configPath, once: true, logger });
    expect(traded.cycles[0]?.status).toBe('traded');
  }, 60_000);

  it('a long-running trader survives a failed cycle (broker down) and trades at the next one', async () => {
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(580) });
    const configPath = writeConfig('outage');
    let seenFailure: () => void = () => undefined;
    const failed = new Promise<void>((resolve) => (seenFailure = resolve));
    let text = '';
    const outageLogger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, done) {
          text += chunk.toString();
          if (text.includes('"msg":"cycle failed')) seenFailure();
          done();
        },
      }),
    );
    await emulator.control('/__emulator/faults', 'POST', {
      kind: 'server_error',
      count: 1000,
      skip: 2,
      pathPrefix: '/v2/account',
    });
    // The start-up's reads go through (skip: 2: the run's fill history, the account); the first
    // cycle's reads all fail.
    const run = runTrader({
      createDatabase: true,
      configPath,
      maxCycles: 1,
      intervalMs: 0,
      logger: outageLogger,
    });
    run.catch(() => seenFailure());
    await failed;
    await emulator.control('/__emulator/faults', 'DELETE');
    const result = await run;
    expect(result.cycles).toHaveLength(1);
    expect(result.cycles[0]?.status).toBe('traded');
    expect(text).toMatch(/CYCLE FAILED/);
  }, 60_000);

  it('outside market hours: waits for the open (when_closed "wait"), or queues GTC orders ("queue")', async () => {
    // 04:00 New York, before the open.
    await emulator.control('/__emulator/clock', 'POST', {
      time: `${SESSIONS[585] as string}T08:00:00Z`,
    });
    let text = '';
    const controller = new AbortController();
    const waitLogger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, done) {
          text += chunk.toString();
          if (text.includes('market closed: waiting for the open')) controller.abort();
          done();
        },
      }),
    );
    const waited = await runTrader({
      createDatabase: true,
      configPath: writeConfig('closed-wait'),
      intervalMs: 50,
      logger: waitLogger,
      signal: controller.signal,
    });
    expect(waited.cycles).toEqual([]);
    expect(waited.stoppedBy).toBe('signal');
    const queued = await runTrader({
      createDatabase: true,
      configPath: writeConfig('closed-queue', { when_closed: 'queue' }),
      maxCycles: 1,
      intervalMs: 0,
      logger,
    });
    const report = queued.cycles[0];
    expect(report?.plannedOrders.length).toBeGreaterThan(0);
    expect(report?.plannedOrders.every((o) => o.timeInForce === 'gtc')).toBe(true);
    expect(report?.orders.every((o) => o.timeInForce === 'gtc')).toBe(true);
  }, 60_000);
});
