/**
 * Engine benchmark: the peers' fixed rule (SMA 20 > SMA 60 per symbol, target =
 * trunc(equity × 0.9 / N / close) shares else 0, fills at the next open, sells first, $0.005 a
 * share, limits off) through `runBacktest` with the rule precomputed, so the figure is the
 * engine's; against a plain typed-array loop of the same rule (the floor). Synthetic markets of
 * 20, 100 and 500 symbols × 5,849 sessions.
 *
 *   node --conditions=@quantpipe/source --import tsx tools/bench/src/engine.ts [runs] [sizes…]
 *
 * Also the engine's cost per cycle outside any strategy: fixed share targets for 20 symbols
 * (one trading cycle, then nothing to trade). The incremental column runs the rule in the
 * incremental strategy form (its SMA sums stepped at each decision, the rule's time included).
 * Targets: at most 10× the floor at 20 and 100
 * symbols; µs per bar at 500 within 1.25× of 20; GC under 5 % of the run (the collections that
 * start while runBacktest runs, over its wall time).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { generateSyntheticMarket, syntheticUniverse } from '@quantpipe/data-adapters';
import { runBacktest, type LoadedMarket } from '@quantpipe/backtest';
import { FixedSharesStrategy } from './fixed-rule/fixed-shares-strategy';
import {
  fixedRuleConfig,
  openedFor,
  runEngine,
  COMMISSION_PER_SHARE_USD,
  INITIAL_CASH_USD,
} from './fixed-rule/engine-run';
import { runFloor, type FloorMarket } from './fixed-rule/floor';
import { SLOW_BARS } from './fixed-rule/sma-rule';
import { machineLine, quantileSorted } from './harness';

const SESSIONS = 5849;
const runs = Number(process.argv[2] ?? 5);
const sizes = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [20, 100, 500];

function marketOf(symbols: number): { loaded: LoadedMarket; floor: FloorMarket } {
  const generated = generateSyntheticMarket({
    sessions: SESSIONS,
    symbols: syntheticUniverse(symbols),
    includeHourly: false,
  });
  const loaded: LoadedMarket = {
    label: `synthetic ${symbols}`,
    symbols: generated.symbols,
    benchmarkSymbol: generated.marketSymbol,
    daily: generated.daily,
    hourly: undefined,
    hourlyReason: 'none',
  };
  const columns = (key: 'open' | 'close') =>
    generated.symbols.map((s) => Float64Array.from(generated.daily[s] ?? [], (b) => b[key]));
  return { loaded, floor: { open: columns('open'), close: columns('close'), sessions: SESSIONS } };
}

// Every collection, kept with its start: a run's GC share counts the collections that started
// between the call of runBacktest and its return (the strategy's precompute included, not the
// bench's own hashing of the trades afterwards), over that same window.
const collections: { readonly startMs: number; readonly durationMs: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    collections.push({ startMs: e.startTime, durationMs: e.duration });
}).observe({ entryTypes: ['gc'] });
const gcShareOf = (window: { readonly startMs: number; readonly endMs: number }): number => {
  let ms = 0;
  for (const c of collections)
    if (c.startMs >= window.startMs && c.startMs < window.endMs) ms += c.durationMs;
  return (100 * ms) / (window.endMs - window.startMs);
};

/**
 * A full collection before a measured run (when node runs with --expose-gc), so the run starts
 * with an empty young generation: the collections in its window are then those its own
 * allocations cause, not those the previous run's result checks left due.
 */
const collect = (globalThis as { gc?: () => void }).gc;
const startClean = (): void => collect?.();

const median = (xs: number[]) =>
  quantileSorted(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

console.log(
  `engine benchmark: fixed rule SMA20>SMA60, ${SESSIONS} sessions, ${runs} runs each (medians)`,
);
console.log(machineLine());
console.log(
  'symbols | floor s | engine s | µs/bar | × floor | GC % | incremental s | trades | same trades and equity',
);
const perBar: Record<number, number> = {};
for (const n of sizes) perBar[n] = await benchSize(n);

/**
 * Measures one market size and prints its row; returns µs per bar. A function of its own, so
 * that the market and the runs of one size are garbage before the next size is measured (kept
 * in the loop's frame until overwritten, a 100-symbol market stayed live through the 500-symbol
 * runs and lengthened their full collections).
 */
async function benchSize(n: number): Promise<number> {
  const { loaded, floor } = marketOf(n);
  const floorMs: number[] = [];
  let floorRun = runFloor(floor, SLOW_BARS, INITIAL_CASH_USD, COMMISSION_PER_SHARE_USD);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    floorRun = runFloor(floor, SLOW_BARS, INITIAL_CASH_USD, COMMISSION_PER_SHARE_USD);
    floorMs.push(performance.now() - t0);
  }
  await runEngine(loaded); // warm-up
  const engineMs: number[] = [];
  const gcShare: number[] = [];
  const windows: { readonly startMs: number; readonly endMs: number }[] = [];
  let engineRun = await runEngine(loaded);
  for (let r = 0; r < runs; r++) {
    startClean();
    engineRun = await runEngine(loaded);
    const ms = engineRun.outcome.result.wallTimeMs - engineRun.precomputeMs;
    engineMs.push(ms);
    windows.push(engineRun.window);
  }
  // GC entries reach the observer later, on timers: the shares are counted once all arrived.
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const w of windows) gcShare.push(gcShareOf(w));
  // The same rule in the incremental form (stepped at each decision inside the loop).
  await runEngine(loaded, 'incremental');
  const steppedMs: number[] = [];
  let stepped = await runEngine(loaded, 'incremental');
  for (let r = 0; r < runs; r++) {
    stepped = await runEngine(loaded, 'incremental');
    steppedMs.push(stepped.outcome.result.wallTimeMs);
  }
  const f = median(floorMs) / 1000;
  const e = median(engineMs) / 1000;
  const bars = n * (SESSIONS - SLOW_BARS);
  const usPerBar = (e * 1e6) / bars;
  const same =
    stepped.tradesHash === floorRun.tradesHash &&
    engineRun.trades === floorRun.trades &&
    engineRun.tradesHash === floorRun.tradesHash &&
    Math.abs(engineRun.finalEquityUsd - floorRun.finalEquityUsd) < 0.005;
  console.log(
    `${String(n).padStart(7)} | ${f.toFixed(3).padStart(7)} | ${e.toFixed(3).padStart(8)} | ${usPerBar.toFixed(3).padStart(6)} | ${(e / f).toFixed(1).padStart(7)} | ${median(gcShare).toFixed(1).padStart(4)} | ${(median(steppedMs) / 1000).toFixed(3).padStart(13)} | ${String(engineRun.trades).padStart(6)} | ${same ? 'yes' : `NO (engine ${engineRun.trades} ${engineRun.finalEquityUsd.toFixed(2)}, floor ${floorRun.trades} ${floorRun.finalEquityUsd.toFixed(2)})`}`,
  );
  return usPerBar;
}
if (perBar[20] !== undefined && perBar[500] !== undefined)
  console.log(
    `µs per bar at 500 symbols / at 20: ${((perBar[500] as number) / (perBar[20] as number)).toFixed(2)} (target <= 1.25)`,
  );

// The engine's cost per cycle outside any strategy: fixed targets, one trading cycle.
{
  const { loaded } = marketOf(20);
  const config = fixedRuleConfig(loaded);
  const run = () =>
    runBacktest({
      config,
      market: openedFor(loaded),
      strategy: new FixedSharesStrategy(100),
      runId: 'fixed',
    });
  await run();
  const ms: number[] = [];
  let cycles = 0;
  let orders = 0;
  for (let r = 0; r < runs; r++) {
    const out = await run();
    ms.push(out.result.wallTimeMs);
    cycles = out.result.cycles;
    orders = out.result.trades.length;
  }
  console.log(
    `fixed targets, 20 symbols: ${cycles} cycles, ${orders} orders in ${(median(ms) / 1000).toFixed(3)} s = ${((median(ms) * 1000) / cycles).toFixed(1)} µs per cycle (target <= 50)`,
  );
}
