import {
  sessionDateOf,
  silentLogger,
  type Account,
  type AlertSink,
  type JsonValue,
  type Logger,
  type Position,
} from '@quantpipe/core';
import {
  KillSwitch,
  RiskMonitor,
  type KillSwitchState,
  type RiskSnapshot,
  type RiskVerdict,
} from '@quantpipe/risk';
import type { EngineConfig } from '../engine-config';

/** What {@link RiskGate} needs of the engine configuration. */
export type RiskGateConfig = Pick<
  EngineConfig,
  | 'max_daily_loss'
  | 'max_drawdown'
  | 'max_leverage'
  | 'on_loss_breach'
  | 'daily_loss_halt'
  | 'kill_switch_reset'
  | 'cooldown_sessions'
  | 'scale_in_sessions'
  | 'alert_repeats'
>;

/** Options of {@link RiskGate}. */
export interface RiskGateOptions {
  /** Receives the risk monitor's and kill switch's alerts. */
  readonly alertSink?: AlertSink;
  readonly logger?: Logger;
  /** The engine's clock (stamps a trip without an explicit time). */
  readonly now: () => number;
}

/** A daily-loss halt that a new session ended (see {@link RiskGate.releaseDailyLossHalt}). */
export interface ReleasedHalt {
  /** Session date of the trip. */
  readonly trippedSession: string;
  /** The trip's reason. */
  readonly reason: string;
}

/**
 * The pre-trade risk gate: the risk monitor (spec 6.2) and the kill switch it trips, with their
 * lifecycle — manual kills, the end of a daily-loss halt at a new session, the acknowledgement
 * of losses behind a reset, and the check before each order that adds exposure. Synchronous and
 * free of I/O: the driver persists {@link RiskGate.killSwitchState} and the monitor's state and
 * raises the alerts the results call for.
 */
export class RiskGate {
  private ks: KillSwitch;
  private rm: RiskMonitor;
  /** `requestedAt` of the last loss acknowledgement applied to the monitor. */
  lossesAcknowledgedAt: string | null = null;
  /** The verdict of the last {@link RiskGate.allowsExposure} that was not ok. */
  lastVerdict: RiskVerdict | undefined;

  constructor(
    private readonly config: RiskGateConfig,
    private readonly options: RiskGateOptions,
  ) {
    this.ks = new KillSwitch(this.killSwitchOptions());
    this.rm = new RiskMonitor(this.limits(), this.monitorOptions());
  }

  private killSwitchOptions(): ConstructorParameters<typeof KillSwitch>[0] {
    const { alertSink, logger } = this.options;
    return {
      now: this.options.now,
      ...(alertSink ? { alertSink } : {}),
      logger: logger ?? silentLogger,
    };
  }

  private monitorOptions(): ConstructorParameters<typeof RiskMonitor>[1] {
    const { alertSink, logger } = this.options;
    return {
      ...(alertSink ? { alertSink } : {}),
      alertRepeats: this.config.alert_repeats,
      killSwitch: this.ks,
      logger: logger ?? silentLogger,
      now: this.options.now,
    };
  }

  private limits(): ConstructorParameters<typeof RiskMonitor>[0] {
    return {
      max_daily_loss: this.config.max_daily_loss,
      max_drawdown: this.config.max_drawdown,
      max_leverage: this.config.max_leverage,
      on_loss_breach: this.config.on_loss_breach,
      kill_switch_reset: this.config.kill_switch_reset,
      cooldown_sessions: this.config.cooldown_sessions,
      scale_in_sessions: this.config.scale_in_sessions,
    };
  }

  /** The kill switch. */
  get killSwitch(): KillSwitch {
    return this.ks;
  }

  /** The risk monitor. */
  get monitor(): RiskMonitor {
    return this.rm;
  }

  /** Whether the kill switch is tripped. */
  get tripped(): boolean {
    return this.ks.isTripped;
  }

  /** The kill switch's state (what the driver persists). */
  killSwitchState(): KillSwitchState {
    return this.ks.toJSON();
  }

  /**
   * Adopts a kill switch state stored elsewhere (another process tripped or released it). An
   * unreadable state counts as tripped: the conservative reading.
   */
  adoptKillSwitch(raw: JsonValue): void {
    try {
      this.ks = KillSwitch.fromJSON(raw, this.killSwitchOptions());
    } catch (error) {
      this.ks = new KillSwitch(this.killSwitchOptions());
      this.ks.trip(`kill switch state unreadable: ${String(error)}`);
    }
    // The monitor trips the switch it was given: hand it the adopted one.
    this.rm = RiskMonitor.fromJSON(this.rm.toJSON(), this.limits(), this.monitorOptions());
  }

  /**
   * Restores the monitor's peaks from a saved state; an unreadable state starts fresh (the
   * logged reason is returned).
   */
  restoreMonitor(raw: JsonValue | undefined): string | undefined {
    this.rm = new RiskMonitor(this.limits(), this.monitorOptions());
    if (raw === undefined) return undefined;
    try {
      this.rm = RiskMonitor.fromJSON(raw, this.limits(), this.monitorOptions());
      return undefined;
    } catch (error) {
      return String(error);
    }
  }

  /**
   * Trips the kill switch by hand. A manual kill takes precedence: over a switch the risk
   * monitor tripped it becomes a manual trip (so a daily-loss halt no longer ends with its
   * session), and only {@link RiskGate.release} (`resume`) ends it.
   */
  kill(reason: string): void {
    if (this.ks.isTripped && this.ks.source !== 'manual') {
      this.replaceKillSwitch({
        version: 1,
        tripped: true,
        reason,
        trippedAt: new Date(this.options.now()).toISOString(),
        source: 'manual',
      });
      return;
    }
    this.ks.trip(reason, { source: 'manual' });
  }

  private replaceKillSwitch(state: KillSwitchState): void {
    this.ks = KillSwitch.fromJSON(state, this.killSwitchOptions());
    this.rm = RiskMonitor.fromJSON(this.rm.toJSON(), this.limits(), this.monitorOptions());
  }

  /**
   * Merges a kill switch state another process stored since this gate last saw the store
   * (`trader kill` / `trader resume` while a cycle runs), before this gate's state is saved
   * over it. A manual kill wins over anything this gate holds, and a risk trip of this cycle
   * never overwrites it; a release (`resume`) ends this gate's manual kill but not a risk trip
   * this gate made since (that trip is newer); a trip stored elsewhere is adopted. Returns
   * whether the stored state was adopted.
   */
  mergeStoredKillSwitch(raw: JsonValue): boolean {
    let stored: KillSwitchState;
    try {
      stored = KillSwitch.fromJSON(raw).toJSON();
    } catch {
      this.adoptKillSwitch(raw); // unreadable: tripped, the conservative reading
      return true;
    }
    const mineManual = this.ks.isTripped && this.ks.source === 'manual';
    const adopt = stored.tripped
      ? (stored.source === 'manual' && !mineManual) || !this.ks.isTripped
      : mineManual;
    if (adopt) this.replaceKillSwitch(stored);
    return adopt;
  }

  /** Releases the kill switch. */
  release(): void {
    this.ks.reset();
  }

  /**
   * A daily-loss trip ends with its session (`daily_loss_halt: 'session'`): at the first check
   * of a later session the switch is released. Returns what was released, or undefined.
   */
  releaseDailyLossHalt(timestampIso: string): ReleasedHalt | undefined {
    const ks = this.ks;
    if (!ks.isTripped || this.config.daily_loss_halt !== 'session') return undefined;
    if (
      ks.source !== 'risk_monitor' ||
      !(ks.reason ?? '').startsWith('DAILY LOSS') ||
      ks.trippedAt === null
    )
      return undefined;
    const trippedSession = sessionDateOf(ks.trippedAt);
    if (trippedSession >= sessionDateOf(timestampIso)) return undefined;
    const reason = ks.reason ?? '';
    ks.reset();
    return { trippedSession, reason };
  }

  /**
   * Applies a loss acknowledgement requested at `requestedAt` (when it was not applied yet and
   * the portfolio value is positive): the monitor's peaks restart from the value then. Returns
   * whether it was applied.
   */
  applyAcknowledgement(requestedAt: string | undefined, portfolioValueUsd: number): boolean {
    if (requestedAt === undefined || requestedAt === this.lossesAcknowledgedAt) return false;
    if (!(portfolioValueUsd > 0)) return false; // nothing sensible to re-base on
    this.rm.acknowledgeLosses(portfolioValueUsd);
    this.lossesAcknowledgedAt = requestedAt;
    return true;
  }

  /** The cycle's risk check (positions listed, or the account's gross exposure). */
  checkCycle(account: Account, positions: readonly Position[], asOf: string): RiskVerdict {
    return this.rm.check(account, positions, { asOf });
  }

  /**
   * The re-check before an order that adds exposure, on a fresh snapshot: false while the kill
   * switch is tripped, during a liquidation, or when the verdict forbids new exposure. A verdict
   * that is not ok is kept in {@link RiskGate.lastVerdict} for the journal.
   */
  allowsExposure(snapshot: RiskSnapshot, asOf: string, liquidation: boolean): boolean {
    this.lastVerdict = undefined;
    if (liquidation || this.ks.isTripped) return false;
    const verdict = this.rm.checkSnapshot(snapshot, asOf);
    if (verdict === undefined) return true;
    this.lastVerdict = verdict;
    return !verdict.blocksNewExposure;
  }
}
