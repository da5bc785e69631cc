import { BetaState } from '../signals/beta';
import { CarryState } from '../signals/carry';
import { resolveDailySignalConfig, type DailySignalConfig } from '../signals/config';
import type { DailySignalName } from '../signals/daily';
import { MomentumState } from '../signals/momentum';
import { TailRiskState } from '../signals/tail-risk';
import { VolatilityState } from '../signals/volatility';
import { DailyBarFeed, type DailyBar, type DailyStreamOptions } from './daily-bar';

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
 * Streaming Volatility signal: `update(bar)` per new daily bar returns the signal at that bar,
 * equal (bit for bit) to `volatilitySignal(pctChange(closes))` at the same index.
 */
export class VolatilityStream {
  private readonly feed = new DailyBarFeed();
  private readonly state: VolatilityState;
  /** The latest value (NaN before the first bar). */
  value = NaN;

  /** @param opts `volatility_window` (default 20). */
  constructor(opts?: DailySignalConfig) {
    this.state = new VolatilityState(resolveDailySignalConfig(opts, 'opts').volatilityWindow);
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    const b = this.feed.next(bar);
    this.value = this.state.step(b.ret);
    return this.value;
  }
}

/**
 * Streaming Momentum signal (excess over `bar.marketReturn`, or raw momentum with
 * `withMarket: false`), equal to `momentumSignal` at every step.
 */
export class MomentumStream {
  private readonly feed = new DailyBarFeed();
  private readonly state: MomentumState;
  /** The latest value (NaN before the first bar). */
  value = NaN;

  /** @param opts `momentum_fast` (20), `momentum_slow` (60), `withMarket` (true). */
  constructor(opts?: DailySignalConfig & DailyStreamOptions) {
    const { config, withMarket } = split(opts);
    const cfg = resolveDailySignalConfig(config, 'opts');
    this.state = new MomentumState(cfg.momentumFast, cfg.momentumSlow, withMarket);
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    const b = this.feed.next(bar);
    this.value = this.state.step(b.ret, b.marketReturn);
    return this.value;
  }
}

/** Streaming TailRisk signal, equal to `tailRiskSignal` at every step. */
export class TailRiskStream {
  private readonly feed = new DailyBarFeed();
  private readonly state: TailRiskState;
  /** The latest value (NaN before the first bar). */
  value = NaN;

  /** @param opts `tail_window` (default 60). */
  constructor(opts?: DailySignalConfig) {
    this.state = new TailRiskState(resolveDailySignalConfig(opts, 'opts').tailWindow);
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    const b = this.feed.next(bar);
    this.value = this.state.step(b.ret);
    return this.value;
  }
}

/**
 * Streaming Beta signal (against `bar.marketReturn`, or `returns * 0.6` with
 * `withMarket: false`), equal to `betaSignal` at every step.
 */
export class BetaStream {
  private readonly feed = new DailyBarFeed();
  private readonly state: BetaState;
  /** The latest value (NaN before the first bar). */
  value = NaN;

  /** @param opts `beta_window` (default 60), `withMarket` (true). */
  constructor(opts?: DailySignalConfig & DailyStreamOptions) {
    const { config, withMarket } = split(opts);
    this.state = new BetaState(resolveDailySignalConfig(config, 'opts').betaWindow, withMarket);
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    const b = this.feed.next(bar);
    this.value = this.state.step(b.ret, b.marketReturn);
    return this.value;
  }
}

/** Streaming Carry signal, equal to `carrySignal` at every step. */
export class CarryStream {
  private readonly feed = new DailyBarFeed();
  private readonly state = new CarryState();
  /** The latest value (NaN before the first bar). */
  value = NaN;

  /** Carry has no configurable window; `opts` is validated for symmetry. */
  constructor(opts?: DailySignalConfig) {
    resolveDailySignalConfig(opts, 'opts');
  }

  /** Number of bars seen. */
  get count(): number {
    return this.feed.count;
  }

  /** Feeds the next bar; returns the signal at it. */
  update(bar: DailyBar): number {
    const b = this.feed.next(bar);
    this.value = this.state.step(b.ret, b.close, b.dayOfYear);
    return this.value;
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
    const b = this.feed.next(bar);
    return {
      Volatility: this.volatility.step(b.ret),
      Momentum: this.momentum.step(b.ret, b.marketReturn),
      TailRisk: this.tailRisk.step(b.ret),
      Beta: this.beta.step(b.ret, b.marketReturn),
      Carry: this.carry.step(b.ret, b.close, b.dayOfYear),
    };
  }
}
