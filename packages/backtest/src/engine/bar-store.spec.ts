import { BarStore } from '@quantpipe/execution';
import fc from 'fast-check';
import type { Bar, BarsRequest, MarketData } from '@quantpipe/core';
import { InMemoryMarketData, generateSyntheticMarket } from '@quantpipe/data-adapters';

const market = generateSyntheticMarket({ sessions: 60 });
const SYMBOLS = ['SYNA', 'SYNB', 'SYNC', 'SYNMKT'];

/** The same bars without `getBarsBatch`, counting calls. */
class PerSymbolSource implements MarketData {
  calls = 0;
  constructor(private readonly inner: MarketData) {}
  getBars(request: BarsRequest): Promise<Bar[]> {
    this.calls++;
    return this.inner.getBars(request);
  }
  getLatestBar(symbol: string): Promise<Bar> {
    return this.inner.getLatestBar(symbol);
  }
}

describe('BarStore', () => {
  it('refreshAll holds and reports the same bars with or without a batch source', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 6 }),
        async (ends) => {
          const batch = new InMemoryMarketData(market);
          const perSymbol = new PerSymbolSource(batch);
          const a = new BarStore(batch, '1Day');
          const b = new BarStore(perSymbol, '1Day');
          let reached = -1;
          for (const index of ends) {
            const end = market.dates[index] as string;
            reached = Math.max(reached, index);
            const addedA = await a.refreshAll(SYMBOLS, '2000-01-01', end);
            const addedB = await b.refreshAll(SYMBOLS, '2000-01-01', end);
            expect(addedA).toEqual(addedB);
            for (const [i, s] of SYMBOLS.entries()) {
              expect(a.bars(s)).toEqual(b.bars(s));
              expect(a.newBars(s)).toEqual(b.newBars(s));
              expect(a.newBars(s)).toHaveLength(addedA[i] as number);
              expect(a.last(s)?.timestamp).toBe(market.dates[reached]);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('asks from the last bar held, and asks nothing when the end is before it', async () => {
    const source = new PerSymbolSource(new InMemoryMarketData(market));
    const store = new BarStore(source, '1Day');
    await store.refreshAll(SYMBOLS, '2000-01-01', market.dates[30] as string);
    expect(source.calls).toBe(SYMBOLS.length);
    expect(store.bars('SYNA')).toHaveLength(31);
    await store.refreshAll(SYMBOLS, '2000-01-01', market.dates[20] as string);
    expect(source.calls).toBe(SYMBOLS.length);
    expect(store.newBars('SYNA')).toEqual([]);
    await store.refreshAll(SYMBOLS, '2000-01-01', market.dates[31] as string);
    expect(store.newBars('SYNA').map((b) => b.timestamp)).toEqual([market.dates[31]]);
  });

  it('fails as a whole when one symbol is unknown', async () => {
    const store = new BarStore(new InMemoryMarketData(market), '1Day');
    await expect(
      store.refreshAll(['SYNA', 'NOPE'], '2000-01-01', market.dates[10] as string),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
