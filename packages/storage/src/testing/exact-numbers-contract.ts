/** Test support: part of the storage contract (see contract.ts). */
import type { Bar, JsonValue, Position } from '@quantpipe/core';
import fc from 'fast-check';
import { AWKWARD_NUMBERS, LONG_DECIMAL, freshDatabaseEachTest } from './contract-fixtures';
import type { StorageTarget } from './targets';

/** Numbers come back bit for bit: prices, volumes, state and fills. */
export function describeExactNumbersContract(target: StorageTarget): void {
  describe('exact numbers', () => {
    const session = freshDatabaseEachTest(target);

    it('round-trips awkward prices and volumes bit for bit', async () => {
      const bars = AWKWARD_NUMBERS.map((x, i) => ({
        symbol: 'AWK',
        timestamp: `2024-01-${String(i + 1).padStart(2, '0')}`,
        open: x,
        high: x,
        low: x,
        close: x,
        volume: x,
      }));
      await session.db.upsertBars('1Day', bars);
      const back = await session.db.getBars({
        symbol: 'AWK',
        timeframe: '1Day',
        start: '2024-01-01',
      });
      expect(back).toEqual(bars);
      back.forEach((bar, i) => expect(Object.is(bar.close, AWKWARD_NUMBERS[i])).toBe(true));
    });

    it('round-trips any finite money value through portfolio snapshots (property)', async () => {
      const money = fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((x) => !Object.is(x, -0));
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          money,
          money,
          money,
          money,
          money,
          async (cash, value, equity, bp, pnl) => {
            n += 1;
            const snapshot = {
              timestamp: new Date(Date.UTC(2024, 0, 1) + n * 1000)
                .toISOString()
                .replace('.000Z', 'Z'),
              cashUsd: cash,
              portfolioValueUsd: value,
              equityUsd: equity,
              buyingPowerUsd: bp,
              dailyPnlUsd: pnl,
            };
            await session.db.savePortfolioSnapshot(snapshot);
            const [back] = await session.db.getPortfolioSnapshots({
              start: snapshot.timestamp,
              end: snapshot.timestamp,
            });
            expect(back).toEqual(snapshot);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('round-trips any positive prices and volumes through the bar cache (property)', async () => {
      const price = fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });
      const volume = fc.oneof(
        fc.constant(0),
        fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(price, price, price, price, volume), { minLength: 1, maxLength: 20 }),
          async (rows) => {
            run += 1;
            const symbol = `P${run}`;
            const bars: Bar[] = rows.map(([open, high, low, close, vol], i) => ({
              symbol,
              timestamp: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000)
                .toISOString()
                .replace('.000Z', 'Z'),
              open,
              high,
              low,
              close,
              volume: vol,
            }));
            await session.db.upsertBars('1Hour', bars);
            expect(
              await session.db.getBars({ symbol, timeframe: '1Hour', start: '2024-01-01' }),
            ).toEqual(bars);
          },
        ),
        { numRuns: 25 },
      );
    });

    it('returns any JSON payload as JSON.parse(JSON.stringify(payload)) (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (payload) => {
          const entry = await session.db.append({
            runId: 'json',
            cycle: 0,
            kind: 'decision',
            timestamp: '2024-01-01T00:00:00Z',
            payload: payload as JsonValue,
          });
          const [back] = await session.db.entries({ runId: 'json', afterSeq: entry.seq - 1 });
          expect(back?.payload).toEqual(JSON.parse(JSON.stringify(payload)));
        }),
        { numRuns: 50 },
      );
    });

    it('round-trips share quantities up to 2^53-1 and signed', async () => {
      const positions: Position[] = [
        {
          symbol: 'BIG',
          quantity: 2 ** 53 - 1,
          avgEntryPriceUsd: 0.1 + 0.2,
          currentPriceUsd: 1e-300,
          marketValueUsd: 1,
          unrealizedPnlUsd: -(0.1 + 0.2),
        },
        {
          symbol: 'SHORT',
          quantity: -123,
          avgEntryPriceUsd: LONG_DECIMAL,
          currentPriceUsd: 1 / 3,
          marketValueUsd: -41,
          unrealizedPnlUsd: 2,
        },
      ];
      await session.db.savePositions('2024-02-01T21:00:00Z', positions);
      expect(await session.db.getPositions('2024-02-01T21:00:00Z')).toEqual(positions);
    });
  });
}
