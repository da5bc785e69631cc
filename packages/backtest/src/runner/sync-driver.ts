import {
  StateError,
  isIncrementalStrategy,
  isPrecomputedStrategy,
  type DecisionTable,
  type PrecomputeInput,
  type Strategy,
} from '@quantpipe/core';
import { simAccountOf } from '@quantpipe/execution';
import { columnarMarket, type ColumnarMarket } from '../data/columnar-market';
import { runBacktestLoop } from './backtest-loop';
import { incrementalLoopStrategy, type LoopStrategy } from './loop-strategy';
import { decisionSchedule, type BacktestSchedule } from './decision-schedule';
import type { DriverInput, DriverOutput } from './driver';
import { lazyOrderLog, slippageFor } from './driver';
import { sessionTimeline, type SessionTimeline } from './timeline';

/**
 * The engine's strategy must see, at each decision, exactly the bars the engine sizes with:
 * every symbol's visible daily bars end at the step's bar (a check the loop relies on).
 */
function checkSchedule(
  columns: ColumnarMarket,
  timeline: SessionTimeline,
  schedule: BacktestSchedule,
): void {
  const n = columns.symbols.length;
  for (let d = 0; d < schedule.decisions; d++) {
    for (let s = 0; s < n; s++) {
      const end = schedule.dailyEnd[d * n + s] as number;
      const bar = timeline.barIndex[d * n + s] as number;
      if (end !== bar + 1)
        throw new StateError(
          `decision ${d}: the strategy sees ${columns.symbols[s]} up to bar ${end - 1}, the engine sizes at bar ${bar}`,
        );
    }
  }
}

/**
 * A daily backtest through the synchronous loop (see `runBacktestLoop`): the market as
 * columns, the timeline and the decision schedule are built once; a precomputed strategy is
 * computed for the whole history before the loop, an incremental one stepped at each decision,
 * any other strategy is asked every cycle.
 */
export function runSyncDriver(run: DriverInput): DriverOutput {
  const { config, opened, engineConfig } = run;
  const { market } = opened;
  const columns = columnarMarket(market);
  const timeline = sessionTimeline(market, opened);
  const decisions = Math.max(0, timeline.steps - 1);
  const schedule = decisionSchedule(columns, timeline.decisionMs, decisions, engineConfig);
  checkSchedule(columns, timeline, schedule);
  let strategy: LoopStrategy;
  const series: PrecomputeInput = {
    symbols: columns.symbols,
    benchmarkSymbol: columns.benchmarkSymbol,
    daily: columns.daily,
    benchmark: columns.benchmark,
    hourly: engineConfig.use_hourly ? columns.hourly : undefined,
    schedule,
  };
  if (isPrecomputedStrategy(run.strategy)) {
    const table: DecisionTable = run.strategy.precompute(series);
    if (table.decisions !== decisions || table.symbols.length !== columns.symbols.length)
      throw new StateError(
        `${run.strategy.name} computed ${table.decisions} decisions of ${table.symbols.length} symbols; the run has ${decisions} of ${columns.symbols.length}`,
      );
    strategy = { kind: 'table', table };
  } else if (isIncrementalStrategy(run.strategy)) {
    run.strategy.begin(series);
    strategy = incrementalLoopStrategy(run.strategy, columns.symbols.length);
  } else strategy = { kind: 'streaming', strategy: run.strategy as Strategy };
  const out = runBacktestLoop({
    runId: run.runId,
    engineConfig,
    initialCapitalUsd: config.initial_capital,
    slippage: slippageFor(config),
    account: simAccountOf(config),
    market,
    columns,
    timeline,
    schedule,
    strategy,
    logger: run.logger,
    ...(run.onProgress ? { onProgress: run.onProgress } : {}),
  });
  return {
    equity: out.equity.points(timeline),
    trades: out.trades,
    decisions: out.decisions,
    signalStates: out.signalStates,
    alerts: out.alerts,
    audit: out.audit.summary(),
    orderLog: lazyOrderLog(() => out.events.orders()),
    cycles: out.cycles,
    hybridCycles: out.hybridCycles,
    killSwitchResets: out.killSwitchResets,
    hedgeActiveSessions: out.hedgeActiveSessions,
    steps: timeline.steps,
    universeChanges: timeline.universeChanges,
    ...(run.keepJournal ? { journal: out.events.entries() } : {}),
  };
}
