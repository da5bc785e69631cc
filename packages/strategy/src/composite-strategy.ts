import type {
  Bar,
  DecisionTable,
  PrecomputeInput,
  PrecomputedStrategy,
  Strategy,
  StrategyDecision,
  StrategyInput,
  StrategyOutput,
} from '@quantpipe/core';
import { precomputeComposite } from './precompute-composite';
import {
  BetaState,
  CarryState,
  MomentumState,
  TailRiskState,
  ValidationState,
  VolatilityState,
  isoDayOfYear,
} from '@quantpipe/signals';
import { crossSectionalNormalizeInto, rollingZScoreAt } from '@quantpipe/weighting';
import {
  EQUAL_WEIGHTS,
  HYBRID_HOURLY_BARS,
  HYBRID_MIN_HOURLY_BARS,
  SIGNAL_NAMES,
  WeightReestimator,
  benchmarkMissingNote,
  combineSignals,
  healthOf,
  healthWindowBars,
  hybridComposite,
  type HybridResult,
} from './composite-steps';
import {
  resolveCompositeStrategyConfig,
  type CompositeStrategyConfig,
} from './composite-strategy-config';

const NAMES = SIGNAL_NAMES;

/** Weights by signal name, in signal order. */
function weightRecord(weights: ArrayLike<number>): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  NAMES.forEach((name, i) => (out[name] = weights[i] as number));
  return out;
}

/** One symbol's streaming state. Signal series are indexed in {@link SIGNAL_NAMES} order. */
class SymbolState {
  readonly vol: VolatilityState;
  readonly mom: MomentumState;
  readonly tail: TailRiskState;
  readonly beta: BetaState;
  readonly carry = new CarryState();
  readonly validation: ValidationState[];
  /** Signal history, one array per signal, aligned with `returns`. */
  readonly signals: number[][] = NAMES.map(() => []);
  readonly returns: number[] = [];
  /** Rolling IC and turnover-adjusted IC per signal; index s pairs signal[s] with return[s+1]. */
  readonly ic: number[][] = NAMES.map(() => []);
  readonly tic: number[][] = NAMES.map(() => []);
  prevClose = NaN;
  lastDate = '';
  barsSinceReweight = 0;
  /** Current weights in signal order, and as the record reported (replaced, never changed). */
  weightValues: Float64Array = Float64Array.from(EQUAL_WEIGHTS);
  weights: Readonly<Record<string, number>> = weightRecord(EQUAL_WEIGHTS);
  health: number[] = NAMES.map(() => NaN);
  latestIc: number[] = NAMES.map(() => NaN);

  constructor(cfg: CompositeStrategyConfig, withMarket: boolean) {
    this.vol = new VolatilityState(cfg.volatility_window);
    this.mom = new MomentumState(cfg.momentum_fast, cfg.momentum_slow, withMarket);
    this.tail = new TailRiskState(cfg.tail_window);
    this.beta = new BetaState(cfg.beta_window, withMarket);
    this.validation = NAMES.map(() => new ValidationState(cfg.validation_window));
  }
}

/**
 * The spec's pipeline as a streaming {@link Strategy}: per symbol, the five daily signals
 * (3.2) advance one bar at a time (only the bars that are new since the last cycle are fed);
 * every `reweight_interval_bars` bars the correlation-aware weights (4.1) are re-estimated on
 * the trailing `validation_window` rows and passed through the risk budgets (4.2), and each
 * signal's health score (3.1) is recomputed from its rolling IC — walk-forward, using only the
 * pairs (signal[s], return[s+1]) with s+1 <= t. The composite is
 * `Σ w_i·h_i·signal_i / Σ w_i·h_i` (health-scaled weights, renormalised; the spec leaves the
 * use of the health score open — this is our reading, `health_weighting: false` turns it off).
 * With hourly bars of the decision's session, the 70/30 hybrid (3.3) gives the composite and
 * its confidence; otherwise the confidence is 1.
 *
 * The market series is the benchmark's returns, reindexed on the symbol's dates and
 * forward-filled (2.2); without benchmark bars the signals use the spec's fallbacks.
 * State is rebuilt from history on start (it is not journaled): the engine fetches
 * `history_days` of bars first, so a restarted strategy reaches the same state.
 */
export class CompositeStrategy implements Strategy, PrecomputedStrategy {
  readonly name = 'composite';
  private readonly cfg: CompositeStrategyConfig;
  private readonly states = new Map<string, SymbolState>();
  private readonly marketReturns = new Map<string, number>();
  private benchmarkPrevClose = NaN;
  private benchmarkSeen = 0;
  /** One bar's five signal values (scratch, reused for every symbol and bar). */
  private readonly stepValues = new Float64Array(NAMES.length);
  private readonly estimatedWeights = new Float64Array(NAMES.length);
  private readonly effective = new Float64Array(NAMES.length);
  private readonly reestimator: WeightReestimator;

  constructor(config: Partial<CompositeStrategyConfig> = {}) {
    this.cfg = resolveCompositeStrategyConfig(config);
    this.reestimator = new WeightReestimator(this.cfg);
  }

  private feedBenchmark(bars: readonly Bar[]): void {
    for (const bar of bars) {
      this.marketReturns.set(bar.timestamp, bar.close / this.benchmarkPrevClose - 1);
      this.benchmarkPrevClose = bar.close;
    }
    this.benchmarkSeen += bars.length;
  }

  private feedSymbol(state: SymbolState, bars: readonly Bar[], withMarket: boolean): void {
    let lastMarket = NaN;
    const k = NAMES.length;
    const values = this.stepValues;
    for (const bar of bars) {
      const ret = bar.close / state.prevClose - 1;
      state.prevClose = bar.close;
      let mkt = NaN;
      if (withMarket) {
        const m = this.marketReturns.get(bar.timestamp);
        // reindex + ffill: a date the benchmark lacks takes its last known return.
        if (m !== undefined) lastMarket = m;
        mkt = m ?? lastMarket;
      }
      const date = bar.timestamp.length === 10 ? bar.timestamp : bar.timestamp.slice(0, 10);
      // DAILY_SIGNAL_NAMES order: Volatility, Momentum, TailRisk, Beta, Carry.
      values[0] = state.vol.step(ret);
      values[1] = state.mom.step(ret, mkt);
      values[2] = state.tail.step(ret);
      values[3] = state.beta.step(ret, mkt);
      values[4] = state.carry.step(ret, bar.close, isoDayOfYear(date));
      // Validation pairs (signal[s], return[s+1]): known now that bar s+1 is here.
      const n = state.returns.length;
      for (let i = 0; i < k; i++) {
        const series = state.signals[i] as number[];
        if (n > 0) {
          const v = state.validation[i] as ValidationState;
          v.step(series[n - 1] as number, ret);
          (state.ic[i] as number[]).push(v.ic);
          (state.tic[i] as number[]).push(v.turnoverAdjustedIc);
        }
        series.push(values[i] as number);
      }
      state.returns.push(ret);
      state.lastDate = bar.timestamp;
      state.barsSinceReweight += 1;
      if (state.barsSinceReweight >= this.cfg.reweight_interval_bars) {
        this.reweight(state);
        state.barsSinceReweight = 0;
      }
    }
  }

  /** Walk-forward re-estimation on the trailing window ending at the latest bar. */
  private reweight(state: SymbolState): void {
    const estimated = this.estimatedWeights;
    if (
      this.reestimator.weightsInto(state.signals, state.returns, state.returns.length, estimated)
    ) {
      state.weightValues = Float64Array.from(estimated);
      state.weights = weightRecord(estimated);
    }
    const lookback = this.cfg.health_lookback;
    const keep = healthWindowBars(lookback);
    for (let i = 0; i < NAMES.length; i++) {
      const ic = state.ic[i] as number[];
      state.latestIc[i] = ic.length > 0 ? (ic[ic.length - 1] as number) : NaN;
      if (ic.length >= lookback)
        state.health[i] = healthOf(
          ic,
          state.tic[i] as number[],
          lookback,
          Math.max(0, ic.length - keep),
          ic.length,
        );
    }
  }

  private hybrid(
    daily: number,
    lastDate: string,
    hourly: readonly Bar[],
  ): HybridResult | undefined {
    if (hourly.length < HYBRID_MIN_HOURLY_BARS) return undefined;
    const window = hourly.slice(-HYBRID_HOURLY_BARS);
    return hybridComposite(
      daily,
      lastDate,
      window.map((b) => b.high),
      window.map((b) => b.low),
      window.map((b) => b.close),
      window.map((b) => b.timestamp),
    );
  }

  /**
   * The decisions {@link CompositeStrategy.decide} would make at every point of a backtest's
   * schedule, computed in one batch pass (see {@link precomputeComposite}): bit for bit the
   * same numbers, from the same bars.
   */
  precompute(input: PrecomputeInput): DecisionTable {
    return precomputeComposite(
      this.cfg,
      {
        symbols: input.symbols,
        benchmarkSymbol: input.benchmarkSymbol,
        daily: input.daily,
        ...(input.benchmark ? { benchmark: input.benchmark } : {}),
        ...(input.hourly ? { hourly: input.hourly } : {}),
      },
      input.schedule,
    );
  }

  decide(input: StrategyInput): StrategyOutput {
    const benchmark = input.daily.newBars(input.benchmarkSymbol);
    const withMarket = this.benchmarkSeen + benchmark.length > 0;
    this.feedBenchmark(benchmark);
    const decisions: StrategyDecision[] = [];
    const weightsBySymbol: Record<string, Readonly<Record<string, number>>> = {};
    // Per-signal sums over the symbols, indexed in NAMES order (each sum runs over the symbols
    // in the same order as a keyed accumulation would, so the means are identical).
    const k = NAMES.length;
    const weightSums = new Float64Array(k);
    const healthSums = new Float64Array(k);
    const healthCounts = new Uint32Array(k);
    const icSums = new Float64Array(k);
    const icCounts = new Uint32Array(k);
    let hybridUsed = false;
    const values = this.stepValues;
    const notes: string[] = [];
    if (!withMarket) notes.push(benchmarkMissingNote(input.benchmarkSymbol));
    // First every symbol's new bars and signal values (normalised per symbol for rolling_z),
    // then the cross-sectional normalisation over the decided symbols (in universe order, as
    // the batch pass), then each composite.
    const mode = this.cfg.signal_normalization;
    const decided: { symbol: string; state: SymbolState }[] = [];
    for (const symbol of input.symbols) {
      let state = this.states.get(symbol);
      if (!state) {
        state = new SymbolState(this.cfg, withMarket);
        this.states.set(symbol, state);
      }
      this.feedSymbol(state, input.daily.newBars(symbol), withMarket);
      if (state.returns.length > 0) decided.push({ symbol, state });
    }
    const m = decided.length;
    const table = new Float64Array(m * k);
    decided.forEach(({ state }, j) => {
      const n = state.returns.length;
      for (let i = 0; i < k; i++) {
        const series = state.signals[i] as number[];
        table[j * k + i] =
          mode === 'rolling_z'
            ? rollingZScoreAt(series, n, this.cfg.signal_normalization_window)
            : (series[n - 1] as number);
      }
    });
    if (mode === 'cross_sectional_z' || mode === 'cross_sectional_rank') {
      const column = new Float64Array(m);
      const normalised = new Float64Array(m);
      const order = new Int32Array(m);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < m; j++) column[j] = table[j * k + i] as number;
        crossSectionalNormalizeInto(mode, column, normalised, order);
        for (let j = 0; j < m; j++) table[j * k + i] = normalised[j] as number;
      }
    }
    for (let j = 0; j < m; j++) {
      const { symbol, state } = decided[j] as { symbol: string; state: SymbolState };
      const signals: Record<string, number> = {};
      for (let i = 0; i < NAMES.length; i++) {
        const value = table[j * k + i] as number;
        values[i] = value;
        signals[NAMES[i] as string] = value;
      }
      const daily = combineSignals(
        state.weightValues,
        state.health,
        values,
        this.cfg.health_weighting,
        this.effective,
      );
      let composite = daily;
      let confidence = 1;
      if (input.hourly) {
        const h = this.hybrid(daily, state.lastDate, input.hourly.bars(symbol));
        if (h) {
          composite = h.composite;
          confidence = h.confidence;
          hybridUsed = true;
        }
      }
      decisions.push({ symbol, composite, confidence, signals });
      // Shared, not copied: a re-estimate replaces the object, it never changes it.
      weightsBySymbol[symbol] = state.weights;
      for (let i = 0; i < k; i++) {
        weightSums[i] = (weightSums[i] as number) + (state.weightValues[i] as number);
        const h = state.health[i] as number;
        if (Number.isFinite(h)) {
          healthSums[i] = (healthSums[i] as number) + h;
          healthCounts[i] = (healthCounts[i] as number) + 1;
        }
        const ic = state.latestIc[i] as number;
        if (Number.isFinite(ic)) {
          icSums[i] = (icSums[i] as number) + ic;
          icCounts[i] = (icCounts[i] as number) + 1;
        }
      }
    }
    const symbolsDecided = decisions.length || 1;
    const weights: Record<string, number> = {};
    const health: Record<string, number> = {};
    const ic: Record<string, number> = {};
    for (let i = 0; i < k; i++) {
      const name = NAMES[i] as string;
      weights[name] = (weightSums[i] as number) / symbolsDecided;
      if (healthCounts[i]) health[name] = (healthSums[i] as number) / (healthCounts[i] as number);
      if (icCounts[i]) ic[name] = (icSums[i] as number) / (icCounts[i] as number);
    }
    return { decisions, weights, weightsBySymbol, health, ic, hybrid: hybridUsed, notes };
  }
}
