import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar, BarsRequest, MarketData } from '@quantpipe/core';
import {
  CSV_BAR_HEADER,
  InMemoryMarketData,
  generateSyntheticMarket,
} from '@quantpipe/data-adapters';
import { openDatabase } from '@quantpipe/storage';
import { parseBacktestConfig } from '../config/backtest-config';
import { equityCsv } from '../output/csv-files';
import { computeBacktestMetrics, metricLines } from '../output/performance';
import { buildHtmlReport } from '../report/html-report';
import { runBacktest } from '../runner/run-backtest';
import { openMarket } from './open-market';
import { ReadThroughCache } from './read-through-cache';

const gen = generateSyntheticMarket({
  sessions: 320,
  marketSymbol: 'SPY',
  symbols: [
    { symbol: 'AAA', beta: 1.1, idioVolDaily: 0.015, startPriceUsd: 30 },
    { symbol: 'BBB', beta: 0.8, idioVolDaily: 0.01, startPriceUsd: 80 },
  ],
  includeHourly: false,
});

function toCsv(bars: readonly Bar[]): string {
  return [
    CSV_BAR_HEADER,
    ...bars.map((b) => [b.timestamp, b.open, b.high, b.low, b.close, b.volume].join(',')),
  ].join('\n');
}

describe('bar sources', () => {
  it('backtests a CSV folder, with SPY as the default benchmark and the daily composite alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-csv-'));
    for (const symbol of ['AAA', 'BBB', 'SPY'])
      writeFileSync(join(dir, `${symbol}_1d.csv`), toCsv(gen.daily[symbol] ?? []));
    const config = parseBacktestConfig({
      source: 'csv',
      csv_dir: dir,
      symbols: ['AAA', 'BBB'],
      start: gen.dates[280],
    });
    const opened = await openMarket(config);
    expect(opened.market.benchmarkSymbol).toBe('SPY');
    expect(opened.market.hourly).toBeUndefined();
    expect(opened.startDate).toBe(gen.dates[280]);
    // The opened market comes with its bars as a (validated) source, which the run reads.
    await expect(
      opened.source?.getBars({ symbol: 'AAA', timeframe: '1Day', start: '2000-01-01' }),
    ).resolves.toEqual(opened.market.daily['AAA']);
    const { result, audit } = await runBacktest({ config, market: opened, runId: 'csv' });
    expect(result.compositeMode).toBe('daily');
    expect(result.compositeReason).toContain('no hourly bars of AAA');
    expect(audit.checks).toBe(40);
    await expect(openMarket({ ...config, symbols: ['AAA', 'ZZZ'] })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
  });

  it('runs without the benchmark when it is missing, using the fallback, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-csv-'));
    for (const symbol of ['AAA', 'BBB'])
      writeFileSync(join(dir, `${symbol}_1d.csv`), toCsv(gen.daily[symbol] ?? []));
    const config = parseBacktestConfig({
      source: 'csv',
      csv_dir: dir,
      symbols: ['AAA', 'BBB'],
      start: gen.dates[290],
    });
    const { result, audit } = await runBacktest({ config, runId: 'no-spy' });
    expect(result.benchmarkNote).toMatch(
      /benchmark SPY unavailable: the signals use the fallback market = returns × 0.6/,
    );
    expect(result.equity.every((p) => p.benchmarkClose === null)).toBe(true);
    const metrics = computeBacktestMetrics(result, audit);
    expect(metrics.benchmarkPerformance).toBeNull();
    expect(metrics.performance.benchmark).toBeNull();
    const html = await buildHtmlReport(result, metricLines(metrics));
    expect(html).toContain('benchmark SPY unavailable');
    expect(html).not.toMatch(/NaN|Infinity/);
    const [header, firstRow] = equityCsv(result.equity).split('\n');
    const column = (header ?? '').split(',').indexOf('benchmark_close');
    expect(column).toBeGreaterThan(0);
    expect((firstRow ?? '').split(',')[column]).toBe('');
  });

  it('downloads once into the cache, then serves the range from it', async () => {
    const calls: BarsRequest[] = [];
    const memory = new InMemoryMarketData({ daily: gen.daily });
    const upstream: MarketData = {
      getBars: async (r) => {
        calls.push(r);
        return memory.getBars(r);
      },
      getLatestBar: (s, t) => memory.getLatestBar(s, t),
    };
    const db = await openDatabase('sqlite::memory:');
    try {
      const cached = new ReadThroughCache(upstream, db);
      const request = {
        symbol: 'AAA',
        timeframe: '1Day' as const,
        start: gen.dates[0] as string,
        end: gen.dates[99] as string,
      };
      const first = await cached.getBars(request);
      const again = await cached.getBars({ ...request, start: gen.dates[10] as string });
      expect(first).toHaveLength(100);
      expect(again).toEqual(first.slice(10));
      expect(calls).toHaveLength(1);
      await cached.getBars({ ...request, end: gen.dates[150] as string });
      expect(calls).toHaveLength(2);
    } finally {
      await db.close();
    }
  });
});
