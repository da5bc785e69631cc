import { MarketFigures } from './market-figures';

describe('MarketFigures', () => {
  it('holds each symbol’s price, ADV and volatility by index, and none for an unset one', () => {
    const f = new MarketFigures(4);
    f.set(2, { priceUsd: 101.5, adv: 2_000_000, volatility: 0.31 });
    expect(f.statsOf(2)).toEqual({ priceUsd: 101.5, adv: 2_000_000, volatility: 0.31 });
    expect(f.has[2]).toBe(1);
    expect(f.statsOf(1)).toBeUndefined();
    expect(f.statsOf(-1)).toBeUndefined();
  });

  it('copies the scratch figures in with setFrom (the scratch is reused, the column keeps them)', () => {
    const f = new MarketFigures(2);
    f.scratch.priceUsd = 20;
    f.scratch.adv = 500;
    f.scratch.volatility = 0.2;
    f.setFrom(0);
    f.scratch.priceUsd = 30;
    f.scratch.adv = 600;
    f.scratch.volatility = 0.4;
    f.setFrom(1);
    expect(f.statsOf(0)).toEqual({ priceUsd: 20, adv: 500, volatility: 0.2 });
    expect(f.statsOf(1)).toEqual({ priceUsd: 30, adv: 600, volatility: 0.4 });
  });

  it('clear forgets every symbol for the next cycle', () => {
    const f = new MarketFigures(3);
    f.set(0, { priceUsd: 1, adv: 1, volatility: 1 });
    f.set(2, { priceUsd: 2, adv: 2, volatility: 2 });
    f.clear();
    expect([...f.has]).toEqual([0, 0, 0]);
    expect(f.statsOf(0)).toBeUndefined();
    expect(f.statsOf(2)).toBeUndefined();
  });

  it('ensure makes room for more symbols and keeps the figures it had', () => {
    const f = new MarketFigures(2);
    f.set(1, { priceUsd: 9, adv: 90, volatility: 0.9 });
    const before = f.priceUsd;
    f.ensure(2); // enough room already: the same columns
    expect(f.priceUsd).toBe(before);
    f.ensure(10);
    expect(f.has).toHaveLength(10);
    expect(f.priceUsd).toHaveLength(10);
    expect(f.adv).toHaveLength(10);
    expect(f.volatility).toHaveLength(10);
    expect(f.statsOf(1)).toEqual({ priceUsd: 9, adv: 90, volatility: 0.9 });
    expect(f.statsOf(9)).toBeUndefined();
    f.set(9, { priceUsd: 3, adv: 30, volatility: 0.3 });
    expect(f.statsOf(9)).toEqual({ priceUsd: 3, adv: 30, volatility: 0.3 });
  });
});
