import { ValidationError } from '@quantpipe/core';
import type { Strategy, StrategyInput, StrategyOutput } from '@quantpipe/core';

/**
 * A hand-computable strategy: hold fixed signed fractions of equity per symbol,
 * `targetShares = trunc(equityUsd × weight / lastClose)`. No signals; useful for known-answer
 * tests and as a baseline.
 */
export class TargetWeightsStrategy implements Strategy {
  readonly name = 'target-weights';
  private readonly weights: Readonly<Record<string, number>>;

  constructor(weights: Readonly<Record<string, number>>) {
    for (const [symbol, w] of Object.entries(weights)) {
      if (!Number.isFinite(w))
        throw new ValidationError(
          `weights.${symbol}`,
          `expected a finite number, got ${String(w)}`,
        );
    }
    this.weights = { ...weights };
  }

  decide(input: StrategyInput): StrategyOutput {
    const decisions = input.symbols.map((symbol) => {
      const bars = input.daily.bars(symbol);
      const last = bars[bars.length - 1];
      const weight = this.weights[symbol] ?? 0;
      const targetShares = last ? Math.trunc((input.equityUsd * weight) / last.close) || 0 : 0;
      return { symbol, composite: weight, confidence: 1, signals: {}, targetShares };
    });
    return { decisions, weights: {}, health: {}, ic: {}, hybrid: false };
  }
}
