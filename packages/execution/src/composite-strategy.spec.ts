import { InMemoryMarketData, generateSyntheticMarket } from '@quantpipe/data-adapters';
import { computeDailySignals } from '@quantpipe/signals';
import { MemoryAlertSink } from './alert-manager';
import { BarStore } from './bar-store';
import { CompositeStrategy } from './composite-strategy';
import { MemoryJournal } from './memory-journal';
import { SimBroker } from './sim-broker';
import { SimClock } from './sim-clock';
import { TradingEngine } from './trading-engine';

const market = generateSyntheticMarket({ sessions: 420, includeHourly: true });
const SYMBOLS = ['SYNA', 'SYNB', 'SYNC'];

async function decideAt(
  index: number,
  bars = market.daily,
  hourly?: typeof market.hourly,
  healthWeighting = true,
) {
  const md = new InMemoryMarketData({ daily: bars, ...(hourly ? { hourly } : {}) });
  const store = new BarStore(md, '1Day');
  const end = market.dates[index] as string;
  for (const s of [...SYMBOLS, 'SYNMKT']) await store.refresh(s, '2000-01-01', end);
  const hourlyStore = new BarStore(md, '1Hour');
  if (hourly)
    for (const s of SYMBOLS)
      await hourlyStore.refresh(s, '2000-01-01T00:00:00Z', `${end}T20:00:00Z`);
  const strategy = new CompositeStrategy({ health_weighting: healthWeighting });
  return strategy.decide({
    cycle: 1,
    timestamp: `${end}T21:00:00.000Z`,
    symbols: SYMBOLS,
    benchmarkSymbol: 'SYNMKT',
    daily: store,
    ...(hourly ? { hourly: hourlyStore } : {}),
    equityUsd: 1e6,
    positions: {},
  });
}

describe('CompositeStrategy', () => {
  it('streams the same daily signals as the batch computation', async () => {
    const out = await decideAt(400);
    const bars = (market.daily.SYNA ?? []).slice(0, 401);
    const mkt = (market.daily.SYNMKT ?? []).slice(0, 401);
    const marketReturns = mkt.map((b, i) =>
      i === 0 ? NaN : b.close / (mkt[i - 1]?.close as number) - 1,
    );
    const batch = computeDailySignals({
      close: bars.map((b) => b.close),
      dates: bars.map((b) => b.timestamp),
      marketReturns,
    });
    const d = out.decisions.find((x) => x.symbol === 'SYNA');
    for (const name of ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'] as const) {
      const ref = batch[name][400] as number;
      expect(Math.abs((d?.signals[name] as number) - ref)).toBeLessThanOrEqual(
        1e-9 + 1e-7 * Math.abs(ref),
      );
    }
  });

  it('weights sum to 1 after the risk budgets and the composite is their weighted sum', async () => {
    const out = await decideAt(400, market.daily, undefined, false);
    for (const s of SYMBOLS) {
      const w = out.weightsBySymbol?.[s] ?? {};
      const sum = Object.values(w).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 12);
      expect(Object.keys(w)).toEqual(['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry']);
    }
    for (const d of out.decisions) {
      const w = out.weightsBySymbol?.[d.symbol] ?? {};
      let expected = 0;
      for (const [name, weight] of Object.entries(w))
        expected += weight * (d.signals[name] as number);
      expect(Math.abs(d.composite - expected)).toBeLessThanOrEqual(
        1e-12 * (1 + Math.abs(expected)),
      );
      expect(d.confidence).toBe(1);
      // The optimiser ran (not the equal starting weights).
      expect(Object.values(w).some((x) => Math.abs(x - 0.2) > 1e-6)).toBe(true);
    }
    expect(Object.keys(out.health).length).toBe(5);
  });

  it('has no look-ahead: truncating the data after the decision date changes nothing', async () => {
    const truncated: Record<string, (typeof market.daily)[string]> = {};
    for (const [s, bars] of Object.entries(market.daily)) truncated[s] = bars.slice(0, 351);
    const full = await decideAt(350);
    const cut = await decideAt(350, truncated);
    expect(JSON.stringify(cut)).toBe(JSON.stringify(full));
  });

  it('uses the 70/30 hybrid with confidence when hourly bars of the session exist', async () => {
    const out = await decideAt(400, market.daily, market.hourly);
    expect(out.hybrid).toBe(true);
    for (const d of out.decisions) {
      expect(d.confidence === 0.3 || d.confidence >= 0.7).toBe(true);
    }
  });

  it('runs as the engine default and trades the universe', async () => {
    const index = 380;
    const clock = new SimClock(`${market.dates[index]}T21:00:00.000Z`);
    const md = new InMemoryMarketData({ daily: market.daily });
    const quote = (s: string) => ({
      priceUsd: market.daily[s]?.[index + 1]?.open as number,
      timestamp: clock.nowIso(),
      advShares: 5e6,
      volatility: 0.2,
    });
    const broker = new SimBroker({ initialCashUsd: 1e6, quote, clock });
    const engine = new TradingEngine(
      { symbols: SYMBOLS, benchmark_symbol: 'SYNMKT', use_hourly: false },
      {
        broker,
        marketData: md,
        journal: new MemoryJournal(),
        clock,
        alerts: new MemoryAlertSink(),
        runId: 'c',
      },
    );
    const report = await engine.runCycle();
    expect(report.status).toBe('traded');
    expect(report.decisions).toHaveLength(3);
    const held = Object.fromEntries(
      (await broker.getPositions()).map((p) => [p.symbol, p.quantity]),
    );
    for (const d of report.decisions) expect(held[d.symbol] ?? 0).toBe(d.targetShares);
    expect(report.estimatedCostUsd).toBeGreaterThan(0);
  });
});
