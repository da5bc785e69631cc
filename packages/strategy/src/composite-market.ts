/** One symbol's (or the benchmark's) full daily series, as columns. */
export interface DailyCloseSeries {
  /** Session dates `YYYY-MM-DD`, strictly increasing. */
  readonly timestamps: readonly string[];
  /** Daily closes aligned with `timestamps` (finite, > 0). */
  readonly close: Float64Array;
}

/** One symbol's full hourly series, as columns. */
export interface HourlyBarSeries {
  /** ISO-8601 UTC instants (`YYYY-MM-DDTHH:MM:SSZ`), strictly increasing. */
  readonly timestamps: readonly string[];
  /** Bar highs aligned with `timestamps` (finite, > 0). */
  readonly high: Float64Array;
  /** Bar lows aligned with `timestamps` (finite, > 0). */
  readonly low: Float64Array;
  /** Bar closes aligned with `timestamps` (finite, > 0). */
  readonly close: Float64Array;
}

/**
 * Everything a backtest holds for the composite strategy, up front: the full series of every
 * symbol of the universe (which of their bars are visible at each decision is the
 * `DecisionSchedule`'s business, not this value's).
 */
export interface CompositeMarket {
  /** The universe, in the order of the decision table's columns. */
  readonly symbols: readonly string[];
  /** Name of the benchmark (used in the notes, e.g. when it has no bars). */
  readonly benchmarkSymbol: string;
  /** Per symbol, aligned with `symbols`: its full daily series. */
  readonly daily: readonly DailyCloseSeries[];
  /** The benchmark's full daily series, when there is one. */
  readonly benchmark?: DailyCloseSeries;
  /** Per symbol, aligned with `symbols`: its full hourly series, when hourly bars are used. */
  readonly hourly?: readonly HourlyBarSeries[];
}
