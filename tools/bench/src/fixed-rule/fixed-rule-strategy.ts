import type {
  BarColumns,
  DecisionTable,
  PrecomputeInput,
  PrecomputedStrategy,
} from '@quantpipe/core';
import { INVESTED, smaRule } from './sma-rule';

/**
 * The fixed rule as a precomputed strategy: for every decision and symbol a target fraction of
 * equity (`0.9 / N` while SMA 20 > SMA 60 at the decision's bar, else 0). The engine turns the
 * fractions into whole shares from the equity at each decision (`trunc(equity × w / close)`).
 */
export class FixedRuleStrategy implements PrecomputedStrategy {
  readonly name = 'sma-20-60';
  /** Milliseconds the last precompute took (the rule, not the engine). */
  precomputeMs = 0;

  precompute(input: PrecomputeInput): DecisionTable {
    const started = performance.now();
    const n = input.symbols.length;
    const d = input.schedule.decisions;
    const decided = new Uint8Array(d * n);
    const weights = new Float64Array(d * n);
    const weight = INVESTED / n;
    for (let s = 0; s < n; s++) {
      const series = input.daily[s] as BarColumns;
      const rule = smaRule(series.close.subarray(0, series.length));
      for (let k = 0; k < d; k++) {
        const end = input.schedule.dailyEnd[k * n + s] as number;
        if (end <= (input.schedule.dailyFirst[s] as number)) continue;
        decided[k * n + s] = 1;
        weights[k * n + s] = rule[end - 1] === 1 ? weight : 0;
      }
    }
    const empty = new Float64Array(0);
    this.precomputeMs = performance.now() - started;
    return {
      symbols: input.symbols,
      decisions: d,
      signalNames: [],
      decided,
      composite: weights,
      confidence: new Float64Array(d * n).fill(1),
      targetWeights: weights,
      signals: empty,
      weights: empty,
      health: empty,
      ic: empty,
      hybrid: new Uint8Array(d),
      notes: [],
    };
  }
}
