/**
 * Implausible bars and benchmark gaps reach the report: a one-day ×1000 spike in a CSV file and
 * a date the benchmark lacks are listed as data warnings (result, report, metrics), or, with
 * `implausible_bars: error`, stop the run before it starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, type Bar } from '@quantpipe/core';
import { CSV_BAR_HEADER, generateSyntheticMarket } from '@quantpipe/data-adapters';
import { parseBacktestConfig } from '../config/backtest-config';
import { computeBacktestMetrics, metricLines } from '../output/performance';
import { buildHtmlReport } from '../report/html-report';
import { runBacktest } from '../runner/run-backtest';
import { openMarket } from './open-market';

const gen = generateSyntheticMarket({
  sessions: 320,
  marketSymbol: 'SPY',
  symbols: [
    { symbol: 'AAA', beta: 1.1, idioVolDaily: 0.015, startPriceUsd: 30 },
    { symbol: 'BBB', beta: 0.8, idioVolDaily: 0.01, startPriceUsd: 80 },
  ],
  includeHourly: false,
});
const SPIKE = 200;
const GAP = 250;

function toCsv(bars: readonly Bar[]): string {
  return [
    CSV_BAR_HEADER,
    ...bars.map((b) => [b.timestamp, b.open, b.high, b.low, b.close, b.volume].join(',')),
  ].join('\n');
}

describe('data warnings of a backtest', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bt-warn-'));
    const spiked = (gen.daily['AAA'] ?? []).map((b, i) =>
      i === SPIKE
        ? {
            ...b,
            open: b.open * 1000,
            high: b.high * 1000,
            low: b.low * 1000,
            close: b.close * 1000,
          }
        : b,
    );
    writeFileSync(join(dir, 'AAA_1d.csv'), toCsv(spiked));
    writeFileSync(join(dir, 'BBB_1d.csv'), toCsv(gen.daily['BBB'] ?? []));
    writeFileSync(
      join(dir, 'SPY_1d.csv'),
      toCsv((gen.daily['SPY'] ?? []).filter((_b, i) => i !== GAP)),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the x1000 spike and the benchmark fill in the result, the report and the metrics', async () => {
    const config = parseBacktestConfig({
      source: 'csv',
      csv_dir: dir,
      symbols: ['AAA', 'BBB'],
      start: gen.dates[300],
    });
    const { result, audit } = await runBacktest({ config, runId: 'warn' });
    const at = (i: number): string => gen.dates[i] as string;
    expect(result.dataWarnings?.map((w) => [w.symbol, w.timestamp, w.kind])).toEqual([
      ['AAA', at(SPIKE), 'price_jump'],
      ['AAA', at(SPIKE + 1), 'price_jump'],
      ['SPY', at(GAP), 'benchmark_filled'],
      // and the exchange traded that day: the benchmark misses a session of its calendar
      ['SPY', at(GAP), 'missing_session'],
    ]);
    expect(result.dataWarnings?.[2]?.detail).toBe(
      `no SPY bar on ${at(GAP)}: its previous return is carried forward for AAA, BBB`,
    );
    const html = await buildHtmlReport(result, metricLines(computeBacktestMetrics(result, audit)));
    expect(html).toContain(
      '<section id="data-warnings"><h2>Data warnings (2 price jump, 1 benchmark filled, 1 missing exchange session)</h2>',
    );
    expect(html).toContain(`no SPY bar on ${at(GAP)}`);
  });

  it('stops before the run with implausible_bars: error, and honours max_price_jump', async () => {
    const base = { source: 'csv', csv_dir: dir, symbols: ['AAA', 'BBB'], start: gen.dates[300] };
    const strict = parseBacktestConfig({ ...base, implausible_bars: 'error' });
    await expect(openMarket(strict)).rejects.toBeInstanceOf(DataError);
    await expect(openMarket(strict)).rejects.toThrow(`AAA bar ${gen.dates[SPIKE] as string}`);
    const lenient = await openMarket(parseBacktestConfig({ ...base, max_price_jump: 2000 }));
    expect(lenient.dataWarnings?.map((w) => w.kind)).toEqual([
      'benchmark_filled',
      'missing_session',
    ]);
    expect(() => parseBacktestConfig({ ...base, max_price_jump: 1 })).toThrow(/max_price_jump/);
  });

  it('finds nothing in the synthetic market', async () => {
    const opened = await openMarket(parseBacktestConfig({ synthetic: { sessions: 300 } }));
    expect(opened.dataWarnings).toEqual([]);
  });
});
