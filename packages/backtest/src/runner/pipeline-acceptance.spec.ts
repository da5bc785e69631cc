import { parseBacktestConfig, type BacktestConfigInput } from '../config/backtest-config';
import { openMarket } from '../data/open-market';
import { computeBacktestMetrics } from '../output/performance';
import { runBacktest } from './run-backtest';

// The engine's own strategy (the spec's full pipeline), with hourly bars for the hybrid.
const base: BacktestConfigInput = {
  symbols: ['SYNA', 'SYNC', 'SYNE'],
  synthetic: { sessions: 400, hourly: true },
  warmup_sessions: 280,
  reweight: 'weekly',
  commission_per_share_usd: 0.002,
  pipeline: { validation_window: 120, health_lookback: 21 },
  progress: false,
};

describe('backtest acceptance (full pipeline through the engine)', () => {
  it('runs the hybrid composite and keeps the books exact at every step', async () => {
    const config = parseBacktestConfig(base);
    const { result, audit, orderLog } = await runBacktest({ config, runId: 'pipe' });
    expect(result.compositeMode).toBe('hybrid');
    expect(result.compositeReason).toMatch(/^hybrid on every cycle/);
    expect(orderLog.orders.filter((o) => o.filledQuantity > 0)).toHaveLength(result.trades.length);
    expect(audit.checks).toBe(result.equity.length);
    expect(result.trades.length).toBeGreaterThan(0);
    const m = computeBacktestMetrics(result, audit);
    expect(m.costs.grossPnlUsd - m.costs.netPnlUsd).toBeCloseTo(
      m.costs.feesUsd + m.costs.slippageUsd,
      6,
    );
    // Walk-forward weights: within the spec's bounds, summing to one, and re-estimated over time.
    const weightSets = new Set(result.signalStates.map((s) => JSON.stringify(s.weights)));
    expect(weightSets.size).toBeGreaterThan(1);
    for (const s of result.signalStates) {
      const total = Object.values(s.weights).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 9);
    }
    // Decisions were made on data that ended at the decision: the sizing price is that close.
    for (const d of result.decisions.toArray().slice(0, 30)) {
      const bar = (await openMarket(config)).market.daily[d.symbol]?.find(
        (b) => b.timestamp === d.timestamp.slice(0, 10),
      );
      expect(d.priceUsd).toBe(bar?.close);
    }
  });

  it('truncation: running to day T and to day T + k gives identical decisions and equity up to T', async () => {
    const full = parseBacktestConfig(base);
    const dates = ((await openMarket(full)).market.daily['SYNMKT'] ?? []).map((b) => b.timestamp);
    const T = dates[340] as string;
    const short = await runBacktest({
      config: parseBacktestConfig({ ...base, end: T }),
      runId: 'trunc',
    });
    const long = await runBacktest({ config: full, runId: 'trunc' });
    const upTo = long.result.equity.filter((p) => p.date <= T);
    expect(upTo.length).toBeGreaterThan(50);
    expect(short.result.equity).toEqual(upTo);
    expect(short.result.decisions.toArray()).toEqual(
      long.result.decisions.toArray().filter((d) => d.timestamp.slice(0, 10) < T),
    );
    expect(short.result.signalStates).toEqual(
      long.result.signalStates.filter((s) => s.timestamp.slice(0, 10) < T),
    );
    expect(long.result.equity.length).toBeGreaterThan(upTo.length);
  });

  it('rebalances hourly where hourly bars exist', async () => {
    const config = parseBacktestConfig({
      ...base,
      rebalance: 'hourly',
      synthetic: { sessions: 300, hourly: true },
      warmup_sessions: 290,
    });
    const { result, audit } = await runBacktest({ config, runId: 'hourly' });
    expect(result.equity).toHaveLength(10 * 7);
    expect(audit.checks).toBe(70);
    // Orders decided at an hourly close fill at the next hourly open.
    for (const t of result.trades) expect(t.timestamp).toMatch(/T(1[4-9]|20):00:00Z$/);
  });

  it('uses the daily composite alone without hourly bars, and says so', async () => {
    const config = parseBacktestConfig({
      ...base,
      synthetic: { sessions: 300, hourly: false },
      warmup_sessions: 280,
    });
    const { result } = await runBacktest({ config, runId: 'daily' });
    expect(result.compositeMode).toBe('daily');
    expect(result.compositeReason).toMatch(/daily composite alone: hourly bars not generated/);
  });
});
