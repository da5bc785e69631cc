/**
 * Canary secrets on PostgreSQL: the database password and the webhook token must appear
 * nowhere the trader writes — its log, its CLI output, its errors, and the bytes the
 * PostgreSQL server keeps on disk (the `strings` of the data directory).
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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
  type EmulatorProcess,
} from './testing/emulator-process';
import { startTestPostgres, type TestPostgres } from './testing/postgres';
import { startWebhookServer, type WebhookServer } from './testing/webhook-server';

const SESSIONS = weekdaySessions('2021-01-04', 600);
const PASSWORD = 'CANARYPGPASSWORD77';
const WEBHOOK_TOKEN = 'CANARYHOOKTOKEN77';

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets with a PostgreSQL database', () => {
  let emulator: EmulatorProcess;
  let webhook: WebhookServer;
  let pg: TestPostgres;
  let dir: string;

  beforeAll(async () => {
    [emulator, webhook, pg] = await Promise.all([
      startEmulator([
        '--start-date',
        '2021-01-04',
        '--sessions',
        '600',
        '--clock',
        `${SESSIONS[560] as string}T18:00:00Z`,
      ]),
      startWebhookServer(),
      startTestPostgres(),
    ]);
    pg.psql('create database trader');
    dir = mkdtempSync(join(tmpdir(), 'trader-pg-secrets-'));
    process.env['APCA_API_KEY_ID'] = EMULATOR_KEY;
    process.env['APCA_API_SECRET_KEY'] = EMULATOR_SECRET;
  }, 90_000);

  afterAll(async () => {
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    pg?.stop();
    await Promise.all([emulator?.stop(), webhook?.close()]);
  });

  it('neither the password in `database` nor the webhook token reach the log, the CLI, errors or the server files', async () => {
    const database = `postgres://postgres:${PASSWORD}@${pg.hostPort}/trader`;
    const configPath = join(dir, 'pg.json');
    const config = {
      alpaca_base_url: emulator.url,
      symbols: ['SYNA', 'SYNB'],
      benchmark_symbol: 'SPY',
      broker: 'alpaca',
      database,
      run_id: 'pg',
      history_days: 300,
      use_hourly: false,
      max_position_size: 0.05,
      retry_base_delay_ms: 20,
      fill_poll_interval_ms: 100,
      webhook_url: `http://127.0.0.1:${webhook.port}/hooks/${WEBHOOK_TOKEN}?token=${WEBHOOK_TOKEN}`,
    };
    writeFileSync(configPath, JSON.stringify(config));
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
    await emulator.control('/__emulator/faults', 'POST', {
      kind: 'insufficient_buying_power',
      count: 1,
      pathPrefix: '/v2/orders',
      method: 'POST',
    });
    const result = await runTrader({ createDatabase: true, configPath, once: true, logger });
    expect(result.cycles).toHaveLength(1);
    expect(webhook.received.some((r) => r.path.includes(WEBHOOK_TOKEN))).toBe(true);
    expect(logs).toMatch(/postgres:\/\/postgres:\[redacted\]@/);

    // Errors: a database that does not exist, through the CLI and the API.
    const missing = {
      ...config,
      database: `postgres://postgres:${PASSWORD}@${pg.hostPort}/nosuch`,
    };
    writeFileSync(join(dir, 'missing.json'), JSON.stringify(missing));
    let out = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (out += t) };
    expect(await runCli(['run', '--config', join(dir, 'missing.json'), '--once'], io)).not.toBe(0);
    expect(await runCli(['status', '--config', configPath], io)).toBe(0);
    expect(await runCli(['status', '--config', join(dir, 'missing.json')], io)).not.toBe(0);
    const error = await runTrader({
      configPath: join(dir, 'missing.json'),
      once: true,
      logger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);

    // What the server keeps on disk, after a checkpoint writes the tables out.
    expect(pg.psql("select count(*) from runs where run_id = 'pg'", 'trader').trim()).toBe('1');
    pg.psql('checkpoint');
    const stored = filesUnder(pg.dataDir).map((file) => readFileSync(file));
    for (const canary of [PASSWORD, WEBHOOK_TOKEN]) {
      expect(logs).not.toContain(canary);
      expect(out).not.toContain(canary);
      expect(String((error as Error).message)).not.toContain(canary);
      for (const bytes of stored) expect(bytes.includes(Buffer.from(canary))).toBe(false);
    }
    // The stored config is there, redacted.
    expect(pg.psql("select config from runs where run_id = 'pg'", 'trader')).toMatch(
      /\[redacted\]/,
    );
  }, 120_000);
});
