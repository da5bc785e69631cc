import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import {
  crossSectionalRanksInto,
  crossSectionalZScoresInto,
  rollingZScoreAt,
} from './signal-normalization';

describe('rollingZScoreAt', () => {
  it('matches hand-computed values (ddof = 1)', () => {
    // window [1, 2, 3, 6]: mean 3, sample var (4 + 1 + 0 + 9) / 3 = 14/3
    expect(rollingZScoreAt([9, 1, 2, 3, 6], 5, 4)).toBeCloseTo(3 / Math.sqrt(14 / 3), 14);
    // window [2, 4]: mean 3, std sqrt(2)
    expect(rollingZScoreAt([2, 4, 100], 2, 2)).toBeCloseTo(1 / Math.SQRT2, 14);
  });

  it('gives 0 before the window fills, on a constant window and on NaN', () => {
    expect(rollingZScoreAt([1, 2], 2, 3)).toBe(0);
    expect(rollingZScoreAt([5, 5, 5], 3, 3)).toBe(0);
    expect(rollingZScoreAt([1, NaN, 3], 3, 3)).toBe(0);
  });

  it('rejects a bad window or end, naming the argument', () => {
    expect(() => rollingZScoreAt([1, 2], 2, 1)).toThrow(ValidationError);
    expect(() => rollingZScoreAt([1, 2], 3, 2)).toThrow(/end/);
  });

  it('is invariant to an affine rescaling of the signal (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 3, maxLength: 40 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: -10, max: 10 }),
        (xs, scale, shift) => {
          const w = Math.min(xs.length, 10);
          const z = rollingZScoreAt(xs, xs.length, w);
          const z2 = rollingZScoreAt(
            xs.map((x) => x * scale + shift),
            xs.length,
            w,
          );
          expect(Number.isFinite(z)).toBe(true);
          if (Math.abs(z) > 1e-6) expect(z2).toBeCloseTo(z, 5);
        },
      ),
    );
  });
});

describe('crossSectionalZScoresInto', () => {
  it('matches hand-computed values and skips NaN', () => {
    // [1, 3, NaN, 5]: mean 3, std 2
    expect(Array.from(crossSectionalZScoresInto([1, 3, NaN, 5]))).toEqual([-1, 0, 0, 1]);
    expect(Array.from(crossSectionalZScoresInto([7]))).toEqual([0]);
    expect(Array.from(crossSectionalZScoresInto([2, 2, 2]))).toEqual([0, 0, 0]);
  });

  it('sums to zero with unit sample variance (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 30 }),
        (xs) => {
          const z = crossSectionalZScoresInto(xs);
          const sum = z.reduce((a, b) => a + b, 0);
          expect(Math.abs(sum)).toBeLessThan(1e-9);
          const distinct = new Set(xs).size > 1;
          const ss = z.reduce((a, b) => a + b * b, 0) / (xs.length - 1);
          if (distinct && Math.max(...xs) - Math.min(...xs) > 1e-6) expect(ss).toBeCloseTo(1, 6);
        },
      ),
    );
  });
});

describe('crossSectionalRanksInto', () => {
  it('maps ranks onto [-1, 1] with tied mean ranks', () => {
    expect(Array.from(crossSectionalRanksInto([30, 10, 20]))).toEqual([1, -1, 0]);
    // ranks of [1, 2, 2, 3]: 0, 1.5, 1.5, 3 -> -1, 0, 0, 1
    expect(Array.from(crossSectionalRanksInto([1, 2, 2, 3]))).toEqual([-1, 0, 0, 1]);
    expect(Array.from(crossSectionalRanksInto([NaN, 4, 1]))).toEqual([0, 1, -1]);
    expect(Array.from(crossSectionalRanksInto([4]))).toEqual([0]);
  });

  it('is bounded, sums to zero and keeps the order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 2, maxLength: 30 }),
        (xs) => {
          const r = crossSectionalRanksInto(xs);
          expect(Math.abs(r.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
          for (let i = 0; i < xs.length; i++) {
            expect(Math.abs(r[i] as number)).toBeLessThanOrEqual(1);
            for (let j = 0; j < xs.length; j++)
              if ((xs[i] as number) < (xs[j] as number))
                expect(r[i] as number).toBeLessThan(r[j] as number);
          }
        },
      ),
    );
  });
});
