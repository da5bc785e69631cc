import type { Clock, Journal, JournalEntryKind, JsonValue } from '@quantpipe/core';
import { toJson } from '../to-json';

/**
 * Stamps and appends the engine's journal entries: the run id, the cycle, the kind, the
 * instant of the engine's clock (many entries share one: its ISO form is kept) and the payload.
 * Each call hands back the journal's own promise; the driver awaits it before the next step
 * that depends on it (journal first).
 */
export class JournalWriter {
  private isoMs = Number.NaN;
  private iso = '';

  constructor(
    private readonly journal: Journal,
    private readonly runId: string,
    private readonly clock: Clock,
  ) {}

  /** The clock's reading as ISO-8601 UTC. */
  nowIso(): string {
    const ms = this.clock.now();
    if (this.isoMs !== ms) {
      this.isoMs = ms;
      this.iso = new Date(ms).toISOString();
    }
    return this.iso;
  }

  /** Journals `payload` after {@link toJson} (non-finite numbers become null). */
  append(
    kind: JournalEntryKind,
    cycle: number,
    payload: unknown,
    clientOrderId?: string,
  ): Promise<unknown> {
    return this.appendJson(kind, cycle, toJson(payload), clientOrderId);
  }

  /** Journals a payload that is JSON already (the per-order entries, built field by field). */
  appendJson(
    kind: JournalEntryKind,
    cycle: number,
    payload: JsonValue,
    clientOrderId?: string,
  ): Promise<unknown> {
    const timestamp = this.nowIso();
    return this.journal.append(
      clientOrderId === undefined
        ? { runId: this.runId, cycle, kind, timestamp, payload }
        : { runId: this.runId, cycle, kind, timestamp, clientOrderId, payload },
    );
  }
}
