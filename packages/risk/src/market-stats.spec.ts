import { DataError, ValidationError } from '@quantpipe/core';
import type { Bar } from '@quantpipe/core';
import { marketStatsFromBars } from './market-stats';
import { loadFixture, withinTolerance } from './testing/golden';
import type { GoldenRisk } from './testing/golden';

const golden = loadFixture<GoldenRisk>('golden-risk.json').slippage.real_data;
const { bars } = loadFixture<{ bars: Record<string, Bar[]> }>('synthetic-last20-bars.json');

const bar = (close: number, volume: number, i: number): Bar => ({
  symbol: 'X',
  timestamp: `2024-01-${String(i + 1).padStart(2, '0')}`,
  open: close,
  high: close,
  low: close,
  close,
  volume,
});

describe('marketStatsFromBars', () => {
  it.each(['SYNA', 'SYNB', 'SYNC'])(
    'reproduces the reference adv and volatility of %s from its last 20 daily bars',
    (symbol) => {
      const ref = golden.find((c) => c.symbol === symbol);
      const series = bars[symbol] as Bar[];
      expect(ref).toBeDefined();
      const stats = marketStatsFromBars(series);
      expect(withinTolerance(stats.adv, ref?.adv as number)).toBe(true);
      expect(withinTolerance(stats.volatility, ref?.volatility as number)).toBe(true);
      expect(stats.priceUsd).toBe(series[series.length - 1]?.close);
    },
  );

  it('hand-computed: closes 100, 110, 99 -> returns 0.1, -0.1; std = sqrt(0.02); vol = sqrt(0.02*252)', () => {
    const s = marketStatsFromBars([bar(100, 10, 0), bar(110, 20, 1), bar(99, 30, 2)]);
    expect(s.adv).toBe(20);
    expect(s.priceUsd).toBe(99);
    expect(s.volatility).toBeCloseTo(Math.sqrt(0.02 * 252), 12);
  });

  it('uses only the last windowBars bars', () => {
    const early = [bar(1, 1e9, 0), bar(50, 1e9, 1)];
    const tail = [bar(100, 10, 2), bar(110, 20, 3), bar(99, 30, 4)];
    expect(marketStatsFromBars([...early, ...tail], { windowBars: 3 })).toEqual(
      marketStatsFromBars(tail),
    );
  });

  it('rejects unusable bars with a DataError and bad options with a ValidationError', () => {
    expect(() => marketStatsFromBars([bar(100, 1, 0), bar(101, 1, 1)])).toThrow(DataError);
    expect(() => marketStatsFromBars([bar(100, 1, 0), bar(NaN, 1, 1), bar(1, 1, 2)])).toThrow(
      DataError,
    );
    expect(() => marketStatsFromBars([bar(100, 1, 0), bar(100, -1, 1), bar(1, 1, 2)])).toThrow(
      /volume/,
    );
    expect(() => marketStatsFromBars([], { windowBars: 2 })).toThrow(ValidationError);
  });
});
