import { ValidationError } from '@quantpipe/core';
import { seededRandom } from '@quantpipe/core/testing';
import { probabilityOfBacktestOverfitting } from './backtest-overfitting';

/** Seeded standard normal draws (mulberry32 and Box–Muller): test data only. */
function normals(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function noiseTrials(seed: number, trials: number, periods: number, drift = 0): number[][] {
  const draw = normals(seed);
  return Array.from({ length: trials }, (_, n) =>
    Array.from({ length: periods }, () => 0.01 * draw() + (n === 0 ? drift : 0)),
  );
}

describe('probabilityOfBacktestOverfitting (CSCV)', () => {
  it('hand case: the in-sample winner is the out-of-sample loser in both splits, PBO = 1', () => {
    // S = 2: rows 0-1 and rows 2-3. A's Sharpe is +√2 then −√2; B's is 0 in both halves.
    // Split 1: A wins in-sample, ranks 1 of 2 out-of-sample: ω = 1/3, λ = ln(1/2).
    // Split 2: B wins in-sample (0 > −√2), ranks 1 of 2 out-of-sample: λ = ln(1/2) again.
    const a = [0.03, 0.01, -0.01, -0.03];
    const b = [0.01, -0.01, 0.01, -0.01];
    const r = probabilityOfBacktestOverfitting([a, b], { partitions: 2 });
    expect(r.pbo).toBe(1);
    expect(r.logits).toHaveLength(2);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(0.5), 14);
    expect(r).toMatchObject({ partitions: 2, periodsUsed: 4, trials: 2 });
  });

  it('hand case: a trial that wins in both halves is never overfit, PBO = 0', () => {
    // Sharpe ratios by half: A √2 then −1/√2, B 3/√2 then 0. B wins in-sample in both splits
    // and ranks 2 of 2 out-of-sample: ω = 2/3, λ = ln 2.
    const a = [0.01, 0.03, -0.02, 0.0];
    const b = [0.02, 0.01, 0.01, -0.01];
    const r = probabilityOfBacktestOverfitting([a, b], { partitions: 2 });
    expect(r.pbo).toBe(0);
    expect(r.logits).toHaveLength(2);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(2), 14);
  });

  it('matches a brute-force reference on 9 periods, 3 trials and 4 partitions', () => {
    // The first row is dropped (9 mod 4); groups of 2 rows; C(4, 2) = 6 splits. Reference: an
    // independent itertools/numpy implementation of the same procedure.
    const rows = [
      [0.01, 0.02, -0.01],
      [0.03, -0.01, 0.0],
      [-0.02, 0.01, 0.02],
      [0.0, 0.02, -0.01],
      [0.01, -0.02, 0.03],
      [0.02, 0.0, 0.01],
      [-0.01, 0.03, 0.0],
      [0.0, -0.01, 0.02],
      [0.015, 0.005, -0.005],
    ];
    const trials = [0, 1, 2].map((n) => rows.map((row) => row[n] as number));
    const r = probabilityOfBacktestOverfitting(trials, { partitions: 4 });
    const ln3 = Math.log(3);
    expect(r.periodsUsed).toBe(8);
    expect(r.logits.map((l) => Number(l.toFixed(12)))).toEqual(
      [ln3, 0, ln3, ln3, -ln3, ln3].map((l) => Number(l.toFixed(12))),
    );
    expect(r.pbo).toBeCloseTo(2 / 6, 15);
  });

  it('is about 0.5 on pure-noise strategies', () => {
    // No trial has skill: which one wins in-sample says nothing about out-of-sample, so the
    // winner's out-of-sample rank is uniform and half the splits fall at or below the median.
    const pbos = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (seed) => probabilityOfBacktestOverfitting(noiseTrials(seed, 16, 480)).pbo,
    );
    const mean = pbos.reduce((s, p) => s + p, 0) / pbos.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
  });

  it('is near 0 when one trial really is better', () => {
    const r = probabilityOfBacktestOverfitting(noiseTrials(11, 16, 480, 0.004));
    expect(r.logits).toHaveLength(12870);
    expect(r.pbo).toBeLessThan(0.05);
  });

  it('refuses inputs it cannot split', () => {
    const two = noiseTrials(3, 2, 40);
    expect(() => probabilityOfBacktestOverfitting(two, { partitions: 3 })).toThrow('partitions');
    expect(() => probabilityOfBacktestOverfitting([two[0] as number[]])).toThrow(ValidationError);
    expect(() => probabilityOfBacktestOverfitting([[0.01, 0.02], [0.01]])).toThrow('length 1');
    expect(() => probabilityOfBacktestOverfitting(noiseTrials(3, 2, 8))).toThrow('too few');
  });
});
