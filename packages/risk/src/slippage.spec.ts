import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { estimateSlippageBps, MAX_SLIPPAGE_BPS } from './slippage';
import { loadFixture, withinTolerance } from './testing/golden';
import type { GoldenRisk } from './testing/golden';

const golden = loadFixture<GoldenRisk>('golden-risk.json').slippage;

describe('estimateSlippageBps against golden.json slippage', () => {
  it('matches all 270 grid cases', () => {
    expect(golden.grid).toHaveLength(270);
    const bad = golden.grid.filter((c) => !withinTolerance(estimateSlippageBps(c), c.slippage_bps));
    expect(bad).toEqual([]);
  });

  it('matches all 15 real_data cases', () => {
    expect(golden.real_data).toHaveLength(15);
    const bad = golden.real_data.filter(
      (c) => !withinTolerance(estimateSlippageBps(c), c.slippage_bps),
    );
    expect(bad).toEqual([]);
  });
});

describe('estimateSlippageBps', () => {
  it('is 100 bps when ADV is 0, 5 bps (half spread) for zero shares or zero volatility', () => {
    expect(estimateSlippageBps({ shares: 1000, adv: 0, volatility: 0.3 })).toBe(100);
    expect(estimateSlippageBps({ shares: 0, adv: 1e6, volatility: 0.3 })).toBe(5);
    expect(estimateSlippageBps({ shares: 5000, adv: 1e6, volatility: 0 })).toBe(5);
  });

  it('hand-computed: 10 000 shares of 1 000 000 ADV at 20 % vol = 5 + 10*sqrt(0.01)*1 = 6 bps', () => {
    expect(estimateSlippageBps({ shares: 10_000, adv: 1_000_000, volatility: 0.2 })).toBeCloseTo(
      6,
      12,
    );
    expect(estimateSlippageBps({ shares: -10_000, adv: 1_000_000, volatility: 0.4 })).toBeCloseTo(
      7,
      12,
    );
  });

  it('rejects NaN, negative ADV and negative volatility with a ValidationError naming the argument', () => {
    expect(() => estimateSlippageBps({ shares: NaN, adv: 1, volatility: 0.2 })).toThrow(/shares/);
    expect(() => estimateSlippageBps({ shares: 1, adv: -1, volatility: 0.2 })).toThrow(/adv/);
    expect(() => estimateSlippageBps({ shares: 1, adv: 1, volatility: -0.2 })).toThrow(
      ValidationError,
    );
    expect(() => estimateSlippageBps({ shares: 1, adv: Infinity, volatility: 0.2 })).toThrow(/adv/);
  });

  const positive = fc.double({ min: 1, max: 1e9, noNaN: true });
  const vol = fc.double({ min: 0, max: 5, noNaN: true });

  it('property: within [5, 100] bps, symmetric in the sign of shares', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        positive,
        vol,
        (shares, adv, volatility) => {
          const s = estimateSlippageBps({ shares, adv, volatility });
          expect(s).toBeGreaterThanOrEqual(5);
          expect(s).toBeLessThanOrEqual(MAX_SLIPPAGE_BPS);
          expect(estimateSlippageBps({ shares: -shares, adv, volatility })).toBe(s);
        },
      ),
    );
  });

  it('property: non-decreasing in |shares| and in volatility, non-increasing in ADV', () => {
    fc.assert(
      fc.property(positive, positive, positive, vol, vol, (a, b, adv, v1, v2) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const [vlo, vhi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        expect(estimateSlippageBps({ shares: lo, adv, volatility: v1 })).toBeLessThanOrEqual(
          estimateSlippageBps({ shares: hi, adv, volatility: v1 }),
        );
        expect(estimateSlippageBps({ shares: lo, adv, volatility: vlo })).toBeLessThanOrEqual(
          estimateSlippageBps({ shares: lo, adv, volatility: vhi }),
        );
        expect(estimateSlippageBps({ shares: adv, adv: hi, volatility: v1 })).toBeLessThanOrEqual(
          estimateSlippageBps({ shares: adv, adv: lo, volatility: v1 }),
        );
      }),
    );
  });

  it('property: capped at exactly 100 bps for huge trades', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e4, max: 1e12, noNaN: true }), (shares) => {
        expect(estimateSlippageBps({ shares, adv: 1, volatility: 0.5 })).toBe(100);
      }),
    );
  });
});
