import { NotFoundError, type Bar, type BarsRequest, type MarketData } from '@quantpipe/core';
import {
  AlertManager,
  MemoryAlertSink,
  MemoryJournal,
  SimBroker,
  SimClock,
  TargetWeightsStrategy,
  TradingEngine,
} from '../index';

// Twenty weekday sessions of two stocks and the benchmark, made up for the example.
const dates = Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)))
  .filter((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6)
  .map((d) => d.toISOString().slice(0, 10));
const barsOf = (symbol: string, startUsd: number, driftUsd: number): Bar[] =>
  dates.map((timestamp, i) => {
    const close = startUsd + driftUsd * i + Math.sin(i) * 0.5;
    return {
      symbol,
      timestamp,
      open: close - 0.25,
      high: close + 1,
      low: close - 1,
      close,
      volume: 2e6,
    };
  });
const daily: Record<string, Bar[]> = {
  ACME: barsOf('ACME', 100, 0.4),
  BOLT: barsOf('BOLT', 50, -0.2),
  SPY: barsOf('SPY', 470, 0.5),
};

const barAt = (symbol: string, i: number): Bar => {
  const bar = daily[symbol]?.[i];
  if (bar === undefined) throw new NotFoundError(`no bar ${i} of ${symbol}`);
  return bar;
};

// The MarketData port over those bars (a CSV folder or a vendor API in a real run).
const marketData: MarketData = {
  async getBars({ symbol, start, end }: BarsRequest): Promise<Bar[]> {
    const to = (end ?? '9999').slice(0, 10);
    return (daily[symbol] ?? []).filter(
      (b) => b.timestamp >= start.slice(0, 10) && b.timestamp <= to,
    );
  },
  async getLatestBar(symbol: string): Promise<Bar> {
    return barAt(symbol, dates.length - 1);
  },
};

export async function runEngineWithSimBroker() {
  let day = 10; // decide at this session's close, fill at the next session's open
  const closeOf = (i: number) => `${barAt('SPY', i).timestamp}T21:00:00.000Z`;
  const clock = new SimClock(closeOf(day));
  const broker = new SimBroker({
    initialCashUsd: 100_000,
    clock,
    commission: { kind: 'per_share', perShareUsd: 0.005, minUsd: 1, maxShareOfNotional: 0.01 },
    quote: (symbol) => ({
      priceUsd: barAt(symbol, day + 1).open,
      timestamp: clock.nowIso(),
      advShares: 2e6,
      volatility: 0.25,
    }),
  });
  const alerts = new MemoryAlertSink();
  const engine = new TradingEngine(
    { symbols: ['ACME', 'BOLT'], benchmark_symbol: 'SPY', use_hourly: false, history_days: 30 },
    {
      broker,
      marketData,
      journal: new MemoryJournal(),
      clock,
      alerts: new AlertManager({ sinks: [alerts] }),
      runId: 'example',
      strategy: new TargetWeightsStrategy({ ACME: 0.5, BOLT: -0.2 }), // signed equity fractions
    },
  );
  await engine.start();
  const cycles: string[] = [];
  for (; day < 15; day++) {
    clock.set(closeOf(day));
    const closes = Object.fromEntries(Object.keys(daily).map((s) => [s, barAt(s, day).close]));
    broker.markToMarket(closes, barAt('SPY', day).timestamp);
    const report = await engine.runCycle(); // decisions, orders, fills, risk verdict, ...
    cycles.push(`${barAt('SPY', day).timestamp} ${report.status}: ${report.fills.length} fills`);
  }
  const positions = await broker.getPositions();
  return {
    cycles,
    positions: positions.map((p) => `${p.symbol} ${p.quantity}`),
    equityUsd: broker.equityUsd(),
    feesUsd: broker.feesUsd,
    alerts: alerts.alerts.map((a) => `${a.level} ${a.title}`),
  };
}
