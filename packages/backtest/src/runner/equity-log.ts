import type { EquityPoint } from '../result/backtest-result';
import { grown } from '../result/grown';
import type { SessionTimeline } from './timeline';

/** Numbers per mark: cash, positions, equity, gross, leverage, fees, slippage, hedge P&L. */
const NUMBERS = 8;

/**
 * The portfolio at every mark of a run, as columns (filled step by step without an object per
 * step); {@link EquityLog.points} gives the {@link EquityPoint}s for the outputs.
 */
export class EquityLog {
  private rows = 0;
  private numbers: Float64Array;
  private steps: Int32Array;
  private hedge: Int32Array;

  /** @param capacity marks to make room for up front (the run's steps). */
  constructor(capacity = 0) {
    this.numbers = new Float64Array(capacity * NUMBERS);
    this.steps = new Int32Array(capacity);
    this.hedge = new Int32Array(capacity);
  }

  /** Marks recorded. */
  get length(): number {
    return this.rows;
  }

  /** Records the mark of timeline step `step`. */
  push(
    step: number,
    cashUsd: number,
    positionsValueUsd: number,
    equityUsd: number,
    grossExposureUsd: number,
    leverage: number,
    feesUsd: number,
    slippageUsd: number,
    hedgeActive: boolean,
    hedgePnlUsd: number,
  ): void {
    const row = this.rows++;
    if (this.rows > this.steps.length) {
      this.numbers = grown(this.numbers, this.rows, NUMBERS);
      this.steps = grown(this.steps, this.rows);
      this.hedge = grown(this.hedge, this.rows);
    }
    const at = row * NUMBERS;
    const x = this.numbers;
    x[at] = cashUsd;
    x[at + 1] = positionsValueUsd;
    x[at + 2] = equityUsd;
    x[at + 3] = grossExposureUsd;
    x[at + 4] = leverage;
    x[at + 5] = feesUsd;
    x[at + 6] = slippageUsd;
    x[at + 7] = hedgePnlUsd;
    this.steps[row] = step;
    this.hedge[row] = hedgeActive ? 1 : 0;
  }

  /** Every mark as an {@link EquityPoint} (instants and benchmark closes from `timeline`). */
  points(timeline: SessionTimeline): EquityPoint[] {
    const out = new Array<EquityPoint>(this.rows);
    const x = this.numbers;
    for (let row = 0; row < this.rows; row++) {
      const at = row * NUMBERS;
      const k = this.steps[row] as number;
      const net = x[at + 1] as number;
      out[row] = {
        timestamp: timeline.timestamps[k] as string,
        date: timeline.dates[k] as string,
        cashUsd: x[at] as number,
        positionsValueUsd: net,
        equityUsd: x[at + 2] as number,
        grossExposureUsd: x[at + 3] as number,
        netExposureUsd: net,
        leverage: x[at + 4] as number,
        benchmarkClose: timeline.hasBenchmark ? (timeline.benchmarkClose[k] as number) : null,
        feesUsd: x[at + 5] as number,
        slippageUsd: x[at + 6] as number,
        hedgeActive: this.hedge[row] === 1,
        hedgePnlUsd: x[at + 7] as number,
      };
    }
    return out;
  }
}
