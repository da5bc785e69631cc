import type { DecisionRecord } from './backtest-result';
import type { DecisionColumns } from './decision-columns';
import type { DecisionRecords } from './decision-records';
import { grown } from './grown';

/**
 * Where the rows of a {@link TableDecisionLog} read what they do not store: a precomputed
 * decision table (composite, confidence, signals by decision and symbol) and the market (the
 * price the cycle sized with).
 */
export interface DecisionRowSource {
  readonly symbols: readonly string[];
  readonly signalNames: readonly string[];
  /** `[d * N + s]`. */
  readonly composite: Float64Array;
  readonly confidence: Float64Array;
  /** `[(d * N + s) * K + k]`. */
  readonly signals: Float64Array;
  /** `[(d * N + s) * K + k]`: each signal's contribution to the daily composite, when known. */
  readonly contributions?: Float64Array;
  /** The last close symbol `s` was sized with at decision `d`. */
  priceUsd(d: number, s: number): number;
}

/**
 * The decisions of a run whose strategy was precomputed, stored as the little each row adds to
 * the decision table — the symbol, its target and its position — while the composite,
 * confidence, signals and price are read from the table and the market when a row is read
 * (a run over a hundred symbols makes a quarter of a million rows). Rows read as
 * {@link DecisionRecord}s, as a {@link DecisionLog}'s.
 */
export class TableDecisionLog implements DecisionRecords {
  private rows = 0;
  private symbolOf: Int32Array;
  private numbers: Float64Array;
  private readonly cycleTimestamps: string[] = [];
  private readonly cycleNumbers: number[] = [];
  private readonly cycleDecision: number[] = [];
  private readonly cycleFirstRow: number[] = [];

  /** @param capacity rows to make room for (the run's decisions × symbols). */
  constructor(
    private readonly source: DecisionRowSource,
    capacity = 0,
  ) {
    this.symbolOf = new Int32Array(capacity);
    this.numbers = new Float64Array(capacity * 2);
  }

  get length(): number {
    return this.rows;
  }

  /** The signals every row reports, in order. */
  get signalNames(): readonly string[] {
    return this.source.signalNames;
  }

  /** Starts the rows of one cycle: decision `d` of the table, at `timestamp`. */
  beginCycle(timestamp: string, cycle: number, d: number): void {
    this.cycleTimestamps.push(timestamp);
    this.cycleNumbers.push(cycle);
    this.cycleDecision.push(d);
    this.cycleFirstRow.push(this.rows);
  }

  /** A decision of the current cycle: symbol `s` with its target and position before the cycle. */
  append(s: number, targetShares: number, currentShares: number): void {
    const row = this.rows++;
    if (row >= this.symbolOf.length) {
      this.symbolOf = grown(this.symbolOf, row + 1);
      this.numbers = grown(this.numbers, row + 1, 2);
    }
    this.symbolOf[row] = s;
    this.numbers[row * 2] = targetShares;
    this.numbers[row * 2 + 1] = currentShares;
  }

  /** The cycle (index into the cycle columns) row `row` belongs to. */
  private cycleOf(row: number): number {
    const first = this.cycleFirstRow;
    let lo = 0;
    let hi = first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((first[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  at(row: number): DecisionRecord {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows)
      throw new RangeError(`decision ${row} of ${this.rows}`);
    return this.record(row, this.cycleOf(row));
  }

  /** Row `row` of cycle `c` as a record. */
  private record(row: number, c: number): DecisionRecord {
    const d = this.cycleDecision[c] as number;
    const s = this.symbolOf[row] as number;
    const src = this.source;
    const at = d * src.symbols.length + s;
    const names = src.signalNames;
    const signals: Record<string, number> = {};
    for (let k = 0; k < names.length; k++)
      signals[names[k] as string] = src.signals[at * names.length + k] as number;
    const table = src.contributions;
    let contributions: Record<string, number> | undefined;
    if (table) {
      contributions = {};
      for (let k = 0; k < names.length; k++)
        contributions[names[k] as string] = table[at * names.length + k] as number;
    }
    return {
      timestamp: this.cycleTimestamps[c] as string,
      cycle: this.cycleNumbers[c] as number,
      symbol: src.symbols[s] as string,
      composite: src.composite[at] as number,
      confidence: src.confidence[at] as number,
      targetShares: this.numbers[row * 2] as number,
      currentShares: this.numbers[row * 2 + 1] as number,
      priceUsd: src.priceUsd(d, s),
      signals,
      ...(contributions ? { contributions } : {}),
    };
  }

  // Reading in order walks the cycles alongside the rows (no search per row).
  *[Symbol.iterator](): Iterator<DecisionRecord> {
    const first = this.cycleFirstRow;
    let c = 0;
    for (let row = 0; row < this.rows; row++) {
      while (c + 1 < first.length && (first[c + 1] as number) <= row) c++;
      yield this.record(row, c);
    }
  }

  /**
   * The rows by column, read from the table and the market without a record per row, when
   * `signalNames` are the table's own (in its order); else undefined.
   */
  columns(signalNames: readonly string[]): DecisionColumns | undefined {
    const src = this.source;
    const names = src.signalNames;
    if (signalNames.length !== names.length || signalNames.some((n, k) => n !== names[k]))
      return undefined;
    const first = this.cycleFirstRow;
    const K = names.length;
    const N = src.symbols.length;
    const contributions = src.contributions;
    let row = 0;
    let c = -1;
    let dateCycle = -1;
    let d = 0;
    let s = 0;
    let at = 0;
    let date = '';
    return {
      length: this.rows,
      select: (next) => {
        // a walk moves forward a cycle at a time; a step back (or the first row) searches
        if (c < 0 || next < row) c = this.cycleOf(next);
        else while (c + 1 < first.length && (first[c + 1] as number) <= next) c++;
        if (c !== dateCycle) {
          dateCycle = c;
          d = this.cycleDecision[c] as number;
          date = (this.cycleTimestamps[c] as string).slice(0, 10);
        }
        row = next;
        s = this.symbolOf[row] as number;
        at = d * N + s;
      },
      timestamp: () => this.cycleTimestamps[c] as string,
      date: () => date,
      symbol: () => src.symbols[s] as string,
      symbolIndex: () => s,
      composite: () => src.composite[at] as number,
      currentShares: () => this.numbers[row * 2 + 1] as number,
      priceUsd: () => src.priceUsd(d, s),
      hasContributions: () => contributions !== undefined,
      signal: (k) => src.signals[at * K + k] as number,
      contribution: (k) => (contributions as Float64Array)[at * K + k] as number,
    };
  }

  toArray(): DecisionRecord[] {
    const out = new Array<DecisionRecord>(this.rows);
    let row = 0;
    for (const record of this) out[row++] = record;
    return out;
  }
}
