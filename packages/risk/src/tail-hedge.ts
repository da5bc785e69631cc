import { StateError, ValidationError, silentLogger } from '@quantpipe/core';
import {
  resolveTailHedgeConfig,
  type TailHedgeConfig,
  type TailHedgeConfigInput,
} from './tail-hedge-config';
import type { JsonObject, Logger } from '@quantpipe/core';

/** The tail hedge's two states (spec 6.1). */
export type TailHedgeState = 'INACTIVE' | 'ACTIVE';

/** The hedge's persisted state (plain JSON); {@link StatefulTailHedge.fromJSON} restores it. */
export interface TailHedgeSnapshot {
  readonly version: 1;
  readonly state: TailHedgeState;
  /** Drawdown at the last activation, null before the first one (kept after deactivation, as the seed). */
  readonly activationLevel: number | null;
  readonly config: TailHedgeConfig;
}

/** What one {@link StatefulTailHedge.step} did. */
export interface TailHedgeStep {
  /** The return after the hedge (the input return when INACTIVE). */
  readonly hedgedReturn: number;
  /** The state after this step. */
  readonly state: TailHedgeState;
  /** The transition taken in this step, if any. */
  readonly transition: 'activated' | 'deactivated' | null;
  /** Convex hedge P&L added (0 when INACTIVE). */
  readonly hedgePnl: number;
  /** Cost subtracted (0 when INACTIVE). */
  readonly hedgeCost: number;
}

/** Result of {@link StatefulTailHedge.apply}: one entry per drawdown. */
export interface TailHedgeResult {
  readonly hedgedReturns: number[];
  /** `states[i]` is the state after step i. */
  readonly states: TailHedgeState[];
}

/**
 * The spec's stateful synthetic tail hedge (6.1): an INACTIVE/ACTIVE state machine driven by the
 * portfolio drawdown. In each step the transition is evaluated first, then the hedge is applied:
 *
 * - INACTIVE -> ACTIVE when `drawdown < activationThreshold` (strict: -0.05 does not activate);
 * - ACTIVE -> INACTIVE when `drawdown > deactivationThreshold` (strict: -0.025 does not deactivate);
 * - while ACTIVE: `hedged = (r + hedgeSize * max(0, -mkt)^1.5 * 3) - costPerHedge`, the convex
 *   payoff of a synthetic put, evaluated in the seed's floating-point order.
 *
 * Seed behaviours kept: a NaN market return adds only the cost (Python's `max(0, nan)` is 0);
 * a missing market return (market series shorter than the drawdowns) counts as 0, positionally;
 * `activationLevel` keeps the last activation's drawdown after deactivation. A NaN portfolio
 * return passes through as NaN (it is the caller's missing data, not a number to invent).
 */
export class StatefulTailHedge {
  private currentState: TailHedgeState = 'INACTIVE';
  private level: number | null = null;
  /** The resolved settings. */
  readonly config: TailHedgeConfig;
  private readonly logger: Logger;

  /** Starts INACTIVE with the given settings (spec defaults for the missing ones). */
  constructor(config: TailHedgeConfigInput = {}, options: { readonly logger?: Logger } = {}) {
    this.config = Object.freeze(resolveTailHedgeConfig(config));
    this.logger = options.logger ?? silentLogger;
  }

  /** The current state. */
  get state(): TailHedgeState {
    return this.currentState;
  }

  /** Drawdown at the last activation, or null if it never activated. */
  get activationLevel(): number | null {
    return this.level;
  }

  /**
   * One period: evaluates the transition on `drawdown`, then hedges `portfolioReturn` with
   * `marketReturn` when ACTIVE. `marketReturn` may be NaN or undefined (treated as no downside).
   */
  step(portfolioReturn: number, marketReturn: number | undefined, drawdown: number): TailHedgeStep {
    const before = this.currentState;
    const hedgedReturn = this.advance(portfolioReturn, marketReturn ?? 0, drawdown);
    const state = this.currentState;
    const transition: TailHedgeStep['transition'] =
      before === state ? null : state === 'ACTIVE' ? 'activated' : 'deactivated';
    if (state !== 'ACTIVE') return { hedgedReturn, state, transition, hedgePnl: 0, hedgeCost: 0 };
    return {
      hedgedReturn,
      state,
      transition,
      hedgePnl: this.hedgePnlOf(marketReturn ?? 0),
      hedgeCost: this.config.costPerHedge,
    };
  }

  /** `hedgeSize * max(0, -mkt)^1.5 * 3`; Python's max(0, x) is 0 unless x > 0, so NaN gives 0. */
  private hedgePnlOf(marketReturn: number): number {
    const negated = -marketReturn;
    const downside = negated > 0 ? negated : 0;
    return this.config.hedgeSize * downside ** 1.5 * 3;
  }

  /** Validates one step's input, takes the transition, returns the hedged return. */
  private advance(portfolioReturn: number, marketReturn: number, drawdown: number): number {
    if (typeof drawdown !== 'number' || !Number.isFinite(drawdown)) {
      throw new ValidationError('drawdown', `expected a finite number, got ${String(drawdown)}`);
    }
    if (
      typeof portfolioReturn !== 'number' ||
      portfolioReturn === Infinity ||
      portfolioReturn === -Infinity
    ) {
      throw new ValidationError(
        'returns',
        `expected a finite number or NaN, got ${String(portfolioReturn)}`,
      );
    }
    if (
      typeof marketReturn !== 'number' ||
      marketReturn === Infinity ||
      marketReturn === -Infinity
    ) {
      throw new ValidationError(
        'marketReturns',
        `expected a finite number or NaN, got ${String(marketReturn)}`,
      );
    }
    if (this.currentState === 'INACTIVE' && drawdown < this.config.activationThreshold) {
      this.currentState = 'ACTIVE';
      this.level = drawdown;
      this.logger.info({ drawdown }, 'tail hedge activated');
    } else if (this.currentState === 'ACTIVE' && drawdown > this.config.deactivationThreshold) {
      this.currentState = 'INACTIVE';
      this.logger.info({ drawdown }, 'tail hedge deactivated');
    }
    if (this.currentState !== 'ACTIVE') return portfolioReturn;
    return portfolioReturn + this.hedgePnlOf(marketReturn) - this.config.costPerHedge;
  }

  /**
   * The seed's `apply_tail_hedge_stateful` over a whole series, continuing from the current
   * state. `returns` and `drawdowns` must have the same length; `marketReturns` is read
   * positionally and may be shorter (missing entries count as 0). Inputs are not mutated.
   */
  apply(
    returns: readonly number[],
    marketReturns: readonly number[],
    drawdowns: readonly number[],
  ): TailHedgeResult {
    if (returns.length !== drawdowns.length) {
      throw new ValidationError(
        'returns',
        `length ${returns.length} differs from drawdowns (length ${drawdowns.length})`,
      );
    }
    const hedgedReturns = new Array<number>(drawdowns.length);
    const states = new Array<TailHedgeState>(drawdowns.length);
    for (let i = 0; i < drawdowns.length; i++) {
      const mkt = i < marketReturns.length ? marketReturns[i] : 0;
      hedgedReturns[i] = this.advance(returns[i] as number, mkt as number, drawdowns[i] as number);
      states[i] = this.currentState;
    }
    return { hedgedReturns, states };
  }

  /** The state as plain JSON; {@link StatefulTailHedge.fromJSON} restores it exactly. */
  toJSON(): TailHedgeSnapshot {
    return {
      version: 1,
      state: this.currentState,
      activationLevel: this.level,
      config: { ...this.config },
    };
  }

  /** Restores a hedge from {@link StatefulTailHedge.toJSON} output. Throws {@link StateError}. */
  static fromJSON(value: unknown, options: { readonly logger?: Logger } = {}): StatefulTailHedge {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new StateError('tail hedge state: expected an object');
    }
    const v = value as JsonObject;
    if (v['version'] !== 1) throw new StateError('tail hedge state: unknown version');
    const state = v['state'];
    if (state !== 'INACTIVE' && state !== 'ACTIVE') {
      throw new StateError('tail hedge state: state must be INACTIVE or ACTIVE');
    }
    const level = v['activationLevel'];
    if (level !== null && (typeof level !== 'number' || !Number.isFinite(level))) {
      throw new StateError('tail hedge state: activationLevel must be a finite number or null');
    }
    if (state === 'ACTIVE' && level === null) {
      throw new StateError('tail hedge state: an ACTIVE hedge needs its activationLevel');
    }
    const config = v['config'];
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new StateError('tail hedge state: config must be an object');
    }
    let hedge: StatefulTailHedge;
    try {
      hedge = new StatefulTailHedge(config as TailHedgeConfigInput, options);
    } catch (error) {
      throw new StateError('tail hedge state: invalid config', { cause: error });
    }
    hedge.currentState = state;
    hedge.level = level;
    return hedge;
  }
}
