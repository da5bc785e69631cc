import { DataError, type Bar } from '@quantpipe/core';
import { benchmarkFilledDates, marketDataWarnings } from './market-data-warnings';

const bar = (symbol: string, timestamp: string, close: number): Bar => ({
  symbol,
  timestamp,
  open: close,
  high: close,
  low: close,
  close,
  volume: 100,
});

const series = (symbol: string, closes: Record<string, number>): Bar[] =>
  Object.entries(closes).map(([date, close]) => bar(symbol, date, close));

describe('benchmarkFilledDates', () => {
  it('names each date a symbol trades and the benchmark lacks, after the benchmark starts', () => {
    const spy = series('SPY', { '2024-01-03': 400, '2024-01-04': 401, '2024-01-08': 402 });
    const daily = {
      SPY: spy,
      // 01-02 is before the benchmark's first bar: NaN there, not filled.
      AAA: series('AAA', {
        '2024-01-02': 10,
        '2024-01-03': 10,
        '2024-01-05': 11,
        '2024-01-08': 11,
      }),
      BBB: series('BBB', { '2024-01-03': 20, '2024-01-05': 21, '2024-01-09': 22 }),
    };
    expect(benchmarkFilledDates('SPY', spy, daily)).toEqual([
      {
        symbol: 'SPY',
        timestamp: '2024-01-05',
        kind: 'benchmark_filled',
        detail: 'no SPY bar on 2024-01-05: its previous return is carried forward for AAA, BBB',
      },
      {
        symbol: 'SPY',
        timestamp: '2024-01-09',
        kind: 'benchmark_filled',
        detail: 'no SPY bar on 2024-01-09: its previous return is carried forward for BBB',
      },
    ]);
    expect(benchmarkFilledDates('SPY', [], daily)).toEqual([]);
  });
});

describe('marketDataWarnings', () => {
  const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
  const closes = (values: number[]): Record<string, number> =>
    Object.fromEntries(values.map((v, i) => [dates[i] as string, v]));

  it('lists a x1000 spike and the benchmark fills, as data', () => {
    const daily = {
      SPY: series('SPY', { '2024-01-02': 400, '2024-01-03': 401, '2024-01-05': 403 }),
      AAA: series('AAA', closes([10, 10000, 10.1, 10.2])),
    };
    const warnings = marketDataWarnings({ daily, benchmarkSymbol: 'SPY' });
    expect(warnings.map((w) => [w.symbol, w.timestamp, w.kind])).toEqual([
      ['AAA', '2024-01-03', 'price_jump'],
      ['AAA', '2024-01-04', 'price_jump'],
      ['SPY', '2024-01-04', 'benchmark_filled'],
    ]);
  });

  it('checks hourly series too, honours the threshold, and throws in error mode', () => {
    const hourly = {
      AAA: [bar('AAA', '2024-01-02T15:00:00Z', 10), bar('AAA', '2024-01-02T16:00:00Z', 25)],
    };
    const daily = { AAA: series('AAA', closes([10, 12, 11, 10])) };
    expect(marketDataWarnings({ daily, hourly, benchmarkSymbol: 'SPY' })).toEqual([]);
    const tight = marketDataWarnings({
      daily,
      hourly,
      benchmarkSymbol: 'SPY',
      plausibility: { maxJumpRatio: 2 },
    });
    expect(tight.map((w) => w.timestamp)).toEqual(['2024-01-02T16:00:00Z']);
    expect(() =>
      marketDataWarnings({
        daily,
        hourly,
        benchmarkSymbol: 'SPY',
        plausibility: { maxJumpRatio: 2, onImplausible: 'error' },
      }),
    ).toThrow(DataError);
  });
});
