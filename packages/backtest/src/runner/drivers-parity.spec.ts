import { SKIP_BAND_COST_BENEFIT, TargetWeightsStrategy } from '@quantpipe/execution';
import { parseBacktestConfig, type BacktestConfigInput } from '../config/backtest-config';
import { openMarket } from '../data/open-market';
import { runBacktest, type BacktestOutcome } from './run-backtest';

/** Runs one backtest through both drivers and returns the two outcomes. */
async function bothDrivers(
  input: BacktestConfigInput,
  strategy?: () => TargetWeightsStrategy,
): Promise<[BacktestOutcome, BacktestOutcome]> {
  const config = parseBacktestConfig({ progress: false, ...input });
  const market = await openMarket(config);
  const run = (driver: 'sync' | 'async') =>
    runBacktest({
      config,
      market,
      runId: 'parity',
      driver,
      keepJournal: true,
      ...(strategy ? { strategy: strategy() } : {}),
    });
  return [await run('sync'), await run('async')];
}

function expectSameRun(sync: BacktestOutcome, live: BacktestOutcome): void {
  expect(sync.orderLog.orders).toEqual(live.orderLog.orders);
  expect(sync.result.trades.toArray()).toEqual(live.result.trades.toArray());
  expect(sync.result.equity).toEqual(live.result.equity);
  // The precomputed table also carries each signal's contribution; the stream does not.
  const withoutContributions = (rows: readonly object[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'contributions')));
  expect(withoutContributions(sync.result.decisions.toArray())).toEqual(
    withoutContributions(live.result.decisions.toArray()),
  );
  expect(sync.result.signalStates).toEqual(live.result.signalStates);
  expect(sync.result.alerts).toEqual(live.result.alerts);
  expect(sync.audit).toEqual(live.audit);
  expect(sync.journal).toEqual(live.journal);
}

describe('the synchronous backtest loop and the live engine decide alike', () => {
  it('the full pipeline over three years (hybrid composite, tail hedge, kill-switch trips)', async () => {
    const [sync, live] = await bothDrivers({
      symbols: ['SYNA', 'SYNB', 'SYNC', 'SYND'],
      synthetic: { sessions: 1010, hourly: true },
      pipeline: { kill_switch_reset: 'cooldown', cooldown_sessions: 10, scale_in_sessions: 3 },
    });
    expect(live.result.cycles).toBeGreaterThan(700);
    expect(live.result.trades.length).toBeGreaterThan(1000);
    expect(live.result.killSwitchResets).toBeGreaterThan(0);
    expect(live.result.compositeMode).toBe('hybrid');
    expect((live.journal ?? []).length).toBeGreaterThan(5000);
    expectSameRun(sync, live);
  }, 120_000);

  it('a fixed-weight strategy with commissions, margin refusals and a liquidation', async () => {
    const [sync, live] = await bothDrivers(
      {
        symbols: ['SYNA', 'SYNB', 'SYNC'],
        synthetic: { sessions: 400, hourly: false },
        warmup_sessions: 60,
        commission_per_share_usd: 0.005,
        pipeline: { max_leverage: 4, max_drawdown: -0.05 },
      },
      () => new TargetWeightsStrategy({ SYNA: 2.5, SYNB: -1.5, SYNC: 1.2 }),
    );
    const kinds = new Set((live.journal ?? []).map((e) => e.kind));
    expect(kinds.has('order_update')).toBe(true);
    expect(live.result.alerts.some((a) => a.message.startsWith('ORDER REJECTED'))).toBe(true);
    expectSameRun(sync, live);
  }, 120_000);

  it('the cost-benefit no-trade band under IBKR commissions: the same trades kept, for the same reason', async () => {
    const [sync, live] = await bothDrivers({
      symbols: ['SYNA', 'SYNB', 'SYNC'],
      synthetic: { sessions: 500, hourly: false },
      commission_model: 'per_share',
      pipeline: { expected_edge_bps: 20 },
    });
    const banded = (live.journal ?? []).filter(
      (e) =>
        e.kind === 'order_update' &&
        (e.payload as { reason?: string } | null)?.reason === SKIP_BAND_COST_BENEFIT,
    );
    expect(banded.length).toBeGreaterThan(0);
    expect(live.result.trades.length).toBeGreaterThan(0);
    expectSameRun(sync, live);
  }, 120_000);
});
