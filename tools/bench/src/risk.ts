/**
 * Risk benchmark: the per-cycle and per-backtest costs of @quantpipe/risk.
 * - StatefulTailHedge.apply over 10 years of daily returns (2,520 steps), 500 series;
 * - estimateSlippageBps, 1,000,000 calls;
 * - preTradeCostReport for a 500-symbol rebalance;
 * - RiskMonitor.check of an account with 500 positions;
 * - computePerformance of 10 years of daily returns with a benchmark and turnover.
 *
 * Run: node --conditions=@quantpipe/source --import tsx tools/bench/src/risk.ts
 */
import type { Account, Position } from '@quantpipe/core';
import {
  RiskMonitor,
  StatefulTailHedge,
  computePerformance,
  estimateSlippageBps,
  preTradeCostReport,
} from '@quantpipe/risk';
import { formatCount, machineLine, measure } from './harness';

const DAYS = 2520;
const SERIES = 500;

/** Deterministic pseudo-random returns (a sine-scrambled walk; no Math.random). */
function returnsOf(seed: number, n: number, scale: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(i * 12.9898 + seed * 78.233) * scale;
  return out;
}

function drawdownsOf(returns: readonly number[]): number[] {
  let wealth = 1;
  let peak = 1;
  return returns.map((r) => {
    wealth *= 1 + r;
    peak = Math.max(peak, wealth);
    return wealth / peak - 1;
  });
}

console.log(`risk benchmark — ${machineLine()} (shared 2-core machine; other work may be running)`);

const series = Array.from({ length: SERIES }, (_, s) => {
  const r = returnsOf(s, DAYS, 0.03);
  return { r, m: returnsOf(s + 1000, DAYS, 0.02), dd: drawdownsOf(r) };
});
const hedge = measure(
  () => {
    for (const s of series) new StatefulTailHedge().apply(s.r, s.m, s.dd);
  },
  { warmupRuns: 2, runs: 10 },
);
const steps = SERIES * DAYS;
console.log(
  `tail hedge: ${SERIES} x ${DAYS} steps in ${hedge.medianMs.toFixed(1)} ms median (p90 ${hedge.p90Ms.toFixed(1)}) — ` +
    `${formatCount(steps / (hedge.medianMs / 1000))} steps/s, ${((hedge.medianMs * 1e6) / steps).toFixed(0)} ns/step`,
);

const N_SLIP = 1_000_000;
const slip = measure(
  () => {
    let acc = 0;
    for (let i = 0; i < N_SLIP; i++) {
      acc += estimateSlippageBps({
        shares: (i % 50_000) - 25_000,
        adv: 1e6 + i,
        volatility: 0.1 + (i % 7) * 0.05,
      });
    }
    return acc;
  },
  { warmupRuns: 2, runs: 10 },
);
console.log(
  `slippage: ${formatCount(N_SLIP)} calls in ${slip.medianMs.toFixed(1)} ms median — ${((slip.medianMs * 1e6) / N_SLIP).toFixed(0)} ns/call`,
);

const targets: Record<string, number> = {};
const current: Record<string, number> = {};
const market: Record<string, { priceUsd: number; adv: number; volatility: number }> = {};
const positions: Position[] = [];
for (let i = 0; i < 500; i++) {
  const sym = `S${i}`;
  targets[sym] = 1000 + i;
  current[sym] = 500 + (i % 700);
  market[sym] = { priceUsd: 20 + i, adv: 1e6 + 1000 * i, volatility: 0.15 + (i % 10) * 0.02 };
  positions.push({
    symbol: sym,
    quantity: current[sym] as number,
    avgEntryPriceUsd: 20 + i,
    currentPriceUsd: 20 + i,
    marketValueUsd: (current[sym] as number) * (20 + i),
    unrealizedPnlUsd: 0,
  });
}
const cost = measure(() => preTradeCostReport(targets, current, market), {
  warmupRuns: 20,
  runs: 200,
});
console.log(
  `pre-trade cost report, 500 symbols: ${(cost.medianMs * 1000).toFixed(0)} µs median (p90 ${(cost.p90Ms * 1000).toFixed(0)} µs)`,
);

const monitor = new RiskMonitor();
let t = Date.UTC(2024, 0, 2, 15);
const check = measure(
  () => {
    t += 3_600_000;
    const account: Account = {
      cashUsd: 1e6,
      equityUsd: 5e7,
      buyingPowerUsd: 1e6,
      portfolioValueUsd: 5e7,
      timestamp: new Date(t).toISOString().replace('.000', ''),
    };
    return monitor.check(account, positions);
  },
  { warmupRuns: 20, runs: 500 },
);
console.log(
  `RiskMonitor.check, 500 positions: ${(check.medianMs * 1000).toFixed(0)} µs median (p90 ${(check.p90Ms * 1000).toFixed(0)} µs)`,
);

const r = returnsOf(7, DAYS, 0.012);
const b = returnsOf(8, DAYS, 0.01);
const turnover = returnsOf(9, DAYS, 0.1).map(Math.abs);
const perf = measure(
  () => computePerformance(r, { benchmarkReturns: b, turnover, riskFreeRateAnnual: 0.02 }),
  {
    warmupRuns: 5,
    runs: 50,
  },
);
console.log(
  `computePerformance, ${DAYS} days + benchmark + turnover: ${(perf.medianMs * 1000).toFixed(0)} µs median (p90 ${(perf.p90Ms * 1000).toFixed(0)} µs)`,
);
