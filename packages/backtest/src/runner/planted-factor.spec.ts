import { generateSyntheticMarket, type PlantedFactor } from '@quantpipe/data-adapters';
import { MomentumState } from '@quantpipe/signals';
import { parseBacktestConfig } from '../config/backtest-config';
import type { OpenedMarket } from '../data/open-market';
import { computeBacktestMetrics } from '../output/performance';
import { runBacktest } from './run-backtest';

const SESSIONS = 1260;
const WARMUP = 300;

/** The strategy's Momentum signal (spec windows 20/60, excess over the index), planted. */
const plantedMomentum: PlantedFactor = {
  strength: 0.04,
  signal: () => {
    const state = new MomentumState(20, 60, true);
    let prev = NaN;
    let prevMarket = NaN;
    return {
      step(close, _date, marketClose) {
        const value = state.step(close / prev - 1, marketClose / prevMarket - 1);
        prev = close;
        prevMarket = marketClose;
        return value;
      },
    };
  },
};

function syntheticOpened(plantedFactor?: PlantedFactor): OpenedMarket {
  const m = generateSyntheticMarket({
    sessions: SESSIONS,
    includeHourly: false,
    ...(plantedFactor ? { plantedFactor } : {}),
  });
  return {
    market: {
      label: 'synthetic market',
      symbols: m.symbols,
      benchmarkSymbol: m.marketSymbol,
      daily: m.daily,
      hourly: undefined,
      hourlyReason: 'hourly bars not generated',
    },
    startDate: m.dates[WARMUP] as string,
    endDate: m.dates[m.dates.length - 1] as string,
  };
}

async function run(plantedFactor?: PlantedFactor) {
  // Risk budgets off, so the weights reported are the optimiser's own (bounds [0.05, 0.5]).
  const config = parseBacktestConfig({
    progress: false,
    hybrid: 'off',
    pipeline: { risk_budgets: false, signal_normalization: 'cross_sectional_z' },
  });
  const { result, audit } = await runBacktest({
    config,
    market: syntheticOpened(plantedFactor),
    runId: plantedFactor ? 'planted' : 'unplanted',
  });
  return { result, metrics: computeBacktestMetrics(result, audit) };
}

const best = (record: Readonly<Record<string, number>>): string | undefined =>
  Object.entries(record).sort((a, b) => b[1] - a[1])[0]?.[0];

describe('known answer of the learning loop: a planted predictive factor', () => {
  // Cross-sectional z-scores make the book market-neutral, so what is left is the signals' edge.
  let planted: Awaited<ReturnType<typeof run>>;
  let unplanted: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    planted = await run(plantedMomentum);
    unplanted = await run();
  }, 240_000);

  it('with Momentum planted: first by IC and health, weight at the bound, a net profit', () => {
    const last = planted.result.signalStates[planted.result.signalStates.length - 1];
    expect(best(last?.ic ?? {})).toBe('Momentum');
    expect(best(last?.health ?? {})).toBe('Momentum');
    // the mean over the eight symbols: at the upper bound 0.5 on all but one
    expect(best(last?.weights ?? {})).toBe('Momentum');
    expect(last?.weights['Momentum']).toBeGreaterThanOrEqual(0.48);
    expect(last?.weights['Momentum']).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(planted.metrics.costs.netPnlUsd).toBeGreaterThan(0);
    // and the attribution credits Momentum with a profit
    const momentum = planted.metrics.pnlAttribution?.signals.find((x) => x.signal === 'Momentum');
    expect(momentum?.pnlUsd).toBeGreaterThan(0);
  });

  it('without it: gross P&L near zero next to the planted edge, costs explain the net loss', () => {
    const c = unplanted.metrics.costs;
    expect(c.netPnlUsd).toBeLessThan(0);
    // Near zero next to the planted edge: within a tenth of the planted run's gross P&L (with the
    // default margin account and commissions it is about 5 %).
    expect(Math.abs(c.grossPnlUsd)).toBeLessThan(0.1 * planted.metrics.costs.grossPnlUsd);
    // net = gross - commissions - slippage - financing (the tail hedge is in both), to the cent
    expect(c.netPnlUsd).toBeCloseTo(
      c.grossPnlUsd - c.feesUsd - c.slippageUsd - c.interestUsd - c.borrowFeesUsd,
      2,
    );
    expect(c.slippageUsd + c.feesUsd).toBeGreaterThan(0);
  });
});
