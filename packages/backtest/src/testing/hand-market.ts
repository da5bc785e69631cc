import type { Bar } from '@quantpipe/core';
import type { OpenedMarket } from '../data/open-market';

/** Sessions of the hand-made market (weekdays, January 2024). */
export const HAND_DATES = [
  '2024-01-01',
  '2024-01-02',
  '2024-01-03',
  '2024-01-04',
  '2024-01-05',
  '2024-01-08',
];

function bars(symbol: string, ohlc: readonly (readonly [number, number])[]): Bar[] {
  return ohlc.map(([open, close], i) => ({
    symbol,
    timestamp: HAND_DATES[i] as string,
    open,
    high: Math.max(open, close) + 1,
    low: Math.min(open, close) - 1,
    close,
    volume: 1_000_000,
  }));
}

/**
 * A tiny market with round prices (open, close) for a known-answer test: AAA is traded, MKT is
 * the benchmark. Trading starts on the third session so three daily bars are visible.
 */
export function handMarket(): OpenedMarket {
  return {
    market: {
      label: 'hand-made market',
      symbols: ['AAA'],
      benchmarkSymbol: 'MKT',
      daily: {
        AAA: bars('AAA', [
          [100, 100],
          [100, 100],
          [100, 100],
          [102, 104],
          [105, 100],
          [99, 101],
        ]),
        MKT: bars('MKT', [
          [50, 50],
          [50, 50],
          [50, 50],
          [50, 51],
          [51, 50],
          [50, 50],
        ]),
      },
      hourly: undefined,
      hourlyReason: 'no hourly bars',
    },
    startDate: HAND_DATES[2] as string,
    endDate: HAND_DATES[5] as string,
  };
}
