import { SKIP_BAND_COST_BENEFIT } from '@quantpipe/execution';
import { parseBacktestConfig, type BacktestConfigInput } from '../config/backtest-config';
import { openMarket } from '../data/open-market';
import { runBacktest, type BacktestOutcome } from './run-backtest';

/** One synchronous backtest of the full pipeline under IBKR's fixed commissions. */
async function run(pipeline: BacktestConfigInput['pipeline']): Promise<BacktestOutcome> {
  const config = parseBacktestConfig({
    progress: false,
    symbols: ['SYNA', 'SYNB', 'SYNC'],
    synthetic: { sessions: 500, hourly: false },
    commission_model: 'per_share',
    ...(pipeline ? { pipeline } : {}),
  });
  return runBacktest({
    config,
    market: await openMarket(config),
    runId: 'band',
    keepJournal: true,
  });
}

describe('backtest: the cost-benefit no-trade band', () => {
  it('keeps the trades not worth their cost, reports why, and pays less in commissions', async () => {
    const off = await run(undefined);
    const on = await run({ expected_edge_bps: 20 });
    const skipped = (outcome: BacktestOutcome) =>
      (outcome.journal ?? []).filter(
        (e) =>
          e.kind === 'order_update' &&
          (e.payload as { status?: string } | null)?.status === 'skipped',
      );
    expect(skipped(off).map((e) => (e.payload as { reason: string }).reason)).not.toContain(
      SKIP_BAND_COST_BENEFIT,
    );
    const banded = skipped(on).filter(
      (e) => (e.payload as { reason: string }).reason === SKIP_BAND_COST_BENEFIT,
    );
    expect(banded.length).toBeGreaterThan(0);
    for (const e of banded) {
      const p = e.payload as { expectedEdgeUsd: number; estimatedCostUsd: number };
      expect(p.expectedEdgeUsd).toBeLessThanOrEqual(p.estimatedCostUsd);
      expect(p.estimatedCostUsd).toBeGreaterThan(0);
    }
    expect(on.result.trades.length).toBeGreaterThan(0);
    expect(on.result.trades.length).toBeLessThan(off.result.trades.length);
    expect(on.audit.feesUsd).toBeLessThan(off.audit.feesUsd);
    expect(on.audit.maxEquityErrorUsd).toBeLessThan(1e-6);
  }, 60_000);
});
