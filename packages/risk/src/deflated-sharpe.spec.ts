import { ValidationError } from '@quantpipe/core';
import fc from 'fast-check';
import {
  deflatedSharpeRatio,
  expectedMaxSharpe,
  probabilisticSharpeRatio,
  sharpeMoments,
} from './deflated-sharpe';

describe('sharpeMoments', () => {
  it('matches a hand-computed series', () => {
    // mean 0.005; deviations ±0.005, ±0.015: m2 = 1.25e-4, m3 = 0, m4 = 2.5625e-8;
    // sample std sqrt(5e-4 / 3); kurtosis m4 / m2² = 1.64.
    const m = sharpeMoments([0.01, -0.01, 0.02, 0]);
    expect(m.periods).toBe(4);
    expect(m.sharpe).toBeCloseTo(0.005 / Math.sqrt(5e-4 / 3), 12);
    expect(m.skewness).toBeCloseTo(0, 12);
    expect(m.kurtosis).toBeCloseTo(1.64, 12);
  });

  it('gives a flat series a Sharpe ratio of 0 and refuses short or non-finite series', () => {
    expect(sharpeMoments([0.01, 0.01, 0.01])).toEqual({
      periods: 3,
      sharpe: 0,
      skewness: 0,
      kurtosis: 3,
    });
    expect(() => sharpeMoments([0.01])).toThrow(ValidationError);
    expect(() => sharpeMoments([0.01, Number.NaN])).toThrow('returns[1]');
  });
});

describe('deflatedSharpeRatio', () => {
  it("reproduces the paper's numerical example (Bailey & López de Prado 2014, section 6)", () => {
    // Annualised SR 2.5 over 5 years of daily returns (T = 1250, 250 a year), 100 trials whose
    // annualised Sharpe ratios vary by 0.5, skewness -3, kurtosis 10: SR0 ≈ 0.1132 a day and
    // DSR ≈ 0.9004. The digits below are scipy.stats.norm's for the same formula.
    const result = deflatedSharpeRatio({
      sharpe: 2.5 / Math.sqrt(250),
      periods: 1250,
      skewness: -3,
      kurtosis: 10,
      trials: 100,
      sharpeVariance: 0.5 / 250,
    });
    expect(result.benchmarkSharpe).toBeCloseTo(0.11317200186513214, 10);
    expect(result.deflatedSharpe).toBeCloseTo(0.9003968344493903, 9);
  });

  it('expects the maximum of N skill-less trials as scipy computes it', () => {
    const v = 0.5 / 250;
    expect(expectedMaxSharpe(1, v)).toBe(0);
    expect(expectedMaxSharpe(2, v)).toBeCloseTo(0.02324416562960429, 10);
    expect(expectedMaxSharpe(10, v)).toBeCloseTo(0.07041817678129592, 10);
    expect(expectedMaxSharpe(1000, v)).toBeCloseTo(0.14557345959098997, 9);
  });

  it('with one trial is the probabilistic Sharpe ratio against 0', () => {
    const moments = { sharpe: 0.05, periods: 500, skewness: -0.4, kurtosis: 5 };
    expect(deflatedSharpeRatio({ ...moments, trials: 1, sharpeVariance: 0.01 })).toEqual({
      deflatedSharpe: probabilisticSharpeRatio({ ...moments, benchmarkSharpe: 0 }),
      benchmarkSharpe: 0,
    });
  });

  it('falls as the number of trials grows (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.2, max: 0.3, noNaN: true }),
        fc.integer({ min: 30, max: 5000 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 2, max: 12, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.01, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (sharpe, periods, skewness, kurtosis, sharpeVariance, trials, more) => {
          const input = { sharpe, periods, skewness, kurtosis, sharpeVariance };
          const few = deflatedSharpeRatio({ ...input, trials });
          const many = deflatedSharpeRatio({ ...input, trials: trials + more });
          expect(many.benchmarkSharpe).toBeGreaterThan(few.benchmarkSharpe);
          expect(many.deflatedSharpe).toBeLessThanOrEqual(few.deflatedSharpe);
          expect(many.deflatedSharpe).toBeGreaterThanOrEqual(0);
          expect(few.deflatedSharpe).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('refuses inputs that define no probability', () => {
    const ok = { sharpe: 0.1, periods: 100, skewness: 0, kurtosis: 3, sharpeVariance: 0.001 };
    expect(() => deflatedSharpeRatio({ ...ok, trials: 0 })).toThrow('trials');
    expect(() => deflatedSharpeRatio({ ...ok, trials: 5, sharpeVariance: -1 })).toThrow(
      'sharpeVariance',
    );
    expect(() => deflatedSharpeRatio({ ...ok, trials: 5, periods: 1 })).toThrow('periods');
    // 1 − γ3·SR + (γ4 − 1)/4·SR² <= 0: no variance, no probability.
    expect(() => deflatedSharpeRatio({ ...ok, sharpe: 1, skewness: 5, trials: 5 })).toThrow(
      ValidationError,
    );
  });
});
