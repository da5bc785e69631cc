// Throughput of the engine with the default CompositeStrategy on the synthetic market:
//   node --conditions=@quantpipe/source --import tsx packages/execution/bench/engine-throughput.ts [symbols] [sessions] [every]
// `every`: rebalance every N sessions (1 = daily). Prints bars/s and wall time.
import {
  InMemoryMarketData,
  generateSyntheticMarket,
  syntheticUniverse,
} from '@quantpipe/data-adapters';
import { MemoryAlertSink, MemoryJournal, SimBroker, SimClock, TradingEngine } from '../src/index';

const symbolsCount = Number(process.argv[2] ?? 100);
const sessions = Number(process.argv[3] ?? 2520);
const every = Number(process.argv[4] ?? 21);
const t0 = performance.now();
const market = generateSyntheticMarket({
  sessions,
  symbols: syntheticUniverse(symbolsCount),
  includeHourly: false,
});
const t1 = performance.now();
const md = new InMemoryMarketData({ daily: market.daily });
const closeOf = (i: number): string => `${market.dates[i]}T21:00:00.000Z`;
const start = 300;
const clock = new SimClock(closeOf(start));
let index = start;
const broker = new SimBroker({
  initialCashUsd: 1_000_000,
  clock,
  quote: (symbol) => {
    const series = market.daily[symbol] ?? [];
    const next = series[index + 1] ?? series[index];
    return {
      priceUsd: next?.open ?? 1,
      timestamp: clock.nowIso(),
      advShares: 1e6,
      volatility: 0.25,
    };
  },
});
const engine = new TradingEngine(
  {
    symbols: market.symbols,
    benchmark_symbol: market.marketSymbol,
    use_hourly: false,
    history_days: 5000,
    max_stale_sessions: 5,
  },
  {
    broker,
    marketData: md,
    journal: new MemoryJournal({ keepCycles: 2 }),
    clock,
    alerts: new MemoryAlertSink(),
    runId: 'bench',
  },
);
let cycles = 0;
let orders = 0;
for (index = start; index < sessions - 1; index++) {
  clock.set(closeOf(index));
  const prices: Record<string, number> = {};
  for (const s of Object.keys(market.daily)) prices[s] = market.daily[s]?.[index]?.close as number;
  broker.markToMarket(prices, market.dates[index] as string);
  if ((index - start) % every !== 0) continue;
  const r = await engine.runCycle();
  cycles++;
  orders += r.orders.length;
}
const t2 = performance.now();
const bars = symbolsCount * sessions;
console.log(
  JSON.stringify({
    symbols: symbolsCount,
    sessions,
    rebalanceEverySessions: every,
    cycles,
    orders,
    generateMs: Math.round(t1 - t0),
    engineMs: Math.round(t2 - t1),
    barsPerSecond: Math.round(bars / ((t2 - t1) / 1000)),
    equityUsd: (await broker.getAccount()).equityUsd,
  }),
);
