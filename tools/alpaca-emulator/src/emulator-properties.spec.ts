import fc from 'fast-check';
import { generateSyntheticMarket } from '@quantpipe/data-adapters';
import { BarBook } from './bar-book';
import { queryBars } from './bars-endpoint';
import { Brokerage, newBrokerageState } from './brokerage';

const market = generateSyntheticMarket({ sessions: 30 });
const book = new BarBook(market.daily, market.hourly ?? {});
const symbols = book.symbols();
const nowMs = Date.parse('2030-01-01T00:00:00Z');

describe('emulator invariants', () => {
  it('pagination returns exactly the unpaged result, in order, for any page size and symbol set', () => {
    fc.assert(
      fc.property(
        fc.subarray(symbols, { minLength: 1 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom('1Day', '1Hour'),
        fc.constantFrom('asc', 'desc'),
        (subset, limit, timeframe, sort) => {
          const base = { timeframe, start: '2015-01-01', sort };
          const all = queryBars(
            book,
            subset,
            new URLSearchParams({ ...base, limit: '10000' }),
            nowMs,
          ).bars;
          const paged = [];
          let token: string | null = null;
          do {
            const params = new URLSearchParams({ ...base, limit: String(limit) });
            if (token) params.set('page_token', token);
            const page = queryBars(book, subset, params, nowMs);
            expect(page.bars.length).toBeLessThanOrEqual(limit);
            paged.push(...page.bars);
            token = page.nextPageToken;
          } while (token);
          expect(paged).toEqual(all);
          expect(all).toHaveLength(subset.length * (timeframe === '1Day' ? 30 : 210));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps cash, positions and equity consistent under any sequence of orders', () => {
    const order = fc.record({
      symbol: fc.constantFrom(...symbols),
      side: fc.constantFrom('buy', 'sell'),
      qty: fc.integer({ min: 1, max: 400 }),
      advanceHours: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(order, { maxLength: 25 }), (orders) => {
        let clock = Date.parse(`${market.dates[5] as string}T15:00:00Z`);
        const b = new Brokerage(
          book,
          { initialCashUsd: 100_000, marginMultiplier: 2, slippageBps: 5, fillMode: 'immediate' },
          () => clock,
          newBrokerageState(100_000),
        );
        for (const [i, o] of orders.entries()) {
          clock += o.advanceHours * 3_600_000;
          try {
            b.submit({
              ...o,
              qty: String(o.qty),
              type: 'market',
              time_in_force: 'day',
              client_order_id: `p-${i}`,
            });
          } catch {
            // refused orders (buying power, flips) change nothing
          }
        }
        const flows = b.state.fills.reduce(
          (s, f) => s + (f.side === 'buy' ? -1 : 1) * f.qty * f.price,
          0,
        );
        expect(b.state.cash).toBeCloseTo(100_000 + flows, 6);
        const held = new Map<string, number>();
        for (const f of b.state.fills)
          held.set(f.symbol, (held.get(f.symbol) ?? 0) + (f.side === 'buy' ? f.qty : -f.qty));
        for (const [symbol, qty] of held) expect(b.state.positions[symbol]?.qty ?? 0).toBe(qty);
        const account = b.account();
        const positions = b.positions();
        const value = positions.reduce((s, p) => s + Number(p['market_value']), 0);
        expect(Number(account['equity'])).toBeCloseTo(Number(account['cash']) + value, 4);
        expect(Number(account['buying_power'])).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });
});
