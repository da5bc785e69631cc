import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bar } from '@quantpipe/core';
import type { BarView, StrategyInput } from '@quantpipe/execution';
import { parseBacktestConfig, type BacktestConfigInput } from '../config/backtest-config';
import type { LoadedMarket } from '../data/loaded-market';
import { openMarket } from '../data/open-market';
import { PipelinedStrategy, StrategyWorker } from './pipelined-strategy';
import { runBacktest } from './run-backtest';

// The worker is loaded from this folder's TypeScript, as `npm start` does.
const entry = pathToFileURL(join(__dirname, 'strategy-worker.ts'));

const base: BacktestConfigInput = {
  symbols: ['SYNA', 'SYNB', 'SYNC'],
  synthetic: { sessions: 330 },
  warmup_sessions: 260,
  reweight: 'weekly',
  progress: false,
};

const EMPTY: BarView = { bars: () => [], newBars: () => [] };

async function dailyMarket(): Promise<LoadedMarket> {
  const config = parseBacktestConfig({ ...base, synthetic: { sessions: 330, hourly: false } });
  return (await openMarket(config)).market;
}

/** A pipeline over `market`'s daily bars; `extraSymbols` join the universe. */
function startOn(
  worker: StrategyWorker,
  market: LoadedMarket,
  extraSymbols: readonly string[] = [],
): PipelinedStrategy {
  return PipelinedStrategy.start(worker, {
    daily: market.daily,
    hourly: undefined,
    universe: {
      symbols: [...market.symbols, ...extraSymbols],
      benchmark_symbol: market.benchmarkSymbol,
      history_days: 365,
      hourly_history_days: 30,
      use_hourly: false,
    },
    strategy: {},
  });
}

function inputAt(market: LoadedMarket, decisionMs: number, daily: BarView): StrategyInput {
  return {
    cycle: 1,
    timestamp: new Date(decisionMs).toISOString(),
    symbols: market.symbols,
    benchmarkSymbol: market.benchmarkSymbol,
    daily,
    equityUsd: 1e6,
    positions: {},
  };
}

describe('PipelinedStrategy (the default strategy on a worker thread)', () => {
  it('gives the engine exactly the decisions of the strategy on the main thread, daily and hybrid', async () => {
    for (const hourly of [false, true]) {
      const config = parseBacktestConfig({ ...base, synthetic: { sessions: 330, hourly } });
      const market = await openMarket(config);
      const alone = await runBacktest({ config, market, runId: 'alone' });
      const worker = StrategyWorker.spawn(entry);
      const piped = await runBacktest({ config, market, runId: 'alone', strategyWorker: worker });
      expect(piped.result.compositeMode).toBe(hourly ? 'hybrid' : 'daily');
      expect(piped.result.decisions.toArray()).toEqual(alone.result.decisions.toArray());
      expect(piped.result.signalStates).toEqual(alone.result.signalStates);
      expect(piped.result.trades.toArray()).toEqual(alone.result.trades.toArray());
      expect(piped.result.equity).toEqual(alone.result.equity);
      expect(piped.result.trades.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('refuses a decision made on other bars than the engine holds', async () => {
    const market = await dailyMarket();
    const strategy = startOn(StrategyWorker.spawn(entry), market);
    try {
      const day = market.daily['SYNA']?.[300] as Bar;
      const decisionMs = Date.parse(`${day.timestamp}T21:00:00Z`);
      strategy.plan([decisionMs]);
      // The engine's view holds one bar fewer of SYNA than the worker's.
      const view: BarView = {
        bars: (s) => {
          const all = (market.daily[s] ?? []).filter((b) => b.timestamp <= day.timestamp);
          return s === 'SYNA' ? all.slice(0, -1) : all;
        },
        newBars: () => [],
      };
      await expect(strategy.decide(inputAt(market, decisionMs, view))).rejects.toMatchObject({
        code: 'E_STATE',
        message: expect.stringMatching(/other bars than the engine holds/),
      });
    } finally {
      await strategy.close();
    }
  }, 30_000);

  it('reports a worker that could not even start as a StateError', async () => {
    const market = await dailyMarket();
    const worker = StrategyWorker.spawn(pathToFileURL(join(__dirname, 'no-such-worker.ts')));
    // Let it fail before it is given a run.
    await new Promise<void>((resolve) => worker.whenExited(resolve));
    const strategy = startOn(worker, market);
    try {
      strategy.plan([0]);
      await expect(strategy.decide(inputAt(market, 0, EMPTY))).rejects.toMatchObject({
        code: 'E_STATE',
        message: expect.stringMatching(/strategy worker/),
      });
    } finally {
      await strategy.close();
    }
  }, 30_000);

  it('reports a failing worker as a StateError instead of waiting for it', async () => {
    const market = await dailyMarket();
    const strategy = startOn(StrategyWorker.spawn(entry), market, ['NOPE']);
    try {
      const decisionMs = Date.parse(`${market.daily['SYNA']?.[300]?.timestamp}T21:00:00Z`);
      strategy.plan([decisionMs]);
      await expect(strategy.decide(inputAt(market, decisionMs, EMPTY))).rejects.toMatchObject({
        code: 'E_STATE',
        message: expect.stringMatching(/unknown symbol NOPE/),
      });
    } finally {
      await strategy.close();
    }
  }, 30_000);
});
