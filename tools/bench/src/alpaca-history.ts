/**
 * Benchmark: downloading history through the real Alpaca client from the loopback emulator.
 * Ten years of daily bars for nine symbols in one paginated multi-symbol download, and two
 * years of hourly bars for one symbol, at several page sizes. Measures the adapter's whole path
 * (HTTP, JSON, the client's pagination, conversion, validation) on 127.0.0.1.
 *
 * Run from the workspace root:
 *   node --conditions=@quantpipe/source --import tsx tools/bench/src/alpaca-history.ts
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AlpacaMarketData } from '@quantpipe/data-adapters/alpaca';
import { summarize } from './harness';

/** Starts the emulator CLI (a separate process, as in the tests) and reads its JSON line. */
async function startEmulator(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@quantpipe/source',
      '--import',
      'tsx',
      'tools/alpaca-emulator/src/main.ts',
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => child.kill('SIGTERM') };
}

async function timeRuns(
  runs: number,
  fn: () => Promise<number>,
): Promise<{ bars: number; samplesMs: number[] }> {
  await fn(); // warm-up
  const samplesMs: number[] = [];
  let bars = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    bars = await fn();
    samplesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { bars, samplesMs };
}

async function main(): Promise<void> {
  const emulator = await startEmulator();
  try {
    const symbols = ['SPY', 'SYNA', 'SYNB', 'SYNC', 'SYND', 'SYNE', 'SYNF', 'SYNG', 'SYNH'];
    const clockAnswer = await fetch(`${emulator.url}/__emulator/stats`);
    const clock = new Date(((await clockAnswer.json()) as { now: string }).now);
    const end = clock.toISOString();
    const tenYearsAgo = new Date(
      clock.getTime() - 10 * 365.25 * 86_400_000 + 86_400_000,
    ).toISOString();
    const twoYearsAgo = new Date(
      clock.getTime() - 2 * 365.25 * 86_400_000 + 86_400_000,
    ).toISOString();
    const rows: Record<string, unknown>[] = [];
    for (const pageLimit of [1000, 10_000]) {
      const data = new AlpacaMarketData({
        keyId: 'emulator-key',
        secretKey: 'emulator-secret',
        baseUrl: emulator.url,
        dataBaseUrl: emulator.url,
        pageLimit,
        requestsPerMinute: 100_000, // measure the client, not Alpaca's limit
      });
      const daily = await timeRuns(5, async () => {
        const m = await data.getBarsForSymbols(symbols, '1Day', tenYearsAgo, end);
        return [...m.values()].reduce((n, l) => n + l.length, 0);
      });
      const hourly = await timeRuns(
        5,
        async () =>
          (await data.getBars({ symbol: 'SYNA', timeframe: '1Hour', start: twoYearsAgo, end }))
            .length,
      );
      for (const [name, r] of [
        ['daily 10y x 9 symbols', daily],
        ['hourly 2y x 1 symbol', hourly],
      ] as const) {
        const s = summarize(r.samplesMs);
        rows.push({
          case: name,
          pageLimit,
          bars: r.bars,
          pages: Math.ceil(r.bars / pageLimit),
          medianMs: Number(s.medianMs.toFixed(1)),
          minMs: Number(s.minMs.toFixed(1)),
          maxMs: Number(s.maxMs.toFixed(1)),
          barsPerSecond: Math.round(r.bars / (s.medianMs / 1000)),
        });
      }
    }
    console.table(rows);
    console.log(
      'Note: emulator and client run as two processes on a shared 2-core machine; other work was running.',
    );
  } finally {
    emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
