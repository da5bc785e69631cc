import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { silentLogger } from '@quantpipe/core';
import { openDatabase } from '@quantpipe/storage';
import { runTrader } from './run-trader';
import {
  EMULATOR_KEY,
  EMULATOR_SECRET,
  startEmulator,
  type EmulatorProcess,
} from './testing/emulator-process';

const START = '2021-01-04';
const SESSIONS = weekdaySessions(START, 600);
/** 18:00 New York on a session: the market is closed. */
const eveningOf = (i: number): string => `${SESSIONS[i] as string}T23:00:00Z`;
/** 13:00 New York on a session: the market is open. */
const middayOf = (i: number): string => `${SESSIONS[i] as string}T18:00:00Z`;

describe('trader cycle outcomes against the Alpaca emulator (market hours)', () => {
  let emulator: EmulatorProcess;
  let dir: string;

  beforeAll(async () => {
    emulator = await startEmulator([
      '--start-date',
      START,
      '--sessions',
      '600',
      '--clock',
      eveningOf(560),
      '--fill-mode',
      'market_hours',
    ]);
    dir = mkdtempSync(join(tmpdir(), 'trader-outcomes-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await emulator?.stop();
  });

  it('--once with the market closed queues every adding leg GTC (none silently dropped); a cycle with nothing to do is idle', async () => {
    const configPath = join(dir, 'closed.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        alpaca_base_url: emulator.url,
        symbols: ['SYNA', 'SYNB', 'SYNC'],
        benchmark_symbol: 'SPY',
        broker: 'alpaca',
        database: `sqlite:${join(dir, 'closed.db')}`,
        run_id: 'closed',
        history_days: 500,
        max_position_size: 0.1,
        retry_base_delay_ms: 20,
      }),
    );
    const closed = await runTrader({
      createDatabase: true,
      configPath,
      once: true,
      logger: silentLogger,
    });
    const cycle = closed.cycles[0];
    expect(cycle?.plannedOrders.length).toBeGreaterThan(0);
    expect(cycle?.plannedOrders.every((o) => o.timeInForce === 'gtc')).toBe(true);
    // Every planned leg reached the venue (queued) or was skipped with a reason.
    expect((cycle?.orders.length ?? 0) + (cycle?.skippedOrders.length ?? 0)).toBe(
      cycle?.plannedOrders.length,
    );
    expect(cycle?.orders.length).toBeGreaterThan(0);
    expect(cycle?.status).toBe('traded');
    const queued = (await emulator.api('/v2/orders?status=open')) as { time_in_force: string }[];
    expect(queued.length).toBe(cycle?.orders.length);
    expect(queued.every((o) => o.time_in_force === 'gtc')).toBe(true);

    // At the open the queued orders fill, and the session's cycle trades to its targets; a
    // second cycle at the same instant (same bars, targets held) has nothing to do: idle.
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(561) });
    const open = await runTrader({ configPath, once: true, logger: silentLogger });
    expect(open.cycles[0]?.status).toBe('traded');
    const again = (await runTrader({ configPath, once: true, logger: silentLogger })).cycles[0];
    expect(again?.orders).toEqual([]);
    expect(again?.status).toBe('idle');
    expect(again?.reason).toBe('no orders: every position is at its target');
    const db = await openDatabase(`sqlite:${join(dir, 'closed.db')}`, { create: false });
    try {
      const mismatches = (await db.listAlerts({})).filter((a) => a.title === 'POSITION MISMATCH');
      expect(mismatches).toEqual([]);
    } finally {
      await db.close();
    }
  }, 90_000);
});
