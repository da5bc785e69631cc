import fc from 'fast-check';
import { sessionOn } from '@quantpipe/core';
import {
  TargetWeightsStrategy,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
} from '@quantpipe/execution';
import { parseBacktestConfig, type BacktestConfigInput } from '../config/backtest-config';
import { openMarket } from '../data/open-market';
import { computeBacktestMetrics } from '../output/performance';
import { runBacktest } from './run-backtest';

const base: BacktestConfigInput = {
  symbols: ['SYNA', 'SYNB', 'SYNC'],
  synthetic: { sessions: 320, hourly: false },
  warmup_sessions: 60,
  commission_per_share_usd: 0.005,
  progress: false,
};
const weights = { SYNA: 0.6, SYNB: -0.4, SYNC: 0.3 };

describe('backtest acceptance (fixed-weight strategy through the engine)', () => {
  it('keeps the books exact at every step: cash + positions = equity, gross − net = fees + slippage + financing', async () => {
    const config = parseBacktestConfig(base);
    const { result, audit } = await runBacktest({
      config,
      strategy: new TargetWeightsStrategy(weights),
      runId: 'inv',
    });
    expect(result.equity).toHaveLength(320 - 60);
    expect(audit.checks).toBe(result.equity.length);
    expect(audit.maxEquityErrorUsd).toBeLessThan(1e-6);
    expect(audit.maxCostErrorUsd).toBeLessThan(1e-6);
    expect(result.trades.length).toBeGreaterThan(100);
    expect(audit.feesUsd).toBeGreaterThan(0);
    expect(audit.slippageUsd).toBeGreaterThan(0);
    // The stress episode activates the spec's tail hedge; its synthetic P&L is booked as cash
    // and the books still reconcile.
    expect(result.hedgeActiveSessions).toBeGreaterThan(0);
    expect(audit.adjustmentsUsd).not.toBe(0);
    expect(result.equity[result.equity.length - 1]?.hedgePnlUsd).toBeCloseTo(
      audit.adjustmentsUsd,
      6,
    );
    for (const p of result.equity) {
      expect(Math.abs(p.cashUsd + p.positionsValueUsd - p.equityUsd)).toBeLessThan(1e-6);
    }
    const m = computeBacktestMetrics(result, audit);
    expect(m.costs.grossPnlUsd - m.costs.netPnlUsd).toBeCloseTo(
      m.costs.feesUsd + m.costs.slippageUsd + m.costs.interestUsd + m.costs.borrowFeesUsd,
      6,
    );
    // Every fill is at the next session's open moved against us by the slippage model.
    for (const t of result.trades) {
      const against =
        t.side === 'buy' ? t.priceUsd - t.referencePriceUsd : t.referencePriceUsd - t.priceUsd;
      expect(against).toBeGreaterThan(0);
      // At the exchange's 09:30 New York open: 14:30Z in winter, 13:30Z with daylight saving.
      const session = sessionOn(t.timestamp.slice(0, 10));
      expect(session).toBeDefined();
      expect(Date.parse(t.timestamp)).toBe(session?.openMs);
    }
  });

  it('gives identical decisions and equity up to day T whether it runs to T or to T + k', async () => {
    const full = parseBacktestConfig(base);
    const market = await openMarket(full);
    const dates = (market.market.daily['SYNMKT'] ?? []).map((b) => b.timestamp);
    const T = dates[200] as string;
    const short = await runBacktest({
      config: parseBacktestConfig({ ...base, end: T }),
      strategy: new TargetWeightsStrategy(weights),
      runId: 'trunc',
    });
    const long = await runBacktest({
      config: full,
      strategy: new TargetWeightsStrategy(weights),
      runId: 'trunc',
    });
    const upTo = long.result.equity.filter((p) => p.date <= T);
    expect(short.result.equity).toEqual(upTo);
    expect(short.result.decisions.toArray()).toEqual(
      long.result.decisions.toArray().filter((d) => d.timestamp.slice(0, 10) < T),
    );
    expect(short.result.trades.toArray()).toEqual(
      long.result.trades.toArray().filter((t) => t.timestamp.slice(0, 10) <= T),
    );
    expect(long.result.equity.length).toBeGreaterThan(upTo.length);
  });
});

/** A strategy that flips between long and short every few cycles (exercises close-then-open legs). */
class FlippingStrategy implements Strategy {
  readonly name = 'flipping';
  constructor(
    private readonly periodCycles: number,
    private readonly weight: number,
  ) {}

  decide(input: StrategyInput): StrategyOutput {
    const sign = Math.floor(input.cycle / this.periodCycles) % 2 === 0 ? 1 : -1;
    const decisions = input.symbols.map((symbol, k) => {
      const bars = input.daily.bars(symbol);
      const close = bars[bars.length - 1]?.close ?? 1;
      const w = sign * (k % 2 === 0 ? this.weight : -this.weight / 2);
      return {
        symbol,
        composite: w,
        confidence: 1,
        signals: {},
        targetShares: Math.trunc((input.equityUsd * w) / close),
      };
    });
    return { decisions, weights: {}, health: {}, ic: {}, hybrid: false };
  }
}

describe('accounting invariants under random flipping strategies (property)', () => {
  it('holds at every step for any seed, flip period and size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        async (seed, period, weight) => {
          const config = parseBacktestConfig({
            ...base,
            synthetic: { sessions: 140, hourly: false, seed },
            warmup_sessions: 60,
          });
          const { result, audit } = await runBacktest({
            config,
            strategy: new FlippingStrategy(period, weight),
            runId: 'prop',
          });
          expect(audit.checks).toBe(result.equity.length);
          const sides = new Set(result.trades.toArray().map((t) => `${t.symbol}:${t.side}`));
          expect(sides.size).toBeGreaterThan(3);
          // Position transitions close first, then open the other side.
          expect(result.trades.toArray().some((t) => t.clientOrderId.endsWith('-close'))).toBe(
            true,
          );
          expect(result.trades.toArray().some((t) => t.clientOrderId.endsWith('-open'))).toBe(true);
        },
      ),
      { numRuns: 4 },
    );
  });
});
