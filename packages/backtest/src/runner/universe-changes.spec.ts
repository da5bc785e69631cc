import { TargetWeightsStrategy } from '@quantpipe/execution';
import { parseBacktestConfig, type BacktestConfig } from '../config/backtest-config';
import { openMarket, type OpenedMarket } from '../data/open-market';
import { computeBacktestMetrics } from '../output/performance';
import type { TradeRecord } from '../result/backtest-result';
import { runBacktest } from './run-backtest';

/**
 * A universe whose members list and delist: on a synthetic market, SYNB's bars begin at session
 * 150 and SYNC's end at session 240, while the benchmark's (the calendar) cover all 320.
 */
const config: BacktestConfig = parseBacktestConfig({
  symbols: ['SYNA', 'SYNB', 'SYNC', 'SYND'],
  synthetic: { sessions: 320, seed: 7, hourly: false },
  warmup_sessions: 60,
  progress: false,
  // Wide limits: the book stays invested, so every listing and delisting is traded through.
  pipeline: { max_drawdown: -0.9, max_daily_loss: -0.5 },
});

async function changingUniverse(): Promise<{
  opened: OpenedMarket;
  listsAt: string;
  delistsAt: string;
}> {
  const opened = await openMarket(config);
  const dates = (opened.market.daily['SYNA'] ?? []).map((b) => b.timestamp);
  const listsAt = dates[150] as string;
  const delistsAt = dates[240] as string;
  const daily = { ...opened.market.daily };
  daily['SYNB'] = (daily['SYNB'] ?? []).filter((b) => b.timestamp >= listsAt);
  daily['SYNC'] = (daily['SYNC'] ?? []).filter((b) => b.timestamp <= delistsAt);
  // Without its source the run builds (and validates) one from the changed bars.
  const { source: _built, ...rest } = opened;
  return { opened: { ...rest, market: { ...opened.market, daily } }, listsAt, delistsAt };
}

const weights = { SYNA: 0.3, SYNB: 0.3, SYNC: -0.3, SYND: 0.2 };

describe('a universe whose members list and delist', () => {
  it('trades a symbol from its first bar and closes it at its last close, with an alert', async () => {
    const { opened, listsAt, delistsAt } = await changingUniverse();
    const { result, audit } = await runBacktest({
      config,
      market: opened,
      runId: 'uc',
      strategy: new TargetWeightsStrategy(weights),
    });
    expect(result.universeChanges).toEqual([
      { symbol: 'SYNB', change: 'listed', date: listsAt },
      { symbol: 'SYNC', change: 'delisted', date: delistsAt },
    ]);
    const trades = [...result.trades];
    const of = (symbol: string): TradeRecord[] => trades.filter((t) => t.symbol === symbol);
    // SYNB: nothing before its first bar; bought at an open after it, at the fixed weight.
    const synb = of('SYNB');
    expect(synb.length).toBeGreaterThan(0);
    expect(synb.every((t) => t.timestamp.slice(0, 10) > listsAt)).toBe(true);
    expect(synb[0]?.side).toBe('buy');
    // SYNC: short until its last session, then bought back at that session's close, at no cost.
    const sync = of('SYNC');
    const settlement = sync[sync.length - 1] as TradeRecord;
    const lastClose = opened.market.daily['SYNC']?.at(-1)?.close as number;
    expect(settlement).toMatchObject({
      timestamp: `${delistsAt}T21:00:00.000Z`,
      side: 'buy',
      priceUsd: lastClose,
      referencePriceUsd: lastClose,
      commissionUsd: 0,
      slippageUsd: 0,
      clientOrderId: `uc-delisted-SYNC-${delistsAt}`,
    });
    const heldBefore = sync
      .slice(0, -1)
      .reduce((q, t) => q + (t.side === 'buy' ? t.quantity : -t.quantity), 0);
    expect(heldBefore).toBeLessThan(0);
    expect(settlement.quantity).toBe(-heldBefore);
    expect(sync.every((t) => t.timestamp.slice(0, 10) <= delistsAt)).toBe(true);
    const warning = result.alerts.filter((a) =>
      a.message.startsWith('POSITION CLOSED AT DELISTING'),
    );
    expect(warning).toEqual([
      {
        timestamp: `${delistsAt}T21:00:00.000Z`,
        level: 'WARNING',
        message: `POSITION CLOSED AT DELISTING: SYNC has no bar after ${delistsAt}: ${heldBefore} shares closed at its last close ${lastClose} USD`,
      },
    ]);
    // Every mark is a number, the book is flat in SYNC after it delists, and the audit
    // (cash, positions and costs replayed from the fills at every step) passed every step.
    for (const p of result.equity) {
      expect(Number.isFinite(p.equityUsd)).toBe(true);
      expect(Number.isFinite(p.grossExposureUsd)).toBe(true);
    }
    expect(audit.checks).toBe(result.equity.length);
    const metrics = computeBacktestMetrics(result, audit);
    expect(metrics.universeChanges).toEqual(result.universeChanges);
    expect(JSON.parse(JSON.stringify(metrics)).universeChanges).toHaveLength(2);
  }, 60_000);

  it('runs the default composite strategy through the listing and the delisting', async () => {
    const { opened, listsAt, delistsAt } = await changingUniverse();
    const { result, audit } = await runBacktest({ config, market: opened, runId: 'ucc' });
    expect(audit.checks).toBe(result.equity.length);
    const trades = [...result.trades];
    expect(trades.some((t) => t.symbol === 'SYNB')).toBe(true);
    expect(
      trades.filter((t) => t.symbol === 'SYNB').every((t) => t.timestamp.slice(0, 10) > listsAt),
    ).toBe(true);
    expect(
      trades.filter((t) => t.symbol === 'SYNC').every((t) => t.timestamp.slice(0, 10) <= delistsAt),
    ).toBe(true);
    // Decisions on a symbol exist only while it is listed, and none carries a NaN target.
    for (const d of result.decisions) {
      expect(Number.isFinite(d.targetShares)).toBe(true);
      if (d.symbol === 'SYNB') expect(d.timestamp.slice(0, 10) >= listsAt).toBe(true);
      if (d.symbol === 'SYNC') expect(d.timestamp.slice(0, 10) < delistsAt).toBe(true);
    }
    expect(result.equity.every((p) => Number.isFinite(p.equityUsd))).toBe(true);
  }, 60_000);
});
