import { silentLogger, type StrategyOutput } from '@quantpipe/core';
import { TARGET_SHARES, TARGET_SIZED } from '../core/cycle-decisions';
import { DecisionCore } from '../core/decision-core';
import { resolveEngineConfig } from '../engine-config';
import { decisionReports, emptyReport, strategyFields } from './cycle-reports';

const output: StrategyOutput = {
  decisions: [
    { symbol: 'AAA', composite: 0.4, confidence: 0.9, signals: { Momentum: 0.4 } },
    { symbol: 'BBB', composite: 0.1, confidence: 1, signals: {}, targetShares: 7 },
    { symbol: 'CCC', composite: -0.2, confidence: 1, signals: { Carry: -1 } },
  ],
  weights: { Momentum: 0.6, Carry: 0.4 },
  health: { Momentum: 0.8 },
  ic: { Momentum: 0.03 },
  hybrid: true,
};

describe('emptyReport', () => {
  it('is a skipped cycle that decided and traded nothing', () => {
    expect(emptyReport('r', 4, '2024-03-01T21:00:00.000Z')).toEqual({
      runId: 'r',
      cycle: 4,
      timestamp: '2024-03-01T21:00:00.000Z',
      status: 'skipped',
      decisions: [],
      weights: {},
      health: {},
      ic: {},
      hybrid: false,
      plannedOrders: [],
      orders: [],
      fills: [],
      riskVerdict: null,
      estimatedCostUsd: 0,
      buyingPowerScale: null,
      hedge: null,
      equityUsd: 0,
      equityAfterUsd: 0,
      leverageAfter: 0,
    });
  });
});

describe('strategyFields', () => {
  it('takes the weights, health, IC and hybrid flag; per-symbol weights only when given', () => {
    expect(strategyFields(output)).toEqual({
      weights: { Momentum: 0.6, Carry: 0.4 },
      health: { Momentum: 0.8 },
      ic: { Momentum: 0.03 },
      hybrid: true,
    });
    expect('weightsBySymbol' in strategyFields(output)).toBe(false);
    const bySymbol = { AAA: { Momentum: 1 } };
    expect(strategyFields({ ...output, weightsBySymbol: bySymbol }).weightsBySymbol).toBe(bySymbol);
  });
});

describe('decisionReports', () => {
  it('reports each usable decision with its sized target, position and price', () => {
    const core = new DecisionCore(resolveEngineConfig({ symbols: ['AAA', 'BBB', 'CCC'] }), {
      logger: silentLogger,
      now: () => 0,
    });
    core.figures.set(0, { priceUsd: 25, adv: 1e6, volatility: 0.2 });
    core.figures.set(1, { priceUsd: 40, adv: 1e6, volatility: 0.2 });
    core.decisions.fill(output, core.symbols);
    expect([...core.decisions.targetKind.subarray(0, 3)]).toEqual([
      TARGET_SIZED,
      TARGET_SHARES,
      TARGET_SIZED,
    ]);
    core.sizing.size(core.decisions, core.figures, () => true, 100_000); // CCC: no figures
    const reports = decisionReports(core, output, { AAA: 12 });
    expect(reports).toEqual([
      {
        symbol: 'AAA',
        composite: 0.4,
        confidence: 0.9,
        signals: { Momentum: 0.4 },
        targetShares: core.sizing.targets[0],
        currentShares: 12,
        priceUsd: 25,
      },
      {
        symbol: 'BBB',
        composite: 0.1,
        confidence: 1,
        signals: {},
        targetShares: 7,
        currentShares: 0,
        priceUsd: 40,
      },
    ]);
    expect(reports[0]?.targetShares).toBeGreaterThan(0);
  });
});
