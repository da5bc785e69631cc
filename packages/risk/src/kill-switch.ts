import { RiskBreachError, StateError } from '@quantpipe/core';
import type { AlertSink, JsonObject, Logger } from '@quantpipe/core';
import { silentLogger } from '@quantpipe/core';
import { deliverAlert } from './deliver-alert';

/** Who tripped the kill switch. */
export type KillSwitchSource = 'manual' | 'risk_monitor';

/**
 * The kill switch's persisted state (plain JSON, journaled by the engine). `trippedAt` is an
 * ISO-8601 UTC instant.
 */
export interface KillSwitchState {
  readonly version: 1;
  readonly tripped: boolean;
  readonly reason: string | null;
  readonly trippedAt: string | null;
  readonly source: KillSwitchSource | null;
}

/** Options of {@link KillSwitch}. */
export interface KillSwitchOptions {
  /** Milliseconds since the epoch, used to stamp a trip without an explicit time. Default Date.now. */
  readonly now?: () => number;
  /** Receives a CRITICAL alert when the switch trips. */
  readonly alertSink?: AlertSink;
  /** Default: silent. */
  readonly logger?: Logger;
}

/** Options of {@link KillSwitch.trip}. */
export interface KillSwitchTripOptions {
  /** ISO-8601 UTC instant of the trip. Default: the injected clock. */
  readonly at?: string;
  /** Default 'manual'. */
  readonly source?: KillSwitchSource;
}

/**
 * A latch that, once tripped (by hand, or by a CRITICAL risk breach when wired to a
 * {@link RiskMonitor}), blocks every new order until {@link KillSwitch.reset} is called
 * explicitly. A second trip while tripped keeps the first reason and time: the first cause is
 * the one worth investigating.
 */
export class KillSwitch {
  private tripped = false;
  private tripReason: string | null = null;
  private tripTime: string | null = null;
  private tripSource: KillSwitchSource | null = null;
  private readonly now: () => number;
  private readonly alertSink: AlertSink | undefined;
  private readonly logger: Logger;

  /** A switch that starts untripped. */
  constructor(options: KillSwitchOptions = {}) {
    this.now = options.now ?? Date.now;
    this.alertSink = options.alertSink;
    this.logger = options.logger ?? silentLogger;
  }

  /** Whether the switch is tripped (every new order blocked). */
  get isTripped(): boolean {
    return this.tripped;
  }

  /** Why it tripped, or null when it is not tripped. */
  get reason(): string | null {
    return this.tripReason;
  }

  /** ISO-8601 UTC instant of the trip, or null when it is not tripped. */
  get trippedAt(): string | null {
    return this.tripTime;
  }

  /** Who tripped it, or null when it is not tripped. */
  get source(): KillSwitchSource | null {
    return this.tripSource;
  }

  /**
   * Trips the switch. Returns true when this call tripped it, false when it was already
   * tripped (the first reason and time are kept).
   */
  trip(reason: string, options: KillSwitchTripOptions = {}): boolean {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new StateError('kill switch: a trip needs a non-empty reason');
    }
    if (this.tripped) return false;
    const at = options.at ?? new Date(this.now()).toISOString();
    this.tripped = true;
    this.tripReason = reason;
    this.tripTime = at;
    this.tripSource = options.source ?? 'manual';
    this.logger.error({ reason, at, source: this.tripSource }, 'kill switch tripped');
    if (this.alertSink !== undefined) {
      deliverAlert(
        this.alertSink,
        {
          level: 'CRITICAL',
          title: 'KILL SWITCH TRIPPED',
          message: reason,
          timestamp: at,
          context: { source: this.tripSource },
        },
        this.logger,
      );
    }
    return true;
  }

  /** Releases the switch. Only an explicit call does this; nothing resets it automatically. */
  reset(): void {
    if (this.tripped) this.logger.warn({ reason: this.tripReason }, 'kill switch reset');
    this.tripped = false;
    this.tripReason = null;
    this.tripTime = null;
    this.tripSource = null;
  }

  /** Whether a new order may be sent (false while tripped). */
  allowsNewOrders(): boolean {
    return !this.tripped;
  }

  /** Throws a {@link RiskBreachError} naming the trip reason while tripped. */
  assertAllowsOrders(): void {
    if (this.tripped) {
      throw new RiskBreachError(`kill switch tripped at ${this.tripTime}: ${this.tripReason}`, {
        context: { reason: this.tripReason, trippedAt: this.tripTime, source: this.tripSource },
      });
    }
  }

  /** The state as plain JSON; {@link KillSwitch.fromJSON} restores it exactly. */
  toJSON(): KillSwitchState {
    return {
      version: 1,
      tripped: this.tripped,
      reason: this.tripReason,
      trippedAt: this.tripTime,
      source: this.tripSource,
    };
  }

  /**
   * Restores a switch from {@link KillSwitch.toJSON} output (e.g. loaded from the journal).
   * Throws a {@link StateError} when the value is not a valid state.
   */
  static fromJSON(value: unknown, options: KillSwitchOptions = {}): KillSwitch {
    const state = parseKillSwitchState(value);
    const ks = new KillSwitch(options);
    ks.tripped = state.tripped;
    ks.tripReason = state.reason;
    ks.tripTime = state.trippedAt;
    ks.tripSource = state.source;
    return ks;
  }
}

function parseKillSwitchState(value: unknown): KillSwitchState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StateError('kill switch state: expected an object');
  }
  const v = value as JsonObject;
  if (v['version'] !== 1) throw new StateError('kill switch state: unknown version');
  const tripped = v['tripped'];
  if (typeof tripped !== 'boolean')
    throw new StateError('kill switch state: tripped must be boolean');
  const reason = v['reason'];
  const trippedAt = v['trippedAt'];
  const source = v['source'];
  if (tripped) {
    if (typeof reason !== 'string' || typeof trippedAt !== 'string') {
      throw new StateError('kill switch state: a tripped switch needs reason and trippedAt');
    }
    if (source !== 'manual' && source !== 'risk_monitor') {
      throw new StateError('kill switch state: source must be manual or risk_monitor');
    }
    return { version: 1, tripped, reason, trippedAt, source };
  }
  if (reason !== null || trippedAt !== null || source !== null) {
    throw new StateError(
      'kill switch state: an untripped switch has null reason, trippedAt, source',
    );
  }
  return { version: 1, tripped, reason: null, trippedAt: null, source: null };
}
