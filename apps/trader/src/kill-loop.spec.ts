/**
 * The trader kill loop: a long-running trader (the real CLI, as a child process) trading
 * against the Alpaca emulator is SIGKILLed at seeded random moments and restarted each time.
 * Afterwards: no client order id reached the venue twice, no venue fill is missing from the
 * database, and the venue holds what the journal's last decision intended.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { silentLogger } from '@quantpipe/core';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { openDatabase } from '@quantpipe/storage';
import { runTrader } from './run-trader';
import {
  EMULATOR_KEY,
  EMULATOR_SECRET,
  bundleEntry,
  spawnBundle,
  startEmulator,
  type EmulatorProcess,
} from './testing/emulator-process';
import { seededRandom } from '@quantpipe/core/testing';

const START = '2021-01-04';
const SESSIONS = weekdaySessions(START, 600);
const middayOf = (i: number): string => `${SESSIONS[i] as string}T18:00:00Z`;
/** SIGKILLs of a running trader. */
const KILLS = 12;
const SEED = 20261204;

describe('trader kill loop: SIGKILL at random moments of a long-running trader', () => {
  let emulator: EmulatorProcess;
  let dir: string;
  const env = { APCA_API_KEY_ID: EMULATOR_KEY, APCA_API_SECRET_KEY: EMULATOR_SECRET };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trader-kill-loop-'));
    [emulator] = await Promise.all([
      startEmulator(['--start-date', START, '--sessions', '600', '--clock', middayOf(450)]),
      bundleEntry('apps/trader/src/testing/gated-trader.ts', join(dir, 'trader.cjs')),
    ]);
    Object.assign(process.env, env);
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await emulator?.stop();
  });

  it(`${KILLS} kills (seed ${SEED}): every client order id reaches the venue at most once, no fill is lost, positions end at the journal's targets`, async () => {
    const configPath = join(dir, 'loop.json');
    const dbUrl = `sqlite:${join(dir, 'loop.db')}`;
    writeFileSync(
      configPath,
      JSON.stringify({
        alpaca_base_url: emulator.url,
        symbols: ['SYNA', 'SYNB', 'SYNC', 'SYND'],
        benchmark_symbol: 'SPY',
        broker: 'alpaca',
        database: dbUrl,
        run_id: 'loop',
        history_days: 120,
        use_hourly: false,
        max_position_size: 0.05,
        position_decay: false,
        log_level: 'info',
        fill_poll_interval_ms: 50,
      }),
    );
    const random = seededRandom(SEED);
    const spawnGated = () => {
      const child = spawnBundle(
        join(dir, 'trader.cjs'),
        ['run', '--config', configPath, '--interval-ms', '100', '--create-db'],
        env,
        'pipe',
      );
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      let cycles = 0;
      lines.on('line', (l) => {
        if (l.includes('"msg":"cycle finished"')) cycles += 1;
      });
      const ready = new Promise<void>((resolve) =>
        lines.on('line', (l) => l.includes('"msg":"ready"') && resolve()),
      );
      const started = new Promise<void>((resolve) =>
        lines.on('line', (l) => l.includes('"msg":"engine started"') && resolve()),
      );
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      return { child, ready, started, exit, cycles: () => cycles };
    };
    let session = 451;
    let kills = 0;
    let cyclesSeen = 0;
    const killDelays: number[] = [];
    let next = spawnGated();
    while (kills < KILLS) {
      const current = next;
      next = spawnGated();
      await current.ready;
      current.child.stdin?.write('go\n');
      await current.started;
      // A new session every 150 ms, so that the cycles keep trading; the kill comes at a
      // random moment 0..1500 ms after the engine started.
      const delayMs = Math.floor(random() * 1500);
      killDelays.push(delayMs);
      const ticker = setInterval(() => {
        session += 1;
        void emulator.control('/__emulator/clock', 'POST', { time: middayOf(session) });
      }, 150);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      clearInterval(ticker);
      current.child.kill('SIGKILL');
      const exit = await current.exit;
      expect(exit.signal).toBe('SIGKILL');
      kills += 1;
      cyclesSeen += current.cycles();
    }
    next.child.kill('SIGKILL');
    await next.exit;
    expect(session).toBeLessThan(599);

    // A last restart finishes any interrupted cycle and trades once more.
    session += 1;
    await emulator.control('/__emulator/clock', 'POST', { time: middayOf(session) });
    const final = await runTrader({ configPath, once: true, logger: silentLogger });
    expect(final.cycles[0]?.status).toBe('traded');

    const orders = (await emulator.api('/v2/orders?status=all&limit=500')) as {
      client_order_id: string;
      filled_qty: string;
    }[];
    const ids = orders.map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    const stats = (await emulator.control('/__emulator/stats')) as {
      byRoute: Record<string, number>;
    };
    expect(stats.byRoute['POST /v2/orders']).toBe(ids.length);
    const db = await openDatabase(dbUrl);
    try {
      // No fill lost: every share the venue filled is in the database's fills.
      const fills = await db.listFills();
      const filledInDb = new Map<string, number>();
      for (const f of fills)
        filledInDb.set(f.clientOrderId, (filledInDb.get(f.clientOrderId) ?? 0) + f.quantity);
      const lost = orders
        .filter((o) => Number(o.filled_qty) !== (filledInDb.get(o.client_order_id) ?? 0))
        .map((o) => [
          o.client_order_id,
          Number(o.filled_qty),
          filledInDb.get(o.client_order_id) ?? 0,
        ]);
      expect(lost).toEqual([]);
      const decisions = await db.entries({ runId: 'loop', kinds: ['decision'] });
      const intended = (
        decisions[decisions.length - 1]?.payload as { targets: Record<string, number> }
      ).targets;
      const held = (await emulator.api('/v2/positions')) as { symbol: string; qty: string }[];
      const heldBySymbol = Object.fromEntries(held.map((p) => [p.symbol, Number(p.qty)]));
      for (const [symbol, target] of Object.entries(intended))
        expect([symbol, heldBySymbol[symbol] ?? 0]).toEqual([symbol, target]);
      // The counts, for the record.
      process.stdout.write(
        `kill loop: ${kills} kills (delays ${killDelays.join(',')} ms), ${cyclesSeen} cycles finished before kills, ${ids.length} orders, ${fills.length} fills, ${decisions.length} decisions\n`,
      );
      expect(ids.length).toBeGreaterThan(KILLS);
    } finally {
      await db.close();
    }
  }, 240_000);
});
