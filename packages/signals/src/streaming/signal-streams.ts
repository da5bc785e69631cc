import { BetaState, betaWarmupBars } from '../signals/beta';
import { CarryState, carryWarmupBars } from '../signals/carry';
import {
  resolveDailySignalConfig,
  type DailySignalConfig,
  type ResolvedDailySignalConfig,
} from '../signals/config';
import { dailySignalWarmupBars, type DailySignalName } from '../signals/daily';
import { MomentumState, momentumWarmupBars } from '../signals/momentum';
import { TailRiskState, tailRiskWarmupBars } from '../signals/tail-risk';
import { VolatilityState, volatilityWarmupBars } from '../signals/volatility';
import { DailyBarFeed, type CheckedBar, type DailyBar, type DailyStreamOptions } from './daily-bar';

/** Options of the streams: the signal windows, `warmup` and `withMarket`. */
/** Options of the single-signal streams: the signal's windows (spec names or camelCase) and the bar feed's. */
export type StreamOptions = DailySignalConfig & DailyStreamOptions;

/** Splits stream options into the resolved signal config and `withMarket` (default true). */
function resolveStreamOptions(opts: StreamOptions | undefined): {
  cfg: ResolvedDailySignalConfig;
  withMarket: boolean;
} {
  if (opts === undefined || opts === null || typeof opts !== 'object') {
    return { cfg: resolveDailySignalConfig(opts, 'opts'), withMarket: true };
  }
  const { withMarket, ...config } = opts;
  return { cfg: resolveDailySignalConfig(config, 'opts'), withMarket: withMarket ?? true };
}

/** What a single-signal stream is made of: its state and how one checked bar steps it. */
interface StreamParts {
  readonly state: { readonly isReady: boolean };
  readonly step: (bar: CheckedBar) => number;
  readonly warmupBars: number;
}

/**
 * What the five single-signal streams share: the checked bar feed, the latest value, the bar
 * count and the warm-up. A subclass only says what its parts are.
 */
abstract class SingleSignalStream {
  private readonly feed = new DailyBarFeed();
  private readonly parts: StreamParts;
  /** The latest value (NaN before the first bar). */
  value = NaN;
  /** Bars before the signal's first value on gap-free closes (see the `*WarmupBars` functions). */
  readonly warmupBars: number;

  protected constructor(parts: StreamParts) {
    this.parts = parts;
    this.warmupBars = parts.warmupBars;
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Whether the signal has had a value: its warm-up is over (the values before are 0 or NaN). */
  get isReady(): boolean {
    return this.parts.state.isReady;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    this.feed.advance(bar);
    this.value = this.parts.step(this.feed);
    return this.value;
  }
}

/**
 * Streaming Volatility signal: `update(bar)` per new daily bar returns the signal at that bar,
 * equal (bit for bit) to `volatilitySignal(pctChange(closes))` at the same index.
 */
export class VolatilityStream extends SingleSignalStream {
  /** @param opts `volatility_window` (default 20), `warmup`. */
  constructor(opts?: DailySignalConfig) {
    const { cfg } = resolveStreamOptions(opts);
    const state = new VolatilityState(cfg.volatilityWindow, cfg.warmup);
    super({ state, step: (b) => state.step(b.ret), warmupBars: volatilityWarmupBars(cfg) });
  }
}

/**
 * Streaming Momentum signal (excess over `bar.marketReturn`, or raw momentum with
 * `withMarket: false`), equal to `momentumSignal` at every step.
 */
export class MomentumStream extends SingleSignalStream {
  /** @param opts `momentum_fast` (20), `momentum_slow` (60), `warmup`, `withMarket` (true). */
  constructor(opts?: StreamOptions) {
    const { cfg, withMarket } = resolveStreamOptions(opts);
    const state = new MomentumState(cfg.momentumFast, cfg.momentumSlow, withMarket, cfg.warmup);
    const step = (b: CheckedBar): number => state.step(b.ret, b.marketReturn);
    super({ state, step, warmupBars: momentumWarmupBars(cfg) });
  }
}

/** Streaming TailRisk signal, equal to `tailRiskSignal` at every step. */
export class TailRiskStream extends SingleSignalStream {
  /** @param opts `tail_window` (default 60), `warmup`. */
  constructor(opts?: DailySignalConfig) {
    const { tailWindow, warmup } = resolveStreamOptions(opts).cfg;
    const state = new TailRiskState(tailWindow, warmup);
    super({
      state,
      step: (b) => state.step(b.ret),
      warmupBars: tailRiskWarmupBars({ tailWindow }),
    });
  }
}

/**
 * Streaming Beta signal (against `bar.marketReturn`, or `returns * 0.6` with
 * `withMarket: false`), equal to `betaSignal` at every step.
 */
export class BetaStream extends SingleSignalStream {
  /** @param opts `beta_window` (default 60), `warmup`, `withMarket` (true). */
  constructor(opts?: StreamOptions) {
    const { cfg, withMarket } = resolveStreamOptions(opts);
    const state = new BetaState(cfg.betaWindow, withMarket, cfg.warmup);
    const step = (b: CheckedBar): number => state.step(b.ret, b.marketReturn);
    super({ state, step, warmupBars: betaWarmupBars(cfg) });
  }
}

/** Streaming Carry signal, equal to `carrySignal` at every step. */
export class CarryStream extends SingleSignalStream {
  /** @param opts only `warmup` applies (Carry has no configurable window). */
  constructor(opts?: DailySignalConfig) {
    const state = new CarryState(resolveStreamOptions(opts).cfg.warmup);
    const step = (b: CheckedBar): number => state.step(b.ret, b.close, b.dayOfYear);
    super({ state, step, warmupBars: carryWarmupBars() });
  }
}

/** The five daily signal values of one bar. */
export type DailySignalValues = Record<DailySignalName, number>;

/**
 * All five daily signals of one symbol, streaming: `update(bar)` returns
 * `{ Volatility, Momentum, TailRisk, Beta, Carry }` at that bar, equal (bit for bit) to
 * `computeDailySignals` at the same index.
 */
export class DailySignalsStream {
  /** Bars before each signal's first value on gap-free closes ({@link dailySignalWarmupBars}). */
  readonly warmupBars: Readonly<Record<DailySignalName, number>>;
  private readonly feed = new DailyBarFeed();
  private readonly volatility: VolatilityState;
  private readonly momentum: MomentumState;
  private readonly tailRisk: TailRiskState;
  private readonly beta: BetaState;
  private readonly carry: CarryState;

  /** @param opts the signal windows (spec names or camelCase), `warmup`, `withMarket` (true). */
  constructor(opts?: StreamOptions) {
    const { cfg, withMarket } = resolveStreamOptions(opts);
    const { warmup } = cfg;
    this.volatility = new VolatilityState(cfg.volatilityWindow, warmup);
    this.momentum = new MomentumState(cfg.momentumFast, cfg.momentumSlow, withMarket, warmup);
    this.tailRisk = new TailRiskState(cfg.tailWindow, warmup);
    this.beta = new BetaState(cfg.betaWindow, withMarket, warmup);
    this.carry = new CarryState(warmup);
    this.warmupBars = dailySignalWarmupBars(cfg);
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Whether every signal has had a value: all warm-ups are over. */
  get isReady(): boolean {
    const { volatility, momentum, tailRisk, beta, carry } = this;
    return (
      volatility.isReady && momentum.isReady && tailRisk.isReady && beta.isReady && carry.isReady
    );
  }

  /** Feeds the next bar; returns the five signals at it. */
  update(bar: DailyBar): DailySignalValues {
    const b = this.feed;
    b.advance(bar);
    return {
      Volatility: this.volatility.step(b.ret),
      Momentum: this.momentum.step(b.ret, b.marketReturn),
      TailRisk: this.tailRisk.step(b.ret),
      Beta: this.beta.step(b.ret, b.marketReturn),
      Carry: this.carry.step(b.ret, b.close, b.dayOfYear),
    };
  }
}
