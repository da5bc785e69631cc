// Runnable: node --conditions=@quantpipe/source --import tsx packages/execution/examples/engine-with-sim-broker.ts
import { InMemoryMarketData, generateSyntheticMarket } from '@quantpipe/data-adapters';
import {
  AlertManager,
  MemoryJournal,
  SimBroker,
  SimClock,
  TradingEngine,
} from '@quantpipe/execution';

const market = generateSyntheticMarket({ sessions: 400, includeHourly: false });
const marketData = new InMemoryMarketData({ daily: market.daily });
let day = 300;
const closeOf = (i: number) => `${market.dates[i]}T21:00:00.000Z`; // decide after the close
const clock = new SimClock(closeOf(day));
const broker = new SimBroker({
  initialCashUsd: 1_000_000,
  clock,
  commissionPerShareUsd: 0.005,
  minCommissionUsd: 1,
  // Decision at the close of day t fills at the open of day t+1 (no look-ahead).
  quote: (symbol) => {
    const bars = market.daily[symbol] ?? [];
    const next = bars[day + 1] ?? bars[day];
    const window = bars.slice(day - 19, day + 1);
    return {
      priceUsd: next?.open ?? NaN,
      timestamp: clock.nowIso(),
      advShares: window.reduce((s, b) => s + b.volume, 0) / window.length,
      volatility: 0.25,
    };
  },
});
const engine = new TradingEngine(
  { symbols: ['SYNA', 'SYNB', 'SYNC'], benchmark_symbol: market.marketSymbol, use_hourly: false },
  {
    broker,
    marketData,
    journal: new MemoryJournal(),
    clock,
    alerts: new AlertManager(),
    runId: 'example',
  },
);
await engine.start();
for (; day < 305; day++) {
  clock.set(closeOf(day));
  const closes = Object.fromEntries(
    Object.entries(market.daily).map(([s, b]) => [s, b[day]?.close ?? NaN]),
  );
  broker.markToMarket(closes, market.dates[day] as string);
  const report = await engine.runCycle();
  console.log(
    report.timestamp,
    report.status,
    report.orders.length,
    'orders',
    report.decisions.map((d) => `${d.symbol}:${d.targetShares}`).join(' '),
    'equity',
    report.equityAfterUsd.toFixed(2),
  );
}
console.log('fees', broker.feesUsd.toFixed(2), 'slippage', broker.slippageUsd.toFixed(2));
