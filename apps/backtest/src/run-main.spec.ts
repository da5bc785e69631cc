import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar } from '@quantpipe/core';
import { CSV_BAR_HEADER, generateSyntheticMarket } from '@quantpipe/data-adapters';
import { runMain } from './run-main';

function toCsv(bars: readonly Bar[]): string {
  return [
    CSV_BAR_HEADER,
    ...bars.map((b) => [b.timestamp, b.open, b.high, b.low, b.close, b.volume].join(',')),
  ].join('\n');
}

function io() {
  const out = { text: '', isTTY: false, write: (t: string) => (out.text += t) };
  const err = { text: '', write: (t: string) => (err.text += t) };
  return { out, err, streams: { stdout: out, stderr: err } };
}

describe('runMain', () => {
  it('exits 2 and names the key on a bad flag value', async () => {
    const { err, streams } = io();
    expect(await runMain(['node', 'backtest', 'run', '--max-leverage', '-1'], streams)).toBe(2);
    expect(err.text).toContain('"pipeline.max_leverage"');
  });

  it('exits 1 on a data problem (unknown symbol)', async () => {
    const { err, streams } = io();
    const out = mkdtempSync(join(tmpdir(), 'bt-main-'));
    expect(
      await runMain(['node', 'backtest', 'run', '--symbols', 'NOPE', '--out', out], streams),
    ).toBe(1);
    expect(err.text).toContain('NOPE is not in the synthetic market');
  });

  it('runs a CSV folder whose files cover different date ranges', async () => {
    const gen = generateSyntheticMarket({
      sessions: 400,
      marketSymbol: 'SPY',
      symbols: [
        { symbol: 'AAA', beta: 1.1, idioVolDaily: 0.015, startPriceUsd: 30 },
        { symbol: 'BBB', beta: 0.8, idioVolDaily: 0.01, startPriceUsd: 80 },
        { symbol: 'CCC', beta: 1.3, idioVolDaily: 0.02, startPriceUsd: 12 },
      ],
      includeHourly: false,
    });
    const dir = mkdtempSync(join(tmpdir(), 'bt-ranges-'));
    const bars = (symbol: string) => gen.daily[symbol] ?? [];
    writeFileSync(join(dir, 'SPY_1d.csv'), toCsv(bars('SPY')));
    writeFileSync(join(dir, 'AAA_1d.csv'), toCsv(bars('AAA')));
    // BBB lists at session 150; CCC delists after session 330.
    writeFileSync(join(dir, 'BBB_1d.csv'), toCsv(bars('BBB').slice(150)));
    writeFileSync(join(dir, 'CCC_1d.csv'), toCsv(bars('CCC').slice(0, 331)));
    const out = mkdtempSync(join(tmpdir(), 'bt-ranges-out-'));
    const { out: stdout, err, streams } = io();
    const argv = ['node', 'backtest', 'run', '--source', 'csv', '--csv-dir', dir];
    argv.push('--symbols', 'AAA,BBB,CCC', '--warmup-sessions', '60', '--out', out, '--run-id', 'r');
    expect(await runMain(argv, streams)).toBe(0);
    expect(err.text).toBe('');
    expect(stdout.text).toMatch(/\| Universe changes \(listed, delisted\) +\| +1, 1 \|/);
    const metrics = JSON.parse(readFileSync(join(out, 'r', 'metrics.json'), 'utf8')) as {
      universeChanges: unknown;
      audit: { checks: number };
    };
    expect(metrics.universeChanges).toEqual([
      { symbol: 'BBB', change: 'listed', date: gen.dates[150] },
      { symbol: 'CCC', change: 'delisted', date: gen.dates[330] },
    ]);
    expect(metrics.audit.checks).toBe(400 - 60);
  }, 60_000);
});
