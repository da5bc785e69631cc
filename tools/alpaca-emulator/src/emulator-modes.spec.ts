import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startAlpacaEmulator, type AlpacaEmulator } from './emulator';

let dir: string;
const auth = { 'APCA-API-KEY-ID': 'emulator-key', 'APCA-API-SECRET-KEY': 'emulator-secret' };

async function get(emu: AlpacaEmulator, path: string): Promise<unknown> {
  return (await fetch(`${emu.url}${path}`, { headers: auth })).json();
}

async function post(emu: AlpacaEmulator, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

const buy = (id: string) => ({
  symbol: 'AAA',
  qty: '2',
  side: 'buy',
  type: 'market',
  time_in_force: 'gtc',
  client_order_id: id,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qp-alpaca-emu-'));
  writeFileSync(
    join(dir, 'AAA_1d.csv'),
    'timestamp,open,high,low,close,volume\n2024-07-01,10,11,9,10.5,100\n2024-07-02,10.5,12,10,11,100\n2024-07-03,11,12,10,12,100\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emulator modes', () => {
  it('serves a CSV folder and fills at the close of the latest bar before its clock', async () => {
    const emu = await startAlpacaEmulator({
      bars: { kind: 'csv', directory: dir },
      clock: '2024-07-02T15:00:00Z',
      slippageBps: 0,
    });
    try {
      const bars = (await get(
        emu,
        '/v2/stocks/bars?symbols=AAA&timeframe=1Day&start=2024-07-01',
      )) as { bars: Record<string, unknown[]> };
      expect(bars.bars['AAA']).toHaveLength(2); // the 07-03 bar is after the clock
      const order = (await post(emu, '/v2/orders', buy('csv-1'))) as { filled_avg_price: string };
      expect(order.filled_avg_price).toBe('11');
    } finally {
      await emu.close();
    }
  });

  it('queues orders while the market is closed in market_hours mode and fills them at the open', async () => {
    const emu = await startAlpacaEmulator({
      bars: { kind: 'csv', directory: dir },
      clock: '2024-07-02T12:00:00Z',
      fillMode: 'market_hours',
    });
    try {
      expect(((await get(emu, '/v2/clock')) as { is_open: boolean }).is_open).toBe(false);
      const order = (await post(emu, '/v2/orders', buy('mh-1'))) as { id: string; status: string };
      expect(order.status).toBe('new');
      await fetch(`${emu.url}/__emulator/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 2 * 3_600_000 }),
      });
      const after = (await get(emu, `/v2/orders/${order.id}`)) as { status: string };
      expect(after.status).toBe('filled');
    } finally {
      await emu.close();
    }
  });

  it('keeps the account across restarts with a state file', async () => {
    const stateFile = join(dir, 'state.json');
    const options = {
      bars: { kind: 'csv', directory: dir },
      clock: '2024-07-02T15:00:00Z',
      stateFile,
    } as const;
    const first = await startAlpacaEmulator(options);
    await post(first, '/v2/orders', buy('persist-1'));
    const cash = ((await get(first, '/v2/account')) as { cash: string }).cash;
    await first.close();
    const second = await startAlpacaEmulator(options);
    try {
      expect(((await get(second, '/v2/account')) as { cash: string }).cash).toBe(cash);
      const dup = await post(second, '/v2/orders', buy('persist-1'));
      expect(dup).toEqual({ code: 40010001, message: 'client_order_id must be unique' });
    } finally {
      await second.close();
    }
  });

  it('enforces a real rate limit when asked to', async () => {
    const emu = await startAlpacaEmulator({
      bars: { kind: 'csv', directory: dir },
      rateLimitPerMinute: 3,
    });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${emu.url}/v2/clock`, { headers: auth });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(last?.headers.get('x-ratelimit-limit')).toBe('3');
    } finally {
      await emu.close();
    }
  });

  it('runs as a CLI: one JSON line when listening, clean exit on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@quantpipe/source',
        '--import',
        'tsx',
        join(__dirname, 'main.ts'),
        '--port',
        '0',
        '--data',
        dir,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${String(code)}`)));
    });
    const event = JSON.parse(line) as { event: string; url: string; port: number };
    expect(event).toEqual({
      event: 'listening',
      url: `http://127.0.0.1:${event.port}`,
      port: event.port,
    });
    const res = await fetch(`${event.url}/v2/clock`, { headers: auth });
    expect(res.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
