import type { RiskSnapshot } from '@quantpipe/risk';
import { LEG_CLOSE, LEG_OPEN } from './plan-orders-into';
import type { RiskGate } from './risk-gate';

/** {@link OrderFlow.next}: the cycle's orders are done. */
export const FLOW_DONE = 0;
/** Send leg {@link OrderFlow.leg}, then report {@link OrderFlow.sent} or {@link OrderFlow.refused}. */
export const FLOW_SEND = 1;
/** Leg {@link OrderFlow.leg} was skipped: journal {@link OrderFlow.skipReason}. */
export const FLOW_SKIP = 2;
/**
 * Fill {@link OrderFlow.snapshot} with a fresh account snapshot and call
 * {@link OrderFlow.checkExposure} (a re-check before leg {@link OrderFlow.leg}, which adds
 * exposure).
 */
export const FLOW_NEED_SNAPSHOT = 3;
/** The re-check was not ok: journal {@link RiskGate.lastVerdict} (and persist the risk state). */
export const FLOW_VERDICT = 4;
/** Wait for leg {@link OrderFlow.leg} to be final (or read it), then report {@link OrderFlow.final}. */
export const FLOW_AWAIT = 5;

/** Why a leg was not sent (journaled as the order's `skipped` update). */
export const SKIP_CLOSE_NOT_FILLED = 'close leg did not fill completely';
export const SKIP_RISK_BLOCKS = 'risk verdict blocks new exposure';
export const SKIP_KILL_SWITCH = 'kill switch tripped';

/** The legs an {@link OrderFlow} runs (a cycle's plan, or an interrupted cycle's legs). */
export interface FlowLegs {
  /** Number of legs. */
  readonly keptCount: number;
  /** Whether the legs are the reduction a loss breach asked for. */
  readonly liquidation: boolean;
  /** Whether leg `k` adds gross exposure. */
  increasesAt(k: number): boolean;
  /** LEG_ADJUST, LEG_CLOSE or LEG_OPEN. */
  kindAt(k: number): number;
  /** The symbol index of leg `k`. */
  legSymbol(k: number): number;
}

const PHASE_REDUCING = 0;
const PHASE_ADDING = 1;
const STAGE_SEND = 0;
const STAGE_AWAIT = 1;

/**
 * The order of a cycle's legs (spec 7.1/7.2), as a state machine both drivers pump: every
 * exposure-reducing leg is sent, then all of them are awaited; then every adding leg, each
 * after a fresh risk re-check, and an opening leg only when its closing leg filled completely.
 * While the kill switch is tripped only the reduction a loss breach asked for goes. With the
 * market closed (GTC legs) the adding phase waits for a later cycle. Synchronous and
 * allocation-free: the driver performs each action {@link OrderFlow.next} names and reports
 * back; a live driver awaits the broker between calls, a backtest fills in place.
 */
export class OrderFlow {
  /** The kept leg (index into the plan's kept legs) the current action is about. */
  leg = -1;
  /** Why {@link OrderFlow.leg} was skipped (with {@link FLOW_SKIP}). */
  skipReason = '';
  /** Set by a failed re-check when the kill switch tripped meanwhile. */
  haltedMidCycle = false;
  /** The snapshot the driver fills for a re-check (reused). */
  readonly snapshot = {
    portfolioValueUsd: 0,
    equityUsd: 0,
    grossExposureUsd: 0,
    dailyPnlUsd: Number.NaN,
    lastEquityUsd: Number.NaN,
  };
  private plan!: FlowLegs;
  private gate!: RiskGate;
  private gtc = false;
  private phase = PHASE_REDUCING;
  private stage = STAGE_SEND;
  /** Next kept leg to look at in the current stage. */
  private cursor = 0;
  /** Per kept leg: 1 when sent (it is awaited in the phase's await stage). */
  private inFlight: Uint8Array = new Uint8Array(0);
  /** Per symbol: 1 when its close leg filled completely this cycle, 2 when it did not. */
  private closeFilled: Uint8Array = new Uint8Array(0);
  /** After a re-check: journal its verdict first. */
  private pendingVerdict = false;
  /** After a re-check: FLOW_SEND or FLOW_SKIP for the checked leg (0: none pending). */
  private pendingAction = 0;

  /**
   * Starts the flow of `plan`'s legs. `gtc`: the orders are good-till-canceled (market
   * closed); `symbolCapacity`: the symbol table's.
   */
  begin(plan: FlowLegs, gate: RiskGate, gtc: boolean, symbolCapacity: number): void {
    this.plan = plan;
    this.gate = gate;
    this.gtc = gtc;
    this.phase = PHASE_REDUCING;
    this.stage = STAGE_SEND;
    this.cursor = 0;
    this.leg = -1;
    this.haltedMidCycle = false;
    this.pendingVerdict = false;
    this.pendingAction = 0;
    if (this.inFlight.length < plan.keptCount) this.inFlight = new Uint8Array(2 * plan.keptCount);
    else this.inFlight.fill(0, 0, plan.keptCount);
    if (this.closeFilled.length < symbolCapacity) this.closeFilled = new Uint8Array(symbolCapacity);
    else this.closeFilled.fill(0);
  }

  private increases(k: number): boolean {
    return this.plan.increasesAt(k);
  }

  private kind(k: number): number {
    return this.plan.kindAt(k);
  }

  private skip(reason: string): number {
    this.cursor++;
    this.skipReason = reason;
    return FLOW_SKIP;
  }

  /** The next action; see the FLOW_* constants. */
  next(): number {
    if (this.pendingVerdict) {
      this.pendingVerdict = false;
      return FLOW_VERDICT;
    }
    if (this.pendingAction !== 0) {
      const action = this.pendingAction;
      this.pendingAction = 0;
      if (action === FLOW_SKIP) return this.skip(SKIP_RISK_BLOCKS);
      this.cursor++;
      return FLOW_SEND;
    }
    const plan = this.plan;
    for (;;) {
      if (this.stage === STAGE_SEND) {
        const wantAdding = this.phase === PHASE_ADDING;
        while (this.cursor < plan.keptCount && this.increases(this.cursor) !== wantAdding)
          this.cursor++;
        if (this.cursor >= plan.keptCount) {
          this.stage = STAGE_AWAIT;
          this.cursor = 0;
          continue;
        }
        const k = this.cursor;
        this.leg = k;
        if (wantAdding) {
          if (this.kind(k) === LEG_OPEN && this.closeFilled[plan.legSymbol(k)] !== 1)
            return this.skip(SKIP_CLOSE_NOT_FILLED);
          if (plan.liquidation || this.gate.tripped) {
            this.haltedMidCycle = this.gate.tripped;
            return this.skip(SKIP_RISK_BLOCKS);
          }
          return FLOW_NEED_SNAPSHOT;
        }
        if (this.gate.tripped && !plan.liquidation) return this.skip(SKIP_KILL_SWITCH);
        this.cursor++;
        return FLOW_SEND;
      }
      // Await stage: every leg of the phase that was sent.
      while (this.cursor < plan.keptCount && this.inFlight[this.cursor] !== 1) this.cursor++;
      if (this.cursor < plan.keptCount) {
        this.leg = this.cursor;
        this.inFlight[this.cursor] = 0;
        this.cursor++;
        return FLOW_AWAIT;
      }
      // Market closed: queued GTC orders cannot fill before the open, so the adding legs
      // (the opening legs of flips among them) wait for a later cycle.
      if (this.phase === PHASE_ADDING || this.gtc) return FLOW_DONE;
      this.phase = PHASE_ADDING;
      this.stage = STAGE_SEND;
      this.cursor = 0;
    }
  }

  /**
   * The re-check before the current adding leg, on {@link OrderFlow.snapshot} at `asOf`
   * (after {@link FLOW_NEED_SNAPSHOT}). {@link OrderFlow.next} then names the verdict to journal when
   * it was not ok, and the same leg again: sent, or skipped when blocked.
   */
  checkExposure(asOf: string): void {
    const allowed = this.gate.allowsExposure(
      this.snapshot as RiskSnapshot,
      asOf,
      this.plan.liquidation,
    );
    this.pendingVerdict = this.gate.lastVerdict !== undefined;
    if (!allowed) this.haltedMidCycle = this.gate.tripped;
    this.pendingAction = allowed ? FLOW_SEND : FLOW_SKIP;
  }

  /** The current leg was sent (the venue has it): it is awaited with its phase. */
  sent(): void {
    this.inFlight[this.leg] = 1;
  }

  /** The venue refused the current leg (journaled by the driver): a closing leg did not fill. */
  refused(): void {
    if (this.kind(this.leg) === LEG_CLOSE) this.closeFilled[this.plan.legSymbol(this.leg)] = 2;
  }

  /** The current awaited leg is final: `filled` when it filled completely. */
  final(filled: boolean): void {
    if (this.kind(this.leg) === LEG_CLOSE)
      this.closeFilled[this.plan.legSymbol(this.leg)] = filled ? 1 : 2;
  }
}
