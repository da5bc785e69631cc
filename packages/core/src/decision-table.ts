/**
 * A strategy's decisions for every decision point of a backtest, computed before the
 * simulation from data known at each point (the precomputed form of a {@link Strategy}), as
 * columns. Decision `d` and symbol `s` (an index into `symbols`) are entry `d * symbols.length +
 * s`; per-signal values add `* signalNames.length + k`. An engine reads the row of the cycle it
 * runs and sizes it exactly as it would size a {@link StrategyOutput}.
 */
export interface DecisionTable {
  /** The universe, in the order of the columns. */
  readonly symbols: readonly string[];
  /** Number of decision points. */
  readonly decisions: number;
  /** Names of the per-signal columns (e.g. the five daily signals), possibly empty. */
  readonly signalNames: readonly string[];
  /** 1 where the symbol has a decision (it had bars), else 0. */
  readonly decided: Uint8Array;
  /** Composite signal fed to the sizing (spec 5.1). */
  readonly composite: Float64Array;
  /** Confidence multiplier (spec 3.3); 1 without the hourly hybrid. */
  readonly confidence: Float64Array;
  /** Share targets chosen by the strategy itself (NaN: the engine sizes the composite). */
  readonly targetShares?: Float64Array;
  /**
   * Target fractions of equity (NaN: none); the engine turns them into whole shares from the
   * equity at the decision, `trunc(equityUsd × weight / lastClose)`.
   */
  readonly targetWeights?: Float64Array;
  /** Per-signal values that went into the composite, `[(d * N + s) * K + k]`. */
  readonly signals: Float64Array;
  /**
   * Per-signal contributions to the daily composite, `[(d * N + s) * K + k]`: the signal's
   * effective (normalised) weight times its value; they sum to the daily composite.
   */
  readonly contributions?: Float64Array;
  /** Report figures per decision, `[d * K + k]`: mean signal weights over the decided symbols. */
  readonly weights: Float64Array;
  /** Mean health score per signal, `[d * K + k]` (NaN when no symbol has one). */
  readonly health: Float64Array;
  /** Mean latest information coefficient per signal, `[d * K + k]` (NaN when none). */
  readonly ic: Float64Array;
  /** 1 where the decision used the 70/30 daily/hourly hybrid. */
  readonly hybrid: Uint8Array;
  /** Remarks for the log, the same for every decision (e.g. "SPY missing: …"). */
  readonly notes: readonly string[];
}

/**
 * What a precomputed strategy sees at each decision point: for every symbol of the universe,
 * the bars of its series that are visible then, as a half-open index range `[first, end)` into
 * the full series the strategy was given. `first` is fixed (where the engine's history starts);
 * `end` grows with the decisions. The benchmark and the hourly series are described alike.
 */
export interface DecisionSchedule {
  /** Number of decision points. */
  readonly decisions: number;
  /** Per symbol: index of the first daily bar fed to the strategy. */
  readonly dailyFirst: Int32Array;
  /** `[d * N + s]`: exclusive end of the daily bars visible at decision `d`. */
  readonly dailyEnd: Int32Array;
  /** Index of the benchmark's first daily bar fed (ignored when it has none). */
  readonly benchmarkFirst: number;
  /** `[d]`: exclusive end of the benchmark bars visible at decision `d` (0 = none yet). */
  readonly benchmarkEnd: Int32Array;
  /** Per symbol: index of the first hourly bar held (when hourly series are given). */
  readonly hourlyFirst?: Int32Array;
  /** `[d * N + s]`: exclusive end of the hourly bars visible at decision `d`. */
  readonly hourlyEnd?: Int32Array;
  /** `[d]`: 1 where the hourly bars are handed to the strategy at decision `d`. */
  readonly hourlyUsed?: Uint8Array;
}
