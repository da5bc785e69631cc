import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { openDatabase } from '@quantpipe/storage';
import { runCli } from './cli';
import {
  EMULATOR_KEY,
  EMULATOR_SECRET,
  spawnTs,
  startEmulator,
  type EmulatorProcess,
} from './testing/emulator-process';

function capture() {
  let out = '';
  let err = '';
  return {
    io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t) },
    out: () => out,
    err: () => err,
  };
}

describe('trader CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trader-cli-'));

  it('a broken config exits 2 with a message naming the key', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ symbols: ['AAPL'], max_leverage: 'high', colour: 'blue' }),
    );
    const c = capture();
    expect(await runCli(['run', '--config', path, '--once'], c.io)).toBe(2);
    expect(c.err()).toMatch(/max_leverage/);
    expect(c.err()).toMatch(/colour/);
  });

  it('unknown options and missing files are reported', async () => {
    const c = capture();
    expect(await runCli(['run', '--config', join(dir, 'missing.json')], c.io)).toBe(2);
    expect(c.err()).toMatch(/cannot read/);
    expect(await runCli(['run', '--config', 'x', '--broker', 'robinhood'], capture().io)).toBe(2);
  });

  it('kill, status and resume share the database', async () => {
    const db = `sqlite:${join(dir, 'admin.db')}`;
    const c = capture();
    expect(await runCli(['init', '--db', db], c.io)).toBe(0);
    const handle = await openDatabase(db);
    await handle.createRun({ runId: 'r1', startedAt: '2024-05-01T00:00:00Z' });
    await handle.close();
    expect(
      await runCli(['kill', '--db', db, '--run-id', 'r1', '--reason', 'maintenance'], c.io),
    ).toBe(0);
    expect(await runCli(['status', '--db', db, '--run-id', 'r1'], c.io)).toBe(0);
    expect(c.out()).toMatch(/"tripped": true/);
    expect(c.out()).toMatch(/maintenance/);
    expect(await runCli(['resume', '--db', db, '--run-id', 'r1'], c.io)).toBe(0);
    const c2 = capture();
    await runCli(['status', '--db', db, '--run-id', 'r1'], c2.io);
    expect(c2.out()).toMatch(/"tripped": false/);
  });

  describe('graceful shutdown', () => {
    let emulator: EmulatorProcess;
    const sessions = weekdaySessions('2021-01-04', 600);
    beforeAll(async () => {
      emulator = await startEmulator([
        '--start-date',
        '2021-01-04',
        '--sessions',
        '600',
        '--clock',
        `${sessions[550] as string}T18:00:00Z`,
      ]);
    }, 60_000);
    afterAll(async () => emulator?.stop());

    it('SIGTERM during `trader run` finishes the step in flight, records the run as stopped and exits 0', async () => {
      const path = join(dir, 'loop.json');
      const dbFile = join(dir, 'loop.db');
      writeFileSync(
        path,
        JSON.stringify({
          alpaca_base_url: emulator.url,
          symbols: ['SYNA', 'SYNB'],
          benchmark_symbol: 'SPY',
          broker: 'alpaca',
          database: `sqlite:${dbFile}`,
          run_id: 'loop',
          history_days: 300,
          use_hourly: false,
        }),
      );
      const child = spawnTs(
        'apps/trader/src/main.ts',
        ['run', '--config', path, '--interval-ms', '200', '--create-db'],
        { APCA_API_KEY_ID: EMULATOR_KEY, APCA_API_SECRET_KEY: EMULATOR_SECRET },
      );
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      const seen: string[] = [];
      let signalled = false;
      lines.on('line', (line) => {
        seen.push(line);
        if (!signalled && line.includes('"msg":"cycle finished"')) {
          signalled = true;
          child.kill('SIGTERM');
        }
      });
      const code = await new Promise<number | null>((resolve) =>
        child.once('exit', (c) => resolve(c)),
      );
      expect(code).toBe(0);
      expect(seen.some((l) => l.includes('"msg":"trader stopped"'))).toBe(true);
      const db = await openDatabase(`sqlite:${dbFile}`);
      try {
        expect((await db.getRun('loop')).status).toBe('stopped');
        expect(
          (await db.entries({ runId: 'loop', kinds: ['cycle_completed'] })).length,
        ).toBeGreaterThanOrEqual(1);
      } finally {
        await db.close();
      }
    }, 60_000);
  });
});
