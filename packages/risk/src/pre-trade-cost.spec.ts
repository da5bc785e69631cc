import { NotFoundError, ValidationError } from '@quantpipe/core';
import { formatPreTradeCostReport, preTradeCostReport } from './pre-trade-cost';

const market = {
  AAA: { priceUsd: 100, adv: 1_000_000, volatility: 0.2 },
  BBB: { priceUsd: 50, adv: 0, volatility: 0.3 },
  CCC: { priceUsd: 20, adv: 400_000, volatility: 0.4 },
};

describe('preTradeCostReport', () => {
  it('costs each traded symbol as the spec logs it (hand-computed)', () => {
    const report = preTradeCostReport(
      { AAA: 10_000, BBB: -100, CCC: 500, DDD: 0 },
      { AAA: 0, BBB: 100, CCC: 500 },
      market,
    );
    // AAA: delta 10 000, participation 0.01, slippage 5 + 10*0.1*1 = 6 bps,
    //      notional 1 000 000 USD, cost 1e6 * 6/1e4 = 600 USD.
    // BBB: delta -200, ADV 0 -> 100 bps, notional 10 000, cost 100 USD.
    // CCC: delta 0 -> skipped. DDD: target 0 -> skipped (seed), even without market data.
    expect(report.lines.map((l) => l.symbol)).toEqual(['AAA', 'BBB']);
    const [a, b] = report.lines;
    expect(a?.deltaShares).toBe(10_000);
    expect(a?.participation).toBeCloseTo(0.01, 15);
    expect(a?.slippageBps).toBeCloseTo(6, 12);
    expect(a?.notionalUsd).toBe(1_000_000);
    expect(a?.costUsd).toBeCloseTo(600, 9);
    expect(b).toMatchObject({
      deltaShares: -200,
      participation: null,
      slippageBps: 100,
      notionalUsd: 10_000,
    });
    expect(b?.costUsd).toBeCloseTo(100, 12);
    expect(report.totalCostUsd).toBeCloseTo(700, 9);
  });

  it('can also cost closing trades (target 0), which the seed skips', () => {
    const report = preTradeCostReport({ AAA: 0 }, { AAA: 2_500 }, market, {
      skipZeroTargets: false,
    });
    // delta -2500, participation 0.0025, slippage 5 + 10*0.05 = 5.5 bps, notional 250 000, cost 137.5.
    expect(report.lines[0]?.slippageBps).toBeCloseTo(5.5, 12);
    expect(report.totalCostUsd).toBeCloseTo(137.5, 9);
    expect(preTradeCostReport({ AAA: 0 }, { AAA: 2_500 }, market).lines).toEqual([]);
  });

  it('treats a symbol missing from current as flat and throws NotFoundError for missing market data', () => {
    expect(preTradeCostReport({ CCC: 100 }, {}, market).lines[0]?.deltaShares).toBe(100);
    expect(() => preTradeCostReport({ ZZZ: 100 }, {}, market)).toThrow(NotFoundError);
    expect(() => preTradeCostReport({ AAA: NaN }, {}, market)).toThrow(ValidationError);
    expect(() =>
      preTradeCostReport({ AAA: 1 }, {}, { AAA: { priceUsd: 0, adv: 1, volatility: 0 } }),
    ).toThrow(/priceUsd/);
  });

  it('formats the spec log lines and the total', () => {
    const lines = formatPreTradeCostReport(preTradeCostReport({ AAA: 10_000 }, {}, market));
    expect(lines).toEqual([
      'AAA: 10,000 shares @ $100.00 | Participation: 1.00% of ADV | Est. Slippage: 6.0 bps | Est. Cost: $600.00',
      'TOTAL ESTIMATED COST: $600.00',
    ]);
  });
});
