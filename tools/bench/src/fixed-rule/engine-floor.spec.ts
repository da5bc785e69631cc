import { generateSyntheticMarket, syntheticUniverse } from '@quantpipe/data-adapters';
import type { LoadedMarket } from '@quantpipe/backtest';
import { runEngine, COMMISSION_PER_SHARE_USD, INITIAL_CASH_USD } from './engine-run';
import { runFloor } from './floor';
import { SLOW_BARS } from './sma-rule';

/** The benchmark's market, smaller: the same generator, universe and columns. */
function marketOf(symbols: number, sessions: number) {
  const generated = generateSyntheticMarket({
    sessions,
    symbols: syntheticUniverse(symbols),
    includeHourly: false,
  });
  const loaded: LoadedMarket = {
    label: `synthetic ${symbols}`,
    symbols: generated.symbols,
    benchmarkSymbol: generated.marketSymbol,
    daily: generated.daily,
    hourly: undefined,
    hourlyReason: 'none',
  };
  const column = (key: 'open' | 'close') =>
    generated.symbols.map((s) => Float64Array.from(generated.daily[s] ?? [], (b) => b[key]));
  return { loaded, floor: { open: column('open'), close: column('close'), sessions } };
}

describe('the engine benchmark’s fixed rule', () => {
  it.each([
    [4, 400],
    [20, 700],
  ])(
    'through runBacktest makes the floor loop’s trades and final equity (%i symbols, %i sessions)',
    async (symbols, sessions) => {
      const { loaded, floor } = marketOf(symbols, sessions);
      const engine = await runEngine(loaded);
      const plain = runFloor(floor, SLOW_BARS, INITIAL_CASH_USD, COMMISSION_PER_SHARE_USD);
      expect(plain.trades).toBeGreaterThan(symbols);
      expect(engine.trades).toBe(plain.trades);
      expect(engine.tradesHash).toBe(plain.tradesHash);
      expect(Math.abs(engine.finalEquityUsd - plain.finalEquityUsd)).toBeLessThan(0.005);
      expect(engine.outcome.audit.checks).toBeGreaterThan(0);
      expect(engine.outcome.audit.maxEquityErrorUsd).toBeLessThan(1e-6);
      // The same rule stepped decision by decision (the incremental form) trades alike.
      const stepped = await runEngine(loaded, 'incremental');
      expect(stepped.trades).toBe(plain.trades);
      expect(stepped.tradesHash).toBe(plain.tradesHash);
      expect(stepped.finalEquityUsd).toBe(engine.finalEquityUsd);
    },
  );
});
