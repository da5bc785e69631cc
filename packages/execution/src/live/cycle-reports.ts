import type { StrategyOutput } from '@quantpipe/core';
import type { DecisionCore } from '../core/decision-core';
import type { CycleReport, DecisionReport } from '../cycle-report';

/** The report of a cycle that stopped before its risk check. */
export function emptyReport(runId: string, cycle: number, timestamp: string): CycleReport {
  return {
    runId,
    cycle,
    timestamp,
    status: 'skipped',
    decisions: [],
    weights: {},
    health: {},
    ic: {},
    hybrid: false,
    plannedOrders: [],
    orders: [],
    fills: [],
    riskVerdict: null,
    estimatedCostUsd: 0,
    buyingPowerScale: null,
    hedge: null,
    equityUsd: 0,
    equityAfterUsd: 0,
    leverageAfter: 0,
  };
}

/** The report fields a strategy's output fills. */
export function strategyFields(output: StrategyOutput): Pick<
  CycleReport,
  'weights' | 'health' | 'ic' | 'hybrid'
> & {
  weightsBySymbol?: CycleReport['weightsBySymbol'];
} {
  return {
    weights: output.weights,
    health: output.health,
    ic: output.ic,
    hybrid: output.hybrid,
    ...(output.weightsBySymbol ? { weightsBySymbol: output.weightsBySymbol } : {}),
  };
}

/** The cycle's decision lines: each usable decision of `output` with its sized target. */
export function decisionReports(
  core: DecisionCore,
  output: StrategyOutput,
  current: Readonly<Record<string, number>>,
): DecisionReport[] {
  const reports: DecisionReport[] = [];
  const d = core.decisions;
  for (let i = 0; i < d.count; i++) {
    if (core.sizing.usable[i] !== 1) continue;
    const decision = output.decisions[i];
    if (!decision) continue;
    reports.push({
      symbol: decision.symbol,
      composite: decision.composite,
      confidence: decision.confidence,
      signals: decision.signals,
      targetShares: core.sizing.targets[i] as number,
      currentShares: current[decision.symbol] ?? 0,
      priceUsd: core.priceOf(d.symbol[i] as number),
    });
  }
  return reports;
}
