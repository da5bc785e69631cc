import { BetaState } from '../signals/beta';
import { CarryState } from '../signals/carry';
import { resolveDailySignalConfig, type DailySignalConfig } from '../signals/config';
import type { DailySignalName } from '../signals/daily';
import { MomentumState } from '../signals/momentum';
import { TailRiskState } from '../signals/tail-risk';
import { VolatilityState } from '../signals/volatility';
import { DailyBarFeed, type CheckedBar, type DailyBar, type DailyStreamOptions } from './daily-bar';

/** Splits stream options into the signal windows and `withMarket`. */
function split(opts: (DailySignalConfig & DailyStreamOptions) | undefined): {
  config: DailySignalConfig | undefined;
  withMarket: boolean;
} {
  if (opts === undefined || opts === null || typeof opts !== 'object') {
    return { config: opts, withMarket: true };
  }
  const { withMarket, ...config } = opts;
  return { config, withMarket: withMarket ?? true };
}

/**
 * What the five single-signal streams share: the checked bar feed, the latest value and the
 * bar count. A subclass only says how its signal steps on one checked bar.
 */
abstract class SingleSignalStream {
  private readonly feed = new DailyBarFeed();
  /** The latest value (NaN before the first bar). */
  value = NaN;

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    this.feed.advance(bar);
    this.value = this.step(this.feed);
    return this.value;
  }

  /** The signal at one checked bar. */
  protected abstract step(bar: CheckedBar): number;
}

/**
 * Streaming Volatility signal: `update(bar)` per new daily bar returns the signal at that bar,
 * equal (bit for bit) to `volatilitySignal(pctChange(closes))` at the same index.
 */
export class VolatilityStream extends SingleSignalStream {
  private readonly state: VolatilityState;

  /** @param opts `volatility_window` (default 20). */
  constructor(opts?: DailySignalConfig) {
    super();
    this.state = new VolatilityState(resolveDailySignalConfig(opts, 'opts').volatilityWindow);
  }

  protected step(b: CheckedBar): number {
    return this.state.step(b.ret);
  }
}

/**
 * Streaming Momentum signal (excess over `bar.marketReturn`, or raw momentum with
 * `withMarket: false`), equal to `momentumSignal` at every step.
 */
export class MomentumStream extends SingleSignalStream {
  private readonly state: MomentumState;

  /** @param opts `momentum_fast` (20), `momentum_slow` (60), `withMarket` (true). */
  constructor(opts?: DailySignalConfig & DailyStreamOptions) {
    super();
    const { config, withMarket } = split(opts);
    const cfg = resolveDailySignalConfig(config, 'opts');
    this.state = new MomentumState(cfg.momentumFast, cfg.momentumSlow, withMarket);
  }

  protected step(b: CheckedBar): number {
    return this.state.step(b.ret, b.marketReturn);
  }
}

/** Streaming TailRisk signal, equal to `tailRiskSignal` at every step. */
export class TailRiskStream extends SingleSignalStream {
  private readonly state: TailRiskState;

  /** @param opts `tail_window` (default 60). */
  constructor(opts?: DailySignalConfig) {
    super();
    this.state = new TailRiskState(resolveDailySignalConfig(opts, 'opts').tailWindow);
  }

  protected step(b: CheckedBar): number {
    return this.state.step(b.ret);
  }
}

/**
 * Streaming Beta signal (against `bar.marketReturn`, or `returns * 0.6` with
 * `withMarket: false`), equal to `betaSignal` at every step.
 */
export class BetaStream extends SingleSignalStream {
  private readonly state: BetaState;

  /** @param opts `beta_window` (default 60), `withMarket` (true). */
  constructor(opts?: DailySignalConfig & DailyStreamOptions) {
    super();
    const { config, withMarket } = split(opts);
    this.state = new BetaState(resolveDailySignalConfig(config, 'opts').betaWindow, withMarket);
  }

  protected step(b: CheckedBar): number {
    return this.state.step(b.ret, b.marketReturn);
  }
}

/** Streaming Carry signal, equal to `carrySignal` at every step. */
export class CarryStream extends SingleSignalStream {
  private readonly state = new CarryState();

  /** Carry has no configurable window; `opts` is validated for symmetry. */
  constructor(opts?: DailySignalConfig) {
    super();
    resolveDailySignalConfig(opts, 'opts');
  }

  protected step(b: CheckedBar): number {
    return this.state.step(b.ret, b.close, b.dayOfYear);
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
  private readonly feed = new DailyBarFeed();
  private readonly volatility: VolatilityState;
  private readonly momentum: MomentumState;
  private readonly tailRisk: TailRiskState;
  private readonly beta: BetaState;
  private readonly carry = new CarryState();

  /** @param opts the signal windows (spec names or camelCase) and `withMarket` (true). */
  constructor(opts?: DailySignalConfig & DailyStreamOptions) {
    const { config, withMarket } = split(opts);
    const cfg = resolveDailySignalConfig(config, 'opts');
    this.volatility = new VolatilityState(cfg.volatilityWindow);
    this.momentum = new MomentumState(cfg.momentumFast, cfg.momentumSlow, withMarket);
    this.tailRisk = new TailRiskState(cfg.tailWindow);
    this.beta = new BetaState(cfg.betaWindow, withMarket);
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
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
