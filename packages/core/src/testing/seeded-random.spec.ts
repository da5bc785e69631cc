import fc from 'fast-check';
import { seededRandom } from './seeded-random';

const draws = (seed: number, count: number): number[] => {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => next());
};

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = draws(seed, 64);
        expect(draws(seed, 64)).toEqual(a);
        expect(a.every((u) => u >= 0 && u < 1)).toBe(true);
      }),
    );
  });

  it('reads only the low 32 bits of the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 }), (seed) => {
        expect(draws(seed + 2 ** 32, 8)).toEqual(draws(seed, 8));
      }),
    );
  });

  it('gives different sequences for different seeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (seed, step) => {
          expect(draws(seed + step, 4)).not.toEqual(draws(seed, 4));
        },
      ),
    );
  });

  it('draws uniformly: mean 1/2, variance 1/12, every tenth of [0, 1) about as often', () => {
    const n = 200_000;
    const values = draws(20_240_601, n);
    const mean = values.reduce((s, u) => s + u, 0) / n;
    const variance = values.reduce((s, u) => s + (u - mean) ** 2, 0) / n;
    // standard errors: sqrt(1/12/n) = 0.00065 for the mean; bins 20,000 +- 134
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const bins = new Array<number>(10).fill(0);
    for (const u of values) {
      const k = Math.floor(u * 10);
      bins[k] = (bins[k] ?? 0) + 1;
    }
    for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(700);
  });
});
