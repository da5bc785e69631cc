import type { Bar } from './bar';
import type { DecisionSchedule, DecisionTable } from './decision-table';
import type { JsonValue } from './json';

/**
 * A bar series as columns: entry `i` of every column is bar `i`, ascending. The columns may be
 * longer than the series (they grow by doubling): read the first `length` entries.
 */
export interface BarColumns {
  readonly symbol: string;
  /** Bars in the series. */
  readonly length: number;
  /** Bar timestamps (`YYYY-MM-DD` for daily bars, ISO-8601 UTC starts for intraday ones). */
  readonly timestamps: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Bars of the universe that the strategy may see: everything up to the decision time, no more. */
export interface BarView {
  /** All bars held for the symbol, ascending, ending at the decision time (read-only). */
  bars(symbol: string): readonly Bar[];
  /** Bars that arrived since the previous cycle (a suffix of {@link BarView.bars}). */
  newBars(symbol: string): readonly Bar[];
  /**
   * The same bars as {@link BarView.bars}, as columns (for strategies that read many bars
   * each cycle); undefined for a symbol without bars. Views that hold columns offer it.
   */
  columns?(symbol: string): BarColumns | undefined;
}

/** What a strategy gets at each cycle. */
export interface StrategyInput {
  readonly cycle: number;
  /** Decision instant, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /** Daily bars; the benchmark is included when the data source has it. */
  readonly daily: BarView;
  /** Hourly bars, when available and enabled. */
  readonly hourly?: BarView;
  readonly equityUsd: number;
  /** Current signed share counts. */
  readonly positions: Readonly<Record<string, number>>;
}

/** One symbol's decision. */
export interface StrategyDecision {
  readonly symbol: string;
  /** Composite signal fed to the sizing (spec 5.1). */
  readonly composite: number;
  /** Confidence multiplier (spec 3.3); 1 without the hourly hybrid. */
  readonly confidence: number;
  /** The individual signal values, e.g. `{ Volatility, Momentum, TailRisk, Beta, Carry }`. */
  readonly signals: Readonly<Record<string, number>>;
  /**
   * Share target chosen by the strategy itself. When absent, the engine sizes the composite
   * with the spec's liquidity-aware sizing.
   */
  readonly targetShares?: number;
}

/** What a strategy returns. */
export interface StrategyOutput {
  readonly decisions: readonly StrategyDecision[];
  /** Signal weights used for the composite (global, or see `weightsBySymbol`). */
  readonly weights: Readonly<Record<string, number>>;
  /** Per-symbol signal weights, when the strategy weighs each symbol separately. */
  readonly weightsBySymbol?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Health score per signal (0..1). */
  readonly health: Readonly<Record<string, number>>;
  /** Latest information coefficient per signal. */
  readonly ic: Readonly<Record<string, number>>;
  /** Whether the 70/30 daily/hourly hybrid was used. */
  readonly hybrid: boolean;
  /** Free-form remarks for the log (e.g. "SPY missing: market = returns × 0.6"). */
  readonly notes?: readonly string[];
}

/** A pluggable decision rule. Strategies may keep state across cycles (streaming signals). */
export interface Strategy {
  readonly name: string;
  decide(input: StrategyInput): StrategyOutput | Promise<StrategyOutput>;
  /** State to journal after a cycle, so a restart resumes it. */
  snapshot?(): JsonValue;
  /** Restores {@link Strategy.snapshot} output. */
  restore?(state: JsonValue): void;
}

/**
 * The precomputed form of a strategy that ignores positions and equity: a backtest computes
 * its decisions for the whole history before the simulation, from the bars each decision point
 * may see (the schedule), instead of calling {@link Strategy.decide} every cycle. The
 * decisions must be the ones `decide` would make at each point.
 */
export interface PrecomputedStrategy {
  readonly name: string;
  /**
   * The decisions at every point of `schedule`. `daily(s)` / `hourly(s)` are the full series of
   * universe symbol `s` (the schedule says which bars each point sees); `benchmark` the
   * benchmark's daily series, when there is one.
   */
  precompute(input: PrecomputeInput): DecisionTable;
}

/** What a {@link PrecomputedStrategy} is computed from. */
export interface PrecomputeInput {
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /** Full daily series per universe symbol (index as in `symbols`). */
  readonly daily: readonly BarColumns[];
  readonly benchmark: BarColumns | undefined;
  /** Full hourly series per universe symbol, when there are hourly bars. */
  readonly hourly: readonly BarColumns[] | undefined;
  readonly schedule: DecisionSchedule;
}

/** Whether `strategy` offers the precomputed form. */
export function isPrecomputedStrategy(strategy: unknown): strategy is PrecomputedStrategy {
  return (
    typeof strategy === 'object' &&
    strategy !== null &&
    typeof (strategy as { precompute?: unknown }).precompute === 'function'
  );
}
