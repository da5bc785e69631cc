import {
  ValidationError,
  isQuantpipeError,
  type DecisionSchedule,
  type DecisionTable,
} from '@quantpipe/core';
import { computeDailySignals, pctChange, rollingValidation } from '@quantpipe/signals';
import { isCrossSectional, rollingZScoreAt } from '@quantpipe/weighting';
import type { CompositeMarket, DailyCloseSeries } from './composite-market';
import {
  EQUAL_WEIGHTS,
  SIGNALS,
  SIGNAL_NAMES,
  WeightReestimator,
  benchmarkMissingNote,
  combineSignals,
  healthOf,
  healthWindowBars,
} from './composite-steps';
import {
  resolveCompositeStrategyConfig,
  type CompositeStrategyConfig,
} from './composite-strategy-config';
import { assertDecisionSchedule } from './decision-schedule';
import { hybridAtDecision, normaliseCrossSection } from './normalise-cross-section';
import { symbolPassScratch } from './symbol-pass-scratch';

export { normaliseCrossSection } from './normalise-cross-section';

/**
 * Symbols computed before their entries are written into the table: 8 symbols' composites
 * fill a cache line, so the table is written line by line rather than one scattered entry at
 * a time.
 */
const SYMBOLS_PER_WRITE = 8;

/** A decision table whose columns can be written (what the pass fills in). */
export type CompositeDecisionTable = DecisionTable & { readonly contributions: Float64Array };

/**
 * One symbol's share of the per-decision report figures, from {@link precomputeCompositeSymbol}:
 * the weights, health and latest ICs of each re-estimate that some decision saw, and which one
 * each decision saw. {@link summariseCompositeDecisions} averages them over the symbols.
 */
export interface CompositeSymbolFigures {
  /** Index of the symbol in the universe. */
  readonly symbolIndex: number;
  /** `[d]`: the estimate in force at decision `d`, or -1 where the symbol had no bars. */
  readonly estimateAt: Int32Array;
  /** `[e * K + k]`: weight of signal k in estimate e (estimate 0: the equal start). */
  readonly weights: Float64Array;
  /** `[e * K + k]`: health score (NaN while unknown). */
  readonly health: Float64Array;
  /** `[e * K + k]`: latest IC at the estimate (NaN while unknown). */
  readonly ic: Float64Array;
  /** `[d]`: 1 where the 70/30 hybrid gave the symbol's composite. */
  readonly hybrid: Uint8Array;
}

/**
 * One symbol's entries of the decision table, by decision (`[d]`, per signal `[d * K + k]`),
 * as {@link precomputeCompositeSymbol} computes them; {@link writeCompositeColumns} puts them
 * in the table. Reusable from one symbol to the next.
 */
export interface CompositeSymbolColumns {
  readonly decided: Uint8Array;
  readonly composite: Float64Array;
  readonly confidence: Float64Array;
  readonly signals: Float64Array;
  readonly contributions: Float64Array;
}

/** What {@link precomputeCompositeSymbol} computes for one symbol. */
export interface CompositeSymbolPass {
  /** The symbol's entries at every decision. */
  readonly columns: CompositeSymbolColumns;
  /** The symbol's share of the per-decision report figures. */
  readonly figures: CompositeSymbolFigures;
}

/** Empty columns for one symbol over `decisions` decisions. */
export function createCompositeSymbolColumns(decisions: number): CompositeSymbolColumns {
  return {
    decided: new Uint8Array(decisions),
    composite: new Float64Array(decisions),
    confidence: new Float64Array(decisions),
    signals: new Float64Array(decisions * SIGNALS),
    contributions: new Float64Array(decisions * SIGNALS),
  };
}

/**
 * The empty table of the composite strategy for `market` and `schedule` (columns zeroed; the
 * per-symbol entries are written by {@link writeCompositeColumns}, the per-decision ones by
 * {@link summariseCompositeDecisions}).
 */
export function createCompositeDecisionTable(
  market: CompositeMarket,
  schedule: DecisionSchedule,
): CompositeDecisionTable {
  const cells = schedule.decisions * market.symbols.length;
  return {
    symbols: market.symbols,
    decisions: schedule.decisions,
    signalNames: SIGNAL_NAMES,
    decided: new Uint8Array(cells),
    composite: new Float64Array(cells),
    confidence: new Float64Array(cells),
    signals: new Float64Array(cells * SIGNALS),
    contributions: new Float64Array(cells * SIGNALS),
    weights: new Float64Array(schedule.decisions * SIGNALS),
    health: new Float64Array(schedule.decisions * SIGNALS),
    ic: new Float64Array(schedule.decisions * SIGNALS),
    hybrid: new Uint8Array(schedule.decisions),
    notes: [],
  };
}

function assertDailySeries(argument: string, series: DailyCloseSeries | undefined): void {
  if (
    series === undefined ||
    !Array.isArray(series.timestamps) ||
    !(series.close instanceof Float64Array)
  )
    throw new ValidationError(argument, 'expected { timestamps: string[], close: Float64Array }');
  if (series.timestamps.length !== series.close.length)
    throw new ValidationError(
      `${argument}.close`,
      `length ${series.close.length} differs from timestamps (${series.timestamps.length})`,
    );
}

/**
 * Checks the shape of a market: one daily (and hourly, when given) series per symbol, columns
 * of equal lengths, the benchmark's timestamps strictly increasing.
 * @throws ValidationError naming the offending series.
 */
export function assertCompositeMarket(market: CompositeMarket): void {
  if (market === null || typeof market !== 'object' || !Array.isArray(market.symbols))
    throw new ValidationError('market', 'expected { symbols, benchmarkSymbol, daily, … }');
  const n = market.symbols.length;
  if (!Array.isArray(market.daily) || market.daily.length !== n)
    throw new ValidationError('market.daily', `expected ${n} series, one per symbol`);
  market.daily.forEach((series, s) => assertDailySeries(`market.daily[${s}]`, series));
  if (market.benchmark !== undefined) {
    assertDailySeries('market.benchmark', market.benchmark);
    const ts = market.benchmark.timestamps;
    for (let i = 1; i < ts.length; i++)
      if (!((ts[i - 1] as string) < (ts[i] as string)))
        throw new ValidationError(
          `market.benchmark.timestamps[${i}]`,
          `must increase: ${String(ts[i])} after ${String(ts[i - 1])}`,
        );
  }
  if (market.hourly !== undefined) {
    if (!Array.isArray(market.hourly) || market.hourly.length !== n)
      throw new ValidationError('market.hourly', `expected ${n} series, one per symbol`);
    market.hourly.forEach((series, s) => {
      const len = series.timestamps.length;
      for (const key of ['high', 'low', 'close'] as const)
        if (!(series[key] instanceof Float64Array) || series[key].length !== len)
          throw new ValidationError(
            `market.hourly[${s}].${key}`,
            `expected a Float64Array of ${len} values`,
          );
    });
  }
}

/** Whether the benchmark has bars at the first decision (the strategy's signals then use it). */
function benchmarkAtStart(market: CompositeMarket, schedule: DecisionSchedule): boolean {
  return (
    market.benchmark !== undefined &&
    schedule.decisions > 0 &&
    (schedule.benchmarkEnd[0] as number) > schedule.benchmarkFirst
  );
}

/**
 * The market return of each of the symbol's bars `timestamps[0, m)` as the streaming strategy
 * sees it: the benchmark's return of the same date when that benchmark bar is visible by the
 * decision that feeds the symbol's bar, else the last one found earlier in the same batch of
 * new bars (NaN at a batch's start) — the spec's reindex + forward fill, one batch at a time.
 * `visible[d]` is the symbol's visible count at decision d. Written into `out` (m values).
 */
function alignedMarketReturns(
  timestamps: readonly string[],
  first: number,
  visible: Int32Array,
  benchmark: DailyCloseSeries,
  schedule: DecisionSchedule,
  out: Float64Array,
): Float64Array {
  const m = visible.length > 0 ? (visible[visible.length - 1] as number) : 0;
  const bts = benchmark.timestamps;
  const bClose = benchmark.close;
  const bFirst = schedule.benchmarkFirst;
  const bLength = bts.length;
  let ptr = bFirst;
  let j = 0;
  for (let d = 0; d < visible.length && j < m; d++) {
    const end = visible[d] as number;
    if (end <= j) continue;
    const bVisible = Math.max(bFirst, schedule.benchmarkEnd[d] as number);
    let last = NaN;
    for (; j < end; j++) {
      const ts = timestamps[first + j] as string;
      while (ptr < bLength && (bts[ptr] as string) < ts) ptr++;
      if (ptr < bVisible && bts[ptr] === ts) {
        last = ptr === bFirst ? NaN : (bClose[ptr] as number) / (bClose[ptr - 1] as number) - 1;
      }
      out[j] = last;
    }
  }
  return out;
}

/**
 * Symbol `s`'s entries of the table at every decision — `decided`, `composite`, `confidence`,
 * `signals`, `contributions` — and its share of the report figures. Reads only the symbol's
 * own series, the benchmark's and the schedule (inputs it does not check: see
 * {@link precomputeComposite}), so symbols can be computed in any order or on several threads.
 *
 * @param columns where to write the entries (default: new ones); reusable once written out.
 * @throws ValidationError for a bad config, or bars the signals reject (naming the symbol).
 */
export function precomputeCompositeSymbol(
  config: Partial<CompositeStrategyConfig>,
  market: CompositeMarket,
  schedule: DecisionSchedule,
  s: number,
  columns: CompositeSymbolColumns = createCompositeSymbolColumns(schedule.decisions),
): CompositeSymbolPass {
  const out = columns;
  const cfg = resolveCompositeStrategyConfig(config);
  const n = market.symbols.length;
  const decisions = schedule.decisions;
  const K = SIGNALS;
  const series = market.daily[s] as DailyCloseSeries;
  const first = schedule.dailyFirst[s] as number;
  const visible = new Int32Array(decisions);
  for (let d = 0; d < decisions; d++)
    visible[d] = Math.max(first, schedule.dailyEnd[d * n + s] as number) - first;
  const m = decisions > 0 ? (visible[decisions - 1] as number) : 0;
  const R = cfg.reweight_interval_bars;
  // Estimates some decision sees: at most one per decision, plus the equal start.
  const slots = Math.min(decisions, Math.floor(m / R)) + 1;
  const figures: CompositeSymbolFigures = {
    symbolIndex: s,
    estimateAt: new Int32Array(decisions).fill(-1),
    weights: new Float64Array(slots * K),
    health: new Float64Array(slots * K).fill(NaN),
    ic: new Float64Array(slots * K).fill(NaN),
    hybrid: new Uint8Array(decisions),
  };
  figures.weights.set(EQUAL_WEIGHTS);
  for (let d = 0; d < decisions; d++) {
    if (visible[d] !== 0) continue;
    out.decided[d] = 0;
    out.composite[d] = NaN;
    out.confidence[d] = NaN;
    out.signals.fill(NaN, d * K, d * K + K);
    out.contributions.fill(NaN, d * K, d * K + K);
  }
  if (m === 0) return { columns: out, figures };

  const close = series.close.subarray(first, first + m);
  // the symbol's series live until it is done: one set of arrays serves symbol after symbol
  const scratch = symbolPassScratch(m);
  let signalColumns: Float64Array[];
  try {
    const signals = computeDailySignals(
      {
        close,
        // the whole series when it is all fed: the signals then reuse a check of the same
        // dates array (symbols often share one)
        dates:
          first === 0 && m === series.timestamps.length
            ? series.timestamps
            : series.timestamps.slice(first, first + m),
        ...(benchmarkAtStart(market, schedule)
          ? {
              marketReturns: alignedMarketReturns(
                series.timestamps,
                first,
                visible,
                market.benchmark as DailyCloseSeries,
                schedule,
                scratch.marketReturns,
              ),
            }
          : {}),
      },
      {
        volatility_window: cfg.volatility_window,
        momentum_fast: cfg.momentum_fast,
        momentum_slow: cfg.momentum_slow,
        tail_window: cfg.tail_window,
        beta_window: cfg.beta_window,
      },
      scratch.signals,
    );
    signalColumns = [
      signals.Volatility,
      signals.Momentum,
      signals.TailRisk,
      signals.Beta,
      signals.Carry,
    ];
  } catch (error) {
    if (isQuantpipeError(error) && error instanceof ValidationError)
      throw new ValidationError(
        `market.daily[${s}]`,
        `${market.symbols[s]} (bars from index ${first}): ${error.message}`,
      );
    throw error;
  }
  const returns = pctChange(close);
  const ic: Float64Array[] = [];
  const tic: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    const v = rollingValidation(signalColumns[k] as Float64Array, returns, {
      window: cfg.validation_window,
      out: scratch.validation[k],
    });
    ic.push(v.ic);
    tic.push(v.turnoverAdjustedIc);
  }

  const reestimator = new WeightReestimator(cfg);
  const lookback = cfg.health_lookback;
  const keep = healthWindowBars(lookback);
  const weights = Float64Array.from(EQUAL_WEIGHTS);
  const health = new Float64Array(K).fill(NaN);
  const values = new Float64Array(K);
  const effective = new Float64Array(K);
  const crossSectional = isCrossSectional(cfg.signal_normalization);
  let estimates = 1;
  let point = -1;
  for (let d = 0; d < decisions; d++) {
    const count = visible[d] as number;
    if (count === 0) continue;
    // The latest re-estimate: after bar j when (j + 1) is a multiple of the interval, counting
    // the bars fed from the symbol's first one.
    const j = Math.floor(count / R) * R - 1;
    if (j >= 0 && j !== point) {
      point = j;
      const e = estimates++;
      reestimator.weightsInto(signalColumns, returns, j + 1, weights);
      // ICs known after bar j: pairs (signal[t], return[t + 1]) for t < j.
      for (let k = 0; k < K; k++) {
        if (j >= lookback) {
          const from = Math.max(0, j - keep);
          health[k] = healthOf(ic[k] as Float64Array, tic[k] as Float64Array, lookback, from, j);
        }
        figures.ic[e * K + k] = j > 0 ? ((ic[k] as Float64Array)[j - 1] as number) : NaN;
      }
      figures.weights.set(weights, e * K);
      figures.health.set(health, e * K);
    }
    figures.estimateAt[d] = j < 0 ? 0 : estimates - 1;

    const t = count - 1;
    for (let k = 0; k < K; k++) {
      const column = signalColumns[k] as Float64Array;
      values[k] =
        cfg.signal_normalization === 'rolling_z'
          ? rollingZScoreAt(column, t + 1, cfg.signal_normalization_window)
          : (column[t] as number);
    }
    const daily = combineSignals(weights, health, values, cfg.health_weighting, effective);
    out.decided[d] = 1;
    for (let k = 0; k < K; k++) out.signals[d * K + k] = values[k] as number;
    if (crossSectional) {
      // Finished by normaliseCrossSection once every symbol is known: the raw values stay in
      // `signals` and the effective weights wait in `contributions`.
      out.composite[d] = NaN;
      out.confidence[d] = NaN;
      for (let k = 0; k < K; k++) out.contributions[d * K + k] = effective[k] as number;
      continue;
    }
    const h = hybridAtDecision(market, schedule, s, d, daily);
    if (h) figures.hybrid[d] = 1;
    out.composite[d] = h ? h.composite : daily;
    out.confidence[d] = h ? h.confidence : 1;
    for (let k = 0; k < K; k++)
      out.contributions[d * K + k] = (effective[k] as number) * (values[k] as number);
  }
  return { columns: out, figures };
}

/**
 * Writes the entries of the symbols `passes` hold into `table` (entry `d * N + s`), decision
 * by decision so that the table is written in order.
 */
export function writeCompositeColumns(
  table: CompositeDecisionTable,
  passes: readonly CompositeSymbolPass[],
): CompositeDecisionTable {
  const n = table.symbols.length;
  const K = SIGNALS;
  for (let d = 0; d < table.decisions; d++) {
    for (const { columns, figures } of passes) {
      const cell = d * n + figures.symbolIndex;
      table.decided[cell] = columns.decided[d] as number;
      table.composite[cell] = columns.composite[d] as number;
      table.confidence[cell] = columns.confidence[d] as number;
      for (let k = 0; k < K; k++) {
        table.signals[cell * K + k] = columns.signals[d * K + k] as number;
        table.contributions[cell * K + k] = columns.contributions[d * K + k] as number;
      }
    }
  }
  return table;
}

/** Per decision and signal (`[d * K + k]`), sums over the symbols; `decided[d]` counts them. */
interface DecisionSums {
  readonly weights: Float64Array;
  readonly health: Float64Array;
  readonly healthCounts: Uint32Array;
  readonly ic: Float64Array;
  readonly icCounts: Uint32Array;
  readonly decided: Uint32Array;
}

/**
 * Adds one symbol's figures to the sums of every decision it has an estimate at, and its hybrid
 * flags to `hybrid`. A function of its own, called once per symbol: as the inner loop of
 * {@link summariseCompositeDecisions} (called once per backtest) it ran in on-stack-replaced
 * code that was left, back to the interpreter, at the end of every symbol.
 */
function addSymbolFigures(
  sums: DecisionSums,
  hybridOut: Uint8Array,
  figures: CompositeSymbolFigures,
): void {
  const K = SIGNALS;
  const { estimateAt, weights, health, ic, hybrid } = figures;
  const decisions = sums.decided.length;
  for (let d = 0; d < decisions; d++) {
    const e = estimateAt[d] as number;
    if (e < 0) continue;
    sums.decided[d] = (sums.decided[d] as number) + 1;
    hybridOut[d] = (hybridOut[d] as number) | (hybrid[d] as number);
    for (let k = 0; k < K; k++) {
      const at = d * K + k;
      sums.weights[at] = (sums.weights[at] as number) + (weights[e * K + k] as number);
      const h = health[e * K + k] as number;
      if (Number.isFinite(h)) {
        sums.health[at] = (sums.health[at] as number) + h;
        sums.healthCounts[at] = (sums.healthCounts[at] as number) + 1;
      }
      const x = ic[e * K + k] as number;
      if (Number.isFinite(x)) {
        sums.ic[at] = (sums.ic[at] as number) + x;
        sums.icCounts[at] = (sums.icCounts[at] as number) + 1;
      }
    }
  }
}

/**
 * Fills in the per-decision columns — mean weights over the decided symbols, mean health and
 * mean latest IC over the symbols that have one (NaN when none), the hybrid flag — and the
 * notes, from every symbol's figures (summed in symbol order, as the streaming strategy does).
 */
export function summariseCompositeDecisions(
  table: CompositeDecisionTable,
  figures: readonly CompositeSymbolFigures[],
  market: CompositeMarket,
  schedule: DecisionSchedule,
): CompositeDecisionTable {
  const n = market.symbols.length;
  const K = SIGNALS;
  const bySymbol: CompositeSymbolFigures[] = new Array<CompositeSymbolFigures>(n);
  for (const f of figures) bySymbol[f.symbolIndex] = f;
  for (let s = 0; s < n; s++)
    if (bySymbol[s] === undefined)
      throw new ValidationError('figures', `missing the figures of ${market.symbols[s]}`);
  const decisions = schedule.decisions;
  // Per decision and signal, sums over the symbols; symbol by symbol, so that each decision's
  // sums run over the symbols in order, as the streaming strategy's do.
  const sums: DecisionSums = {
    weights: new Float64Array(decisions * K),
    health: new Float64Array(decisions * K),
    healthCounts: new Uint32Array(decisions * K),
    ic: new Float64Array(decisions * K),
    icCounts: new Uint32Array(decisions * K),
    decided: new Uint32Array(decisions),
  };
  table.hybrid.fill(0);
  for (let s = 0; s < n; s++)
    addSymbolFigures(sums, table.hybrid, bySymbol[s] as CompositeSymbolFigures);
  const {
    weights: weightSums,
    health: healthSums,
    healthCounts,
    ic: icSums,
    icCounts,
    decided,
  } = sums;
  for (let d = 0; d < decisions; d++) {
    const denominator = decided[d] || 1;
    for (let k = 0; k < K; k++) {
      const at = d * K + k;
      table.weights[at] = (weightSums[at] as number) / denominator;
      table.health[at] = healthCounts[at]
        ? (healthSums[at] as number) / (healthCounts[at] as number)
        : NaN;
      table.ic[at] = icCounts[at] ? (icSums[at] as number) / (icCounts[at] as number) : NaN;
    }
  }
  const notes = benchmarkAtStart(market, schedule)
    ? []
    : [benchmarkMissingNote(market.benchmarkSymbol)];
  return { ...table, notes };
}

/**
 * The composite strategy's decisions for every decision of a backtest in one batch pass:
 * entry `(d, s)` equals, bit for bit, what {@link CompositeStrategy.decide} returns for symbol
 * `s` at decision `d` when it is fed, decision after decision, the bars `schedule` makes
 * visible (its `newBars` are the bars that became visible since the previous decision). The
 * strategy ignores positions and equity, so nothing of the simulation is needed.
 *
 * The same numbers as the stream, including its details: benchmark returns are forward-filled
 * within one batch of new bars only; the signals use the benchmark when it had bars at the
 * first decision; re-estimates happen every `reweight_interval_bars` bars counted from the
 * symbol's first bar; a symbol without visible bars has no decision (`decided` 0, NaN
 * entries). `contributions` are the effective normalised weights times the signal values: in
 * signal order they sum to the daily composite (before the hybrid). `notes` hold the benchmark
 * note when the benchmark had no bars at the first decision (the stream repeats it only while
 * it has none; its signals stay without the benchmark all the same).
 * The universe is the same at every decision; a benchmark that is also one of its symbols is
 * passed as both, with the same ranges in the schedule (the stream sees one series).
 *
 * Per symbol the work is independent: {@link precomputeCompositeSymbol} reads only the
 * symbol's series, the benchmark's and the schedule. To use worker threads, give each worker
 * the market, the schedule and a share of the symbols; let it post back each symbol's
 * {@link CompositeSymbolPass} (its typed arrays can be transferred, not copied); then, on the
 * calling thread, {@link createCompositeDecisionTable}, {@link writeCompositeColumns} with all
 * passes and {@link summariseCompositeDecisions} with all figures — the result is this
 * function's, bit for bit (the means are summed in symbol order whoever computed them).
 * Here, one thread computes the symbols a few at a time and writes each group out in
 * decision order (the table's order), reusing the group's columns.
 *
 * @param config strategy settings (defaults: the spec's).
 * @param market every symbol's full daily series (and the benchmark's, and hourly ones).
 * @param schedule which bars each decision sees.
 * @throws ValidationError for a bad config, market or schedule.
 */
export function precomputeComposite(
  config: Partial<CompositeStrategyConfig>,
  market: CompositeMarket,
  schedule: DecisionSchedule,
): CompositeDecisionTable {
  resolveCompositeStrategyConfig(config);
  assertCompositeMarket(market);
  assertDecisionSchedule(schedule, market);
  const table = createCompositeDecisionTable(market, schedule);
  const n = market.symbols.length;
  const group = Math.min(SYMBOLS_PER_WRITE, n);
  const buffers = Array.from({ length: group }, () =>
    createCompositeSymbolColumns(schedule.decisions),
  );
  const figures: CompositeSymbolFigures[] = [];
  for (let start = 0; start < n; start += group) {
    const passes: CompositeSymbolPass[] = [];
    for (let s = start; s < Math.min(n, start + group); s++) {
      const pass = precomputeCompositeSymbol(
        config,
        market,
        schedule,
        s,
        buffers[s - start] as CompositeSymbolColumns,
      );
      passes.push(pass);
      figures.push(pass.figures);
    }
    writeCompositeColumns(table, passes);
  }
  normaliseCrossSection(config, table, figures, market, schedule);
  return summariseCompositeDecisions(table, figures, market, schedule);
}
