/**
 * Misleading output on the IBKR venues: the same cause gives the same answer on every venue,
 * and TWS connection losses are logged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { weekdaySessions } from '@quantpipe/data-adapters';
import { runCli } from './cli';
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
const middayOf = (i: number): string => `${SESSIONS[i] as string}T18:00:00Z`;

describe('trader on the IBKR venues: clear failures and logged reconnects', () => {
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
    dir = mkdtempSync(join(tmpdir(), 'trader-venues-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 60_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    await Promise.all([alpaca?.stop(), tws?.stop()]);
  });

  function writeConfig(name: string, extra: Record<string, unknown>): string {
    const path = join(dir, `${name}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        alpaca_base_url: alpaca.url,
        ibkr_port: tws.port,
        symbols: ['SYNA', 'SYNB'],
        benchmark_symbol: 'SPY',
        database: `sqlite:${join(dir, `${name}.db`)}`,
        run_id: name,
        history_days: 300,
        use_hourly: false,
        max_position_size: 0.05,
        fill_poll_interval_ms: 100,
        retry_base_delay_ms: 20,
        ...extra,
      }),
    );
    return path;
  }

  it('9. replayed data without clock_start: dual and ibkr fail the same way, naming clock_start, before any order', async () => {
    const answers: string[] = [];
    for (const [broker, clientId] of [
      ['dual', 31],
      ['ibkr', 32],
    ] as const) {
      let err = '';
      const io = { out: () => undefined, err: (t: string) => void (err += t) };
      const configPath = writeConfig(`noclock-${broker}`, { broker, ibkr_client_id: clientId });
      expect(await runCli(['run', '--config', configPath, '--once', '--create-db'], io)).toBe(2);
      expect(err).toMatch(/benchmark_symbol: the venue has no daily bars for SPY/);
      expect(err).toMatch(/clock_start/);
      answers.push(err.replace(/\(\d{4}-[^)]*\)/g, '(now)'));
    }
    expect(answers[0]).toBe(answers[1]);
    const state = (await tws.control('/state')) as { orders: unknown[] };
    expect(state.orders).toEqual([]);
  }, 90_000);

  it('9. TWS disconnects and reconnects are logged', async () => {
    const now = middayOf(541);
    await alpaca.control('/__emulator/clock', 'POST', { time: now });
    const configPath = writeConfig('reconnect', {
      broker: 'dual',
      ibkr_client_id: 33,
      clock_start: now,
    });
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
    await tws.control('/faults', 'POST', { orderDrop: { mode: 'before-fill', count: 1 } });
    const result = await runTrader({ createDatabase: true, configPath, once: true, logger });
    expect(result.cycles[0]?.status).toBe('traded');
    expect(text).toMatch(/"msg":"ibkr: disconnected"/);
    expect((text.match(/"msg":"ibkr: connected"/g) ?? []).length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
