import { TargetWeightsStrategy } from '@quantpipe/execution';
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
  it('keeps the books exact at every step: cash + positions = equity, gross − net = fees + slippage', async () => {
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
      m.costs.feesUsd + m.costs.slippageUsd,
      6,
    );
    // Every fill is at the next session's open moved against us by the slippage model.
    for (const t of result.trades) {
      const against =
        t.side === 'buy' ? t.priceUsd - t.referencePriceUsd : t.referencePriceUsd - t.priceUsd;
      expect(against).toBeGreaterThan(0);
      // No hourly bars: the session opens at 14:30Z.
      expect(t.timestamp.slice(11)).toBe('14:30:00Z');
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
    expect(short.result.decisions).toEqual(
      long.result.decisions.filter((d) => d.timestamp.slice(0, 10) < T),
    );
    expect(short.result.trades).toEqual(
      long.result.trades.filter((t) => t.timestamp.slice(0, 10) <= T),
    );
    expect(long.result.equity.length).toBeGreaterThan(upTo.length);
  });
});
