import {
  ConfigError,
  silentLogger,
  type JournalEntryInput,
  type Logger,
  type Order,
  type PrecomputedStrategy,
  type IncrementalStrategy,
  type Strategy,
} from '@quantpipe/core';
import {
  engineConfigKeysOf,
  resolveEngineConfig,
  type EngineConfigInput,
} from '@quantpipe/execution';
import { CompositeStrategy, compositeStrategyConfigOf } from '@quantpipe/strategy';
import type { BacktestConfig } from '../config/backtest-config';
import { openMarket, type OpenedMarket } from '../data/open-market';
import type { BacktestResult } from '../result/backtest-result';
import type { AuditSummary } from './accounting-audit';
import { runAsyncDriver } from './async-driver';
import { runSyncDriver } from './sync-driver';

/** Options of {@link runBacktest}. */
export interface RunBacktestOptions {
  readonly config: BacktestConfig;
  /** A market already opened (tests reuse one); default: opened from `config`. */
  readonly market?: OpenedMarket;
  /**
   * The decision rule; default: the spec's full pipeline (`CompositeStrategy` of
   * `@quantpipe/strategy`: five signals, walk-forward weights and health, the 70/30 hybrid)
   * with the configuration's windows, as in live runs.
   */
  readonly strategy?: Strategy | PrecomputedStrategy | IncrementalStrategy;
  readonly logger?: Logger;
  /** Called after every step with (steps done, steps in all). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Run id (default from the config, else a timestamped one). */
  readonly runId?: string;
  /**
   * `sync` (default for daily rebalancing): the synchronous loop over the decision core;
   * `async` (hourly rebalancing): the live engine over the simulated venue.
   */
  readonly driver?: 'sync' | 'async';
  /** Keep the run's whole journal in the outcome (`journal`). */
  readonly keepJournal?: boolean;
}

/**
 * Every order the engine placed, in order (for the database). Each order's fill is
 * `fillFromOrder(order)` when it filled: the engine records exactly that fill.
 */
export interface BacktestOrderLog {
  readonly orders: readonly Order[];
}

/**
 * A finished backtest: the result for the outputs, the audit, and the order log. The engine's
 * cycle reports are not kept (a long run would hold every plan and verdict in memory); what
 * the outputs need of them is in the result and the order log.
 */
export interface BacktestOutcome {
  readonly result: BacktestResult;
  readonly audit: AuditSummary;
  readonly orderLog: BacktestOrderLog;
  /** The engine's journal of the run, when asked for (`keepJournal`). */
  readonly journal?: readonly JournalEntryInput[];
}

/**
 * The engine configuration of a backtest: the engine's pipeline keys, passed on unchanged (the
 * strategy's go to the strategy), with the market's universe.
 */
export function engineConfigFor(config: BacktestConfig, opened: OpenedMarket): EngineConfigInput {
  return {
    ...engineConfigKeysOf(config.pipeline),
    symbols: opened.market.symbols,
    benchmark_symbol: opened.market.benchmarkSymbol,
    use_hourly: opened.market.hourly !== undefined,
  };
}

/** Default run id: `bt-YYYYMMDD-HHMMSS` (wall clock). */
export function defaultRunId(nowMs = Date.now()): string {
  const iso = new Date(nowMs).toISOString();
  return `bt-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/**
 * Runs a backtest through the trading engine's decision core — the same code as live trading —
 * over a simulated clock and venue, and gathers the result, the audit and the order log.
 * Daily rebalancing runs the synchronous loop (`driver: 'sync'`, the default); hourly
 * rebalancing, or `driver: 'async'`, runs the live engine itself over the simulated venue
 * behind the async broker port. Both make the same orders, fills, journal and equity.
 */
export async function runBacktest(options: RunBacktestOptions): Promise<BacktestOutcome> {
  const started = Date.now();
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const opened = options.market ?? (await openMarket(config));
  const { market } = opened;
  const engineConfig = resolveEngineConfig(engineConfigFor(config, opened));
  const runId = options.runId ?? config.run_id ?? defaultRunId(started);
  const strategy =
    options.strategy ?? new CompositeStrategy(compositeStrategyConfigOf(config.pipeline));
  const driver = options.driver ?? (config.rebalance === 'hourly' ? 'async' : 'sync');
  if (driver === 'sync' && config.rebalance === 'hourly')
    throw new ConfigError('driver', 'hourly rebalancing runs on the async driver');
  const input = {
    config,
    opened,
    engineConfig,
    strategy,
    runId,
    logger,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.keepJournal ? { keepJournal: true } : {}),
  };
  const out = driver === 'sync' ? runSyncDriver(input) : await runAsyncDriver(input);
  const { cycles, hybridCycles } = out;
  const compositeMode = hybridCycles > 0 ? 'hybrid' : 'daily';
  const compositeReason =
    hybridCycles === 0
      ? `daily composite alone: ${market.hourly ? 'the engine found no usable hourly bars' : market.hourlyReason}`
      : hybridCycles === cycles
        ? `hybrid on every cycle: ${market.hourlyReason}`
        : `hybrid on ${hybridCycles} of ${cycles} cycles (daily alone where hourly bars were missing)`;
  const result: BacktestResult = {
    runId,
    sourceLabel: market.label,
    symbols: market.symbols,
    benchmarkSymbol: market.benchmarkSymbol,
    ...(market.benchmarkNote === undefined ? {} : { benchmarkNote: market.benchmarkNote }),
    dataWarnings: opened.dataWarnings ?? [],
    rebalance: config.rebalance,
    compositeMode,
    compositeReason,
    initialCapitalUsd: config.initial_capital,
    startDate: opened.startDate,
    endDate: opened.endDate,
    universeChanges: out.universeChanges,
    equity: out.equity,
    trades: out.trades,
    decisions: out.decisions,
    signalStates: out.signalStates,
    cycles,
    killSwitchResets: out.killSwitchResets,
    hedgeActiveSessions: out.hedgeActiveSessions,
    barsProcessed: out.steps * (market.symbols.length + 1),
    alerts: out.alerts.map((a) => ({
      timestamp: a.timestamp,
      level: a.level,
      message: `${a.title}: ${a.message}`,
    })),
    wallTimeMs: Date.now() - started,
    config,
  };
  return {
    result,
    audit: out.audit,
    orderLog: out.orderLog,
    ...(out.journal ? { journal: out.journal } : {}),
  };
}
