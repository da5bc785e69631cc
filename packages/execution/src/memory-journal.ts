import { ValidationError } from '@quantpipe/core';
import type {
  Journal,
  JournalEntry,
  JournalEntryInput,
  JournalQuery,
  JsonValue,
} from '@quantpipe/core';

/** Options of {@link MemoryJournal}. */
export interface MemoryJournalOptions {
  /**
   * Keep only the entries of the most recent `keepCycles` cycles of each run (run-level entries,
   * cycle 0, are always kept). Long backtests use this to bound memory; a live journal must
   * keep everything. Default: keep everything.
   */
  readonly keepCycles?: number;
}

/**
 * A {@link Journal} held in memory, for tests and backtests. Reads (`entries`, `loadState`)
 * return deep copies and state is stored as JSON text, so readers cannot change what was
 * recorded; appended payloads are kept without a copy (see {@link MemoryJournal.append}).
 */
export class MemoryJournal implements Journal {
  /** Entries in order; those before `head` are pruned (dropped from the array in batches). */
  private readonly log: JournalEntry[] = [];
  private head = 0;
  private readonly state = new Map<string, string>();
  private seq = 0;
  private readonly keepCycles: number | undefined;

  constructor(options: MemoryJournalOptions = {}) {
    if (
      options.keepCycles !== undefined &&
      !(Number.isInteger(options.keepCycles) && options.keepCycles >= 1)
    ) {
      throw new ValidationError(
        'keepCycles',
        `expected an integer >= 1, got ${String(options.keepCycles)}`,
      );
    }
    this.keepCycles = options.keepCycles;
  }

  /**
   * Appends an entry. The payload is kept as given, without a copy (backtests append on every
   * cycle): do not change a payload after appending it. Reads return copies.
   */
  append(entry: JournalEntryInput): Promise<JournalEntry> {
    this.seq += 1;
    const stored = withSeq(entry, this.seq);
    this.log.push(stored);
    if (
      this.keepCycles !== undefined &&
      entry.cycle > this.keepCycles &&
      entry.kind === 'decision'
    ) {
      this.prune(entry.runId, entry.cycle - this.keepCycles);
    }
    // A settled promise without an async frame: a backtest appends several entries per order.
    return Promise.resolve(stored);
  }

  /**
   * Drops the run's entries of cycles 1 .. belowCycle-1. Cycles are journaled in order, so the
   * scan stops at the run's first entry of a later cycle; an old entry journaled after it (a
   * reconciliation's) is kept, which only costs memory. The few entries kept from the scanned
   * region (run-level ones, other runs') move up to its end and `head` moves past the rest, so
   * nothing after the region is copied; the array itself is shortened in batches.
   */
  private prune(runId: string, belowCycle: number): void {
    const log = this.log;
    let end = this.head;
    while (end < log.length) {
      const e = log[end] as JournalEntry;
      if (e.runId === runId && e.cycle >= belowCycle) break;
      end++;
    }
    let write = end;
    for (let read = end - 1; read >= this.head; read--) {
      const e = log[read] as JournalEntry;
      if (e.runId === runId && e.cycle > 0) continue;
      log[--write] = e;
    }
    this.head = write;
    if (this.head > 1024 && this.head * 2 > log.length) {
      log.copyWithin(0, this.head);
      log.length -= this.head;
      this.head = 0;
    }
  }

  async entries(query: JournalQuery): Promise<JournalEntry[]> {
    const kinds = query.kinds ? new Set(query.kinds) : undefined;
    const after = query.afterSeq ?? 0;
    const out: JournalEntry[] = [];
    for (let i = this.head; i < this.log.length; i++) {
      const e = this.log[i] as JournalEntry;
      if (e.runId !== query.runId || e.seq <= after) continue;
      if (kinds && !kinds.has(e.kind)) continue;
      if (query.clientOrderId !== undefined && e.clientOrderId !== query.clientOrderId) continue;
      out.push({ ...e, payload: structuredClone(e.payload) });
    }
    return out;
  }

  async saveState(runId: string, key: string, value: JsonValue, json?: string): Promise<void> {
    this.state.set(`${runId}\u0000${key}`, json ?? JSON.stringify(value));
  }

  async loadState(runId: string, key: string): Promise<JsonValue | undefined> {
    const raw = this.state.get(`${runId}\u0000${key}`);
    return raw === undefined ? undefined : (JSON.parse(raw) as JsonValue);
  }

  /** Number of entries held (after pruning). */
  get size(): number {
    return this.log.length - this.head;
  }
}

/**
 * The stored entry: the input's fields and its sequence number. Built field by field (a spread
 * followed by a new field takes V8's generic slow path, and a backtest appends several entries
 * per order); fields beyond the JournalEntryInput type are not kept.
 */
function withSeq(entry: JournalEntryInput, seq: number): JournalEntry {
  return entry.clientOrderId === undefined
    ? {
        runId: entry.runId,
        cycle: entry.cycle,
        kind: entry.kind,
        timestamp: entry.timestamp,
        payload: entry.payload,
        seq,
      }
    : {
        runId: entry.runId,
        cycle: entry.cycle,
        kind: entry.kind,
        timestamp: entry.timestamp,
        clientOrderId: entry.clientOrderId,
        payload: entry.payload,
        seq,
      };
}
