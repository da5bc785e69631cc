/** Test support: part of the storage contract (see contract.ts). */
import { NotFoundError, ValidationError, type Bar } from '@quantpipe/core';
import { countRows, dailyBar, freshDatabaseEachTest, hourlyBars } from './contract-fixtures';
import type { StorageTarget } from './targets';

/** The market data cache (core `MarketDataCache` and `MarketData` ports). */
export function describeMarketDataContract(target: StorageTarget): void {
  describe('market data cache', () => {
    const session = freshDatabaseEachTest(target);

    it('bulk-upserts and reads ranges by symbol, timeframe and time', async () => {
      const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
      await session.db.upsertBars('1Day', [
        ...days.map((d, i) => dailyBar('AAPL', d, 180 + i)),
        ...days.map((d) => dailyBar('MSFT', d, 370)),
      ]);
      await session.db.upsertBars('1Hour', hourlyBars('AAPL', '2024-01-03', 4));
      const range = await session.db.getBars({
        symbol: 'AAPL',
        timeframe: '1Day',
        start: '2024-01-03',
        end: '2024-01-04',
      });
      expect(range.map((b) => [b.timestamp, b.close])).toEqual([
        ['2024-01-03', 181],
        ['2024-01-04', 182],
      ]);
      // Hourly bars live apart from daily ones; date bounds cover whole days.
      const hourly = await session.db.getBars({
        symbol: 'AAPL',
        timeframe: '1Hour',
        start: '2024-01-03',
        end: '2024-01-03',
      });
      expect(hourly.map((b) => b.timestamp)).toEqual([
        '2024-01-03T14:00:00Z',
        '2024-01-03T15:00:00Z',
        '2024-01-03T16:00:00Z',
        '2024-01-03T17:00:00Z',
      ]);
      const inner = await session.db.getBars({
        symbol: 'AAPL',
        timeframe: '1Hour',
        start: '2024-01-03T14:30:00.500Z',
        end: '2024-01-03T16:00:00.000Z',
      });
      expect(inner.map((b) => b.timestamp)).toEqual([
        '2024-01-03T15:00:00Z',
        '2024-01-03T16:00:00Z',
      ]);
      expect(await session.db.getCoverage('AAPL', '1Day')).toEqual({
        first: '2024-01-02',
        last: '2024-01-05',
      });
      expect(await session.db.getCoverage('NOPE', '1Day')).toBeUndefined();
      expect((await session.db.getLatestBar('AAPL')).timestamp).toBe('2024-01-05');
      expect((await session.db.getLatestBar('AAPL', '1Hour')).timestamp).toBe(
        '2024-01-03T17:00:00Z',
      );
      expect(await session.db.listSymbols('1Day')).toEqual(['AAPL', 'MSFT']);
      expect(
        await session.db.getBars({ symbol: 'MSFT', timeframe: '1Day', start: '2025-01-01' }),
      ).toEqual([]);
    });

    it('replaces existing bars and lets the last duplicate of a batch win, across chunks', async () => {
      const count = 25_000;
      const start = Date.UTC(2020, 0, 1);
      const bars: Bar[] = Array.from({ length: count }, (_, i) =>
        dailyBar(
          'BULK',
          new Date(start + i * 86_400_000).toISOString().slice(0, 10),
          10 + i / 7,
          i,
        ),
      );
      expect(await session.db.upsertBars('1Day', bars)).toBe(count);
      const replaced = [
        dailyBar('BULK', bars[5]?.timestamp ?? '', 1.5),
        dailyBar('BULK', bars[5]?.timestamp ?? '', 2.5),
        dailyBar('BULK', bars[24_999]?.timestamp ?? '', 3.5),
      ];
      await session.db.upsertBars('1Day', replaced);
      const back = await session.db.getBars({
        symbol: 'BULK',
        timeframe: '1Day',
        start: '2020-01-01',
      });
      expect(back).toHaveLength(count);
      expect(back[5]?.close).toBe(2.5);
      expect(back[24_999]?.close).toBe(3.5);
      expect(back[6]).toEqual(bars[6]);
      expect(back[12_345]).toEqual(bars[12_345]);
    });

    it.each<[string, Partial<Bar>]>([
      ['NaN close', { close: Number.NaN }],
      ['negative open', { open: -1 }],
      ['zero low', { low: 0 }],
      ['infinite high', { high: Number.POSITIVE_INFINITY }],
      ['negative volume', { volume: -5 }],
      ['local time', { timestamp: '2024-01-03 10:00:00' }],
      ['offset time', { timestamp: '2024-01-03T10:00:00+01:00' }],
      ['impossible date', { timestamp: '2024-02-30' }],
      ['empty symbol', { symbol: '' }],
    ])('refuses a bar with %s and writes nothing of the batch', async (_label, change) => {
      const good = [dailyBar('X', '2024-01-02', 10), dailyBar('X', '2024-01-03', 11)];
      const bad = { ...dailyBar('X', '2024-01-04', 12), ...change };
      const error = await session.db
        .upsertBars('1Day', [...good, bad, dailyBar('X', '2024-01-05', 13)])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).argument).toMatch(/^bars\[2\]\./);
      expect(await countRows(session.db, 'market_data')).toBe(0);
    });

    it('refuses a timestamp in the wrong form for the timeframe', async () => {
      await expect(
        session.db.upsertBars('1Day', [dailyBar('X', '2024-01-02T00:00:00Z', 10)]),
      ).rejects.toThrow(ValidationError);
      await expect(
        session.db.upsertBars('1Hour', [dailyBar('X', '2024-01-02', 10)]),
      ).rejects.toThrow(ValidationError);
      await expect(
        session.db.upsertBars('1Hour', [dailyBar('X', '2024-01-02T10:00:00.250Z', 10)]),
      ).rejects.toThrow(ValidationError);
      await expect(session.db.upsertBars('1Minute' as '1Day', [])).rejects.toThrow(ValidationError);
      expect(await countRows(session.db, 'market_data')).toBe(0);
    });

    it('answers an unknown symbol with NotFoundError and a bad range with ValidationError', async () => {
      await session.db.upsertBars('1Day', [dailyBar('AAPL', '2024-01-02', 10)]);
      await expect(
        session.db.getBars({ symbol: 'ZZZZ', timeframe: '1Day', start: '2024-01-01' }),
      ).rejects.toThrow(NotFoundError);
      // Known in daily bars, unknown in hourly ones.
      await expect(
        session.db.getBars({ symbol: 'AAPL', timeframe: '1Hour', start: '2024-01-01' }),
      ).rejects.toThrow(NotFoundError);
      await expect(session.db.getLatestBar('ZZZZ')).rejects.toThrow(NotFoundError);
      await expect(
        session.db.getBars({ symbol: 'AAPL', timeframe: '1Day', start: '01/02/2024' }),
      ).rejects.toThrow(ValidationError);
      await expect(
        session.db.getBars({
          symbol: 'AAPL',
          timeframe: '1Day',
          start: '2024-01-01',
          end: 'yesterday',
        }),
      ).rejects.toThrow(ValidationError);
    });
  });
}
