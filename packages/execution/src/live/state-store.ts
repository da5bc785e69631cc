import type { Journal, JsonValue } from '@quantpipe/core';
import { toJson } from '../to-json';

/** The state keys an engine persists under its run id. */
export const STATE_ENGINE = 'engine';
export const STATE_RISK = 'risk_monitor';
export const STATE_KILL = 'kill_switch';
export const STATE_STRATEGY = 'strategy';
export const STATE_DECAY = 'position_decay';
export const STATE_HEDGE = 'tail_hedge';
/**
 * A request to accept the losses behind a tripped kill switch (`{ requestedAt }`), written by
 * `TradingEngine.resume` or by another process (`trader resume`). The engine applies it at its
 * next risk check: the monitor's peaks restart from the equity then, so the reset holds.
 */
export const RISK_ACKNOWLEDGEMENT_STATE_KEY = 'risk_acknowledgement';

/**
 * The engine's persisted state, one value per key of the run: a key is written only when its
 * JSON text changed since this store last wrote or read it (most keys are unchanged from one
 * cycle to the next), and each value is serialised once.
 */
export class StateStore {
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly journal: Journal,
    private readonly runId: string,
  ) {}

  /** The stored value of `key`, if any. */
  load(key: string): Promise<JsonValue | undefined> {
    return this.journal.loadState(this.runId, key);
  }

  /** Whether `raw` serialises to the text last written or adopted for `key`. */
  isCurrent(key: string, raw: unknown): boolean {
    return this.texts.get(key) === JSON.stringify(raw);
  }

  /** Records `raw` as the value of `key` that the store knows (read from elsewhere). */
  adopt(key: string, raw: unknown): void {
    this.texts.set(key, JSON.stringify(raw));
  }

  /**
   * Writes `raw` under `key` when its JSON text changed. `rawIsJson`: `raw` is JSON already
   * (else it goes through {@link toJson}, which turns non-finite numbers into null).
   */
  async save(key: string, raw: unknown, rawIsJson = false): Promise<void> {
    const text = JSON.stringify(raw);
    if (this.texts.get(key) === text) return;
    const value = rawIsJson ? (raw as JsonValue) : toJson(raw);
    await this.journal.saveState(this.runId, key, value, text);
    this.texts.set(key, text);
  }

  /** Writes `value` under `key` unconditionally. */
  async write(key: string, value: JsonValue): Promise<void> {
    await this.journal.saveState(this.runId, key, value);
    this.texts.set(key, JSON.stringify(value));
  }
}
