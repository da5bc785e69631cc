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
const RUNS = 20;
/** Log messages after which the trader is killed (plus a small random delay). */
const TRIGGERS = [
  'engine started',
  'total estimated cost',
  'decision journaled',
  'order sent',
  'order sent',
  'cycle finished',
];

describe('crash recovery: SIGKILL at random points of a rebalance', () => {
  let emulator: EmulatorProcess;
  let dir: string;
  const env = { APCA_API_KEY_ID: EMULATOR_KEY, APCA_API_SECRET_KEY: EMULATOR_SECRET };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trader-crash-'));
    [emulator] = await Promise.all([
      startEmulator(['--start-date', START, '--sessions', '600', '--clock', middayOf(520)]),
      bundleEntry('apps/trader/src/testing/gated-trader.ts', join(dir, 'trader.cjs')),
    ]);
    Object.assign(process.env, env);
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await emulator?.stop();
  });

  it(`after each of ${RUNS} kills, the restarted trader reaches the intended targets and no client order id is sent twice`, async () => {
    const configPath = join(dir, 'crash.json');
    const dbUrl = `sqlite:${join(dir, 'crash.db')}`;
    writeFileSync(
      configPath,
      JSON.stringify({
        alpaca_base_url: emulator.url,
        symbols: ['SYNA', 'SYNB', 'SYNC', 'SYND'],
        benchmark_symbol: 'SPY',
        broker: 'alpaca',
        database: dbUrl,
        run_id: 'crash',
        history_days: 120,
        use_hourly: false,
        max_position_size: 0.05,
        log_level: 'info',
        fill_poll_interval_ms: 100,
      }),
    );
    const random = seededRandom(20261124);
    let interrupted = 0;
    let resumed = 0;
    // Each trader child (the CLI, bundled once above) is spawned one run ahead: it loads, then
    // waits for "go" on stdin, so its start-up overlaps with the previous run.
    const spawnGated = () => {
      const child = spawnBundle(
        join(dir, 'trader.cjs'),
        ['run', '--config', configPath, '--once', '--create-db'],
        env,
        'pipe',
      );
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      const ready = new Promise<void>((resolve) =>
        lines.on('line', (l) => l.includes('"msg":"ready"') && resolve()),
      );
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      return { child, lines, ready, exit };
    };
    let next = spawnGated();
    // Until RUNS trader processes have really been killed mid-run (a trigger late in the run
    // can lose the race against a normal exit; such runs count as restarts only).
    for (let i = 0; interrupted < RUNS; i++) {
      expect(i).toBeLessThan(2 * RUNS);
      const current = next;
      next = spawnGated();
      await emulator.control('/__emulator/clock', 'POST', { time: middayOf(521 + i) });
      const trigger = TRIGGERS[Math.floor(random() * TRIGGERS.length)] as string;
      const delayMs = Math.floor(random() * 25);
      let killed = false;
      current.lines.on('line', (line) => {
        if (!killed && line.includes(`"msg":"${trigger}"`)) {
          killed = true;
          setTimeout(() => current.child.kill('SIGKILL'), delayMs);
        }
      });
      await current.ready;
      current.child.stdin?.write('go\n');
      const exit = await current.exit;
      if (exit.signal === 'SIGKILL') interrupted += 1;
      else expect(exit.code).toBe(0);

      // Restart (in-process for speed): resume the interrupted cycle, then a fresh cycle.
      const result = await runTrader({
        createDatabase: true,
        configPath,
        once: true,
        logger: silentLogger,
      });
      const db = await openDatabase(dbUrl);
      try {
        const runStarted = await db.entries({ runId: 'crash', kinds: ['run_started'] });
        const lastStart = runStarted[runStarted.length - 1]?.payload as {
          resumedCycle: number | null;
        };
        if (lastStart.resumedCycle !== null) resumed += 1;
        const decisions = await db.entries({ runId: 'crash', kinds: ['decision'] });
        const intended = (
          decisions[decisions.length - 1]?.payload as { targets: Record<string, number> }
        ).targets;
        const held = (await emulator.api('/v2/positions')) as { symbol: string; qty: string }[];
        const heldBySymbol = Object.fromEntries(held.map((p) => [p.symbol, Number(p.qty)]));
        // Idle when the restart's recovery already reached every target.
        expect(result.cycles[0]?.status).toMatch(/^(traded|idle)$/);
        for (const [symbol, target] of Object.entries(intended))
          expect([i, symbol, heldBySymbol[symbol] ?? 0]).toEqual([i, symbol, target]);
      } finally {
        await db.close();
      }
    }
    next.child.kill('SIGKILL');
    await next.exit;
    // Every client order id reached the venue exactly once.
    const orders = (await emulator.api('/v2/orders?status=all&limit=500')) as {
      client_order_id: string;
    }[];
    const ids = orders.map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    const stats = (await emulator.control('/__emulator/stats')) as {
      byRoute: Record<string, number>;
    };
    expect(stats.byRoute['POST /v2/orders']).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(RUNS);
    expect(interrupted).toBe(RUNS);
    expect(resumed).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
