import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@quantpipe/core';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { openDatabase } from '@quantpipe/storage';
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
const middayOf = (i: number): string => `${SESSIONS[i] as string}T18:00:00Z`;

describe('trader run --broker dual: Alpaca emulator data, TWS emulator execution', () => {
  let alpaca: EmulatorProcess;
  let tws: TwsEmulatorProcess;
  let dir: string;

  beforeAll(async () => {
    [alpaca, tws] = await Promise.all([
      startEmulator(['--start-date', START, '--sessions', '600', '--clock', middayOf(540)]),
      startTwsEmulator([
        '--start-date',
        START,
        '--sessions',
        '600',
        '--clock',
        middayOf(540),
        '--cash',
        '100000',
        '--leverage',
        '2',
      ]),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'trader-dual-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await Promise.all([alpaca?.stop(), tws?.stop()]);
  });

  it('several rebalance cycles land orders, fills, positions, portfolio snapshots and alerts in the database; broker disconnects mid-cycle are survived', async () => {
    const dbUrl = `sqlite:${join(dir, 'dual.db')}`;
    const configPath = join(dir, 'dual.json');
    for (let day = 0; day < 3; day++) {
      const now = middayOf(541 + day);
      await alpaca.control('/__emulator/clock', 'POST', { time: now });
      writeFileSync(
        configPath,
        JSON.stringify({
          alpaca_base_url: alpaca.url,
          ibkr_port: tws.port,
          ibkr_client_id: 7 + day,
          symbols: ['SYNA', 'SYNB', 'SYNC'],
          benchmark_symbol: 'SPY',
          broker: 'dual',
          database: dbUrl,
          run_id: 'dual',
          history_days: 400,
          use_hourly: false,
          max_position_size: 0.05,
          fill_poll_interval_ms: 100,
          retry_base_delay_ms: 20,
          clock_start: now,
        }),
      );
      // Connection drops mid-cycle: after the venue booked an order (day 1), and with the order
      // lost on the way (day 2). Each order must still reach the venue exactly once.
      if (day === 1)
        await tws.control('/faults', 'POST', { orderDrop: { mode: 'before-fill', count: 1 } });
      if (day === 2)
        await tws.control('/faults', 'POST', { orderDrop: { mode: 'order-lost', count: 1 } });
      const result = await runTrader({
        createDatabase: true,
        configPath,
        once: true,
        logger: silentLogger,
      });
      expect(result.cycles[0]?.status).toBe('traded');
    }
    // The venue booked each client order id once, and holds what the journal says.
    const state = (await tws.control('/state')) as {
      orders: { orderRef: string }[];
      positions: { symbol: string; quantity: number }[];
    };
    const refs = state.orders.map((o) => o.orderRef);
    expect(new Set(refs).size).toBe(refs.length);
    const db = await openDatabase(dbUrl);
    try {
      const orders = await db.listOrders({ runId: 'dual' });
      expect(orders.map((o) => o.clientOrderId).sort()).toEqual([...refs].sort());
      expect(orders.length).toBeGreaterThanOrEqual(3);
      expect(orders.every((o) => o.status === 'filled')).toBe(true);
      expect((await db.listFills()).length).toBe(orders.length);
      expect((await db.getPortfolioSnapshots()).length).toBe(3);
      expect((await db.listAlerts({})).map((a) => a.title)).toContain('REBALANCE COMPLETED');
      const latest = await db.getLatestPositions();
      const held = Object.fromEntries((latest?.positions ?? []).map((p) => [p.symbol, p.quantity]));
      const decisions = await db.entries({ runId: 'dual', kinds: ['decision'] });
      const targets = (
        decisions[decisions.length - 1]?.payload as { targets: Record<string, number> }
      ).targets;
      const venue = Object.fromEntries(state.positions.map((p) => [p.symbol, p.quantity]));
      for (const [symbol, target] of Object.entries(targets)) {
        expect(held[symbol] ?? 0).toBe(target);
        expect(venue[symbol] ?? 0).toBe(target);
      }
    } finally {
      await db.close();
    }
  }, 90_000);

  it('--broker ibkr: bars and execution both from TWS', async () => {
    const dbUrl = `sqlite:${join(dir, 'ibkr.db')}`;
    const configPath = join(dir, 'ibkr.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        ibkr_port: tws.port,
        ibkr_client_id: 21,
        symbols: ['SYNA', 'SYNB'],
        benchmark_symbol: 'SPY',
        broker: 'ibkr',
        database: dbUrl,
        run_id: 'ibkr',
        history_days: 300,
        use_hourly: false,
        max_position_size: 0.05,
        fill_poll_interval_ms: 100,
        retry_base_delay_ms: 20,
        clock_start: middayOf(545),
      }),
    );
    const result = await runTrader({
      createDatabase: true,
      configPath,
      once: true,
      logger: silentLogger,
    });
    const report = result.cycles[0];
    expect(report?.status).toBe('traded');
    expect(report?.decisions.map((d) => d.symbol)).toEqual(['SYNA', 'SYNB']);
    expect(report?.orders.length).toBe(report?.plannedOrders.length);
    for (const order of report?.orders ?? []) expect(order.status).toBe('filled');
  }, 60_000);
});
