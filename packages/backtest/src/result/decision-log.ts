import { grown } from './grown';
import type { DecisionRecord } from './backtest-result';
import type { DecisionRecords } from './decision-records';

/** One symbol's decision as the engine reports it: a DecisionRecord without cycle and time. */
export type DecisionInput = Omit<DecisionRecord, 'timestamp' | 'cycle'>;

/** Numbers per row besides the signals: composite, confidence, target, current, price. */
const FIXED = 5;
/** References per row (see `refs`). */
const REFS = 4;

/**
 * Every decision of a run, in order, stored as columns. A ten-year daily run over a hundred
 * symbols makes about 250,000 decisions; as objects they would be copied by every young
 * collection while the run goes on, as columns they are a few typed arrays. Symbols, instants
 * and signal name lists are kept once each; {@link DecisionLog.toArray} and iteration give back
 * equal {@link DecisionRecord}s (signal keys in their original order).
 */
export class DecisionLog implements DecisionRecords {
  private rows = 0;
  private numbers: Float64Array;
  /** Per row: symbol index, cycle row, signal shape, offset of its signal values. */
  private refs: Int32Array;
  private signalValues = new Float64Array(0);
  private signalCount = 0;
  private readonly symbols: string[] = [];
  private readonly symbolIndex = new Map<string, number>();
  private readonly timestamps: string[] = [];
  private readonly cycles: number[] = [];
  private readonly shapes: (readonly string[])[] = [];
  private readonly shapeIndex = new Map<string, number>();
  private lastShape = -1;

  /** @param capacity rows to make room for up front (the run's decisions × symbols, say). */
  constructor(capacity = 0) {
    this.numbers = new Float64Array(capacity * FIXED);
    this.refs = new Int32Array(capacity * REFS);
  }

  /** Decisions recorded. */
  get length(): number {
    return this.rows;
  }

  /** Records one cycle's decisions. */
  append(timestamp: string, cycle: number, decisions: readonly DecisionInput[]): void {
    this.beginCycle(timestamp, cycle);
    for (const d of decisions)
      this.appendRecord(
        d.symbol,
        d.composite,
        d.confidence,
        d.targetShares,
        d.currentShares,
        d.priceUsd,
        d.signals,
      );
  }

  /** Starts a cycle's rows: the rows appended next belong to it. */
  beginCycle(timestamp: string, cycle: number): void {
    this.timestamps.push(timestamp);
    this.cycles.push(cycle);
  }

  private row(
    symbol: string,
    composite: number,
    confidence: number,
    targetShares: number,
    currentShares: number,
    priceUsd: number,
    shape: number,
    offset: number,
  ): void {
    const row = this.rows++;
    if (this.rows * FIXED > this.numbers.length) {
      this.numbers = grown(this.numbers, this.rows, FIXED);
      this.refs = grown(this.refs, this.rows, REFS);
    }
    const at = row * FIXED;
    const x = this.numbers;
    x[at] = composite;
    x[at + 1] = confidence;
    x[at + 2] = targetShares;
    x[at + 3] = currentShares;
    x[at + 4] = priceUsd;
    const ref = row * REFS;
    const r = this.refs;
    r[ref] = this.symbolOf(symbol);
    r[ref + 1] = this.timestamps.length - 1;
    r[ref + 2] = shape;
    r[ref + 3] = offset;
  }

  /** A decision of the current cycle, its signals as a record. */
  appendRecord(
    symbol: string,
    composite: number,
    confidence: number,
    targetShares: number,
    currentShares: number,
    priceUsd: number,
    signals: Readonly<Record<string, number>>,
  ): void {
    const shape = this.shapeOf(signals);
    const names = this.shapes[shape] as readonly string[];
    const offset = this.signalCount;
    this.signalValues = grown(this.signalValues, offset + names.length);
    for (let i = 0; i < names.length; i++)
      this.signalValues[offset + i] = signals[names[i] as string] as number;
    this.signalCount += names.length;
    this.row(symbol, composite, confidence, targetShares, currentShares, priceUsd, shape, offset);
  }

  private symbolOf(symbol: string): number {
    let index = this.symbolIndex.get(symbol);
    if (index === undefined) {
      index = this.symbols.length;
      this.symbols.push(symbol);
      this.symbolIndex.set(symbol, index);
    }
    return index;
  }

  /** The index of the signals' key list (usually the previous row's: checked without copying). */
  private shapeOf(signals: Readonly<Record<string, number>>): number {
    const last = this.shapes[this.lastShape];
    if (last !== undefined) {
      let i = 0;
      let same = true;
      for (const key in signals) {
        if (last[i] !== key) {
          same = false;
          break;
        }
        i++;
      }
      if (same && i === last.length) return this.lastShape;
    }
    const names = Object.keys(signals);
    const key = names.join('\u0000');
    let index = this.shapeIndex.get(key);
    if (index === undefined) {
      index = this.shapes.length;
      this.shapes.push(names);
      this.shapeIndex.set(key, index);
    }
    this.lastShape = index;
    return index;
  }

  /** Decision `row` (0-based, in recording order). */
  at(row: number): DecisionRecord {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows)
      throw new RangeError(`decision ${row} of ${this.rows}`);
    const at = row * FIXED;
    const ref = row * REFS;
    const cycleRow = this.refs[ref + 1] as number;
    const names = this.shapes[this.refs[ref + 2] as number] as readonly string[];
    const offset = this.refs[ref + 3] as number;
    const values = this.signalValues;
    const signals: Record<string, number> = {};
    for (let i = 0; i < names.length; i++)
      signals[names[i] as string] = values[offset + i] as number;
    return {
      timestamp: this.timestamps[cycleRow] as string,
      cycle: this.cycles[cycleRow] as number,
      symbol: this.symbols[this.refs[ref] as number] as string,
      composite: this.numbers[at] as number,
      confidence: this.numbers[at + 1] as number,
      targetShares: this.numbers[at + 2] as number,
      currentShares: this.numbers[at + 3] as number,
      priceUsd: this.numbers[at + 4] as number,
      signals,
    };
  }

  *[Symbol.iterator](): Iterator<DecisionRecord> {
    for (let row = 0; row < this.rows; row++) yield this.at(row);
  }

  /** Every decision as a record. */
  toArray(): DecisionRecord[] {
    const out = new Array<DecisionRecord>(this.rows);
    for (let row = 0; row < this.rows; row++) out[row] = this.at(row);
    return out;
  }
}
