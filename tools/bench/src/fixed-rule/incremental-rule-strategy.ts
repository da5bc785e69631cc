import type {
  BarColumns,
  DecisionRow,
  IncrementalPoint,
  IncrementalStrategy,
  PrecomputeInput,
} from '@quantpipe/core';
import { INVESTED, SmaRuleState } from './sma-rule';

/**
 * The fixed rule as an incremental strategy: each symbol's running SMA sums advance to the bars
 * a decision sees, and the target is `0.9 / N` of equity while SMA 20 > SMA 60, else 0 — the
 * decisions of {@link FixedRuleStrategy}, taken one decision at a time.
 */
export class IncrementalRuleStrategy implements IncrementalStrategy {
  readonly name = 'sma-20-60-incremental';
  private input: PrecomputeInput | undefined;
  private states: SmaRuleState[] = [];
  private weight = 0;

  begin(input: PrecomputeInput): void {
    this.input = input;
    this.states = input.symbols.map(() => new SmaRuleState());
    this.weight = INVESTED / input.symbols.length;
  }

  step(point: IncrementalPoint, out: DecisionRow): void {
    const input = this.input as PrecomputeInput;
    const { schedule } = input;
    const n = input.symbols.length;
    const d = point.decision;
    for (let s = 0; s < n; s++) {
      const end = schedule.dailyEnd[d * n + s] as number;
      if (end <= (schedule.dailyFirst[s] as number)) continue;
      const series = input.daily[s] as BarColumns;
      const weight = (this.states[s] as SmaRuleState).advanceTo(series.close, end)
        ? this.weight
        : 0;
      out.targetWeights[s] = weight;
      out.composite[s] = weight;
    }
  }
}
