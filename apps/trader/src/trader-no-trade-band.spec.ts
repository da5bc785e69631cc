/**
 * The cost-benefit no-trade band on the IBKR venue: the engine estimates each trade with TWS's
 * fixed commission (the broker's default) and keeps the trades whose expected edge does not
 * pay for it, saying so in the cycle report, the summary line and the journal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { SKIP_BAND_COST_BENEFIT } from '@quantpipe/execution';
import { openDatabase } from '@quantpipe/storage';
import { createLogger } from './logger';
import { runTrader } from './run-trader';
import {
  EMULATOR_KEY,
  EMULATOR_SECRET,
  startEmulator,
  startTwsEmulator,
  type EmulatorProcess,
  type TwsEmulatorProcess,
} from './testing/emulator-process';

const START = '2021-01-04';
const SESSIONS = weekdaySessions(START, 600);
const NOW = `${SESSIONS[541] as string}T18:00:00Z`;

describe('trader on IBKR: the cost-benefit no-trade band', () => {
  let alpaca: EmulatorProcess;
  let tws: TwsEmulatorProcess;
  let dir: string;

  beforeAll(async () => {
    [alpaca, tws] = await Promise.all([
      startEmulator(['--start-date', START, '--sessions', '600', '--clock', NOW]),
      startTwsEmulator(['--start-date', START, '--sessions', '600', '--clock', NOW]),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'trader-band-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await Promise.all([alpaca?.stop(), tws?.stop()]);
  });

  async function runOnce(name: string, clientId: number, extra: Record<string, unknown>) {
    const configPath = join(dir, `${name}.json`);
    const database = `sqlite:${join(dir, `${name}.db`)}`;
    writeFileSync(
      configPath,
      JSON.stringify({
        broker: 'dual',
        alpaca_base_url: alpaca.url,
        ibkr_port: tws.port,
        ibkr_client_id: clientId,
        clock_start: NOW,
        symbols: ['SYNA', 'SYNB'],
        benchmark_symbol: 'SPY',
        database,
        run_id: name,
        history_days: 300,
        use_hourly: false,
        max_position_size: 0.05,
        fill_poll_interval_ms: 100,
        retry_base_delay_ms: 20,
        ...extra,
      }),
    );
    let text = '';
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, done) {
          text += chunk.toString();
          done();
        },
      }),
    );
    const result = await runTrader({ createDatabase: true, configPath, once: true, logger });
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { result, lines, database };
  }

  const ordersAtTws = async () =>
    ((await tws.control('/state')) as { orders: unknown[] }).orders.length;

  it('keeps trades whose edge does not cover the $1.00 minimum commission; off by default they go', async () => {
    // A band so strict no trade of this book is worth its cost.
    const banded = await runOnce('band-on', 41, { expected_edge_bps: 0.01 });
    const [report] = banded.result.cycles;
    expect(report?.status).toBe('idle');
    expect(report?.reason).toMatch(/trade\(s\) inside the no-trade band/);
    expect(report?.skippedOrders.length).toBeGreaterThan(0);
    for (const s of report?.skippedOrders ?? []) expect(s.reason).toBe(SKIP_BAND_COST_BENEFIT);
    expect(await ordersAtTws()).toBe(0);
    // The pre-trade cost lines charge TWS's fixed commission (no commission_model given).
    const costLines = banded.lines.filter((l) => l['msg'] === 'estimated cost');
    expect(costLines.length).toBe(report?.skippedOrders.length);
    for (const l of costLines) {
      expect(l['skipped']).toBe(SKIP_BAND_COST_BENEFIT);
      expect(l['commissionUsd']).toBeGreaterThanOrEqual(1);
      expect(l['costUsd'] as number).toBeGreaterThan(l['commissionUsd'] as number);
      expect(l['expectedEdgeUsd'] as number).toBeLessThan(l['costUsd'] as number);
    }
    // The summary line names the reason; the journal keeps the figures.
    const summary = banded.lines.find((l) => l['msg'] === 'cycle finished');
    expect(summary?.['line']).toContain(`skipped ${report?.skippedOrders.length ?? 0} (`);
    expect(summary?.['line']).toContain(SKIP_BAND_COST_BENEFIT);
    const db = await openDatabase(banded.database);
    try {
      const updates = await db.entries({ runId: 'band-on', kinds: ['order_update'] });
      expect(updates.map((e) => (e.payload as { reason?: string }).reason)).toEqual(
        report?.skippedOrders.map(() => SKIP_BAND_COST_BENEFIT),
      );
    } finally {
      await db.close();
    }

    // The same book with the default configuration trades.
    const plain = await runOnce('band-off', 42, {});
    const [traded] = plain.result.cycles;
    expect(traded?.status).toBe('traded');
    expect(traded?.skippedOrders).toEqual([]);
    expect(traded?.orders.length).toBe(report?.skippedOrders.length);
    expect(await ordersAtTws()).toBe(traded?.orders.length);
  }, 120_000);
});
