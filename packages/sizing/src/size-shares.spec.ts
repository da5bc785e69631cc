import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { sizeSharesInto, type SizingTotals } from './size-shares';
import { computeTargetPositions } from './target-positions';
import { resolveSizingConfig } from './sizing-config';

const entryArb = fc.record({
  compositeSignal: fc.double({ min: -3, max: 3, noNaN: true }),
  confidence: fc.double({ min: 0, max: 1.5, noNaN: true }),
  price: fc.double({ min: 0.5, max: 2000, noNaN: true }),
  adv20: fc.double({ min: 0, max: 5e7, noNaN: true }),
});

describe('sizeSharesInto (the sizing over columns)', () => {
  it('gives the share targets and totals of computeTargetPositions', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 1e3, max: 1e8, noNaN: true }),
        (raw, equityUsd) => {
          const entries = raw.map((e, i) => ({ ...e, symbol: `S${i}` }));
          const ref = computeTargetPositions(entries, equityUsd);
          const out = new Float64Array(entries.length);
          const totals: SizingTotals = {
            totalExposureUsd: 0,
            targetLeverage: 0,
            scaleFactor: 0,
            repairShares: 0,
          };
          sizeSharesInto(
            {
              count: entries.length,
              compositeSignal: Float64Array.from(entries, (e) => e.compositeSignal),
              confidence: Float64Array.from(entries, (e) => e.confidence),
              priceUsd: Float64Array.from(entries, (e) => e.price),
              adv20: Float64Array.from(entries, (e) => e.adv20),
              describe: (i) => `S${i}`,
            },
            equityUsd,
            resolveSizingConfig(),
            out,
            totals,
          );
          entries.forEach((e, i) => expect(out[i]).toBe(ref.targets[e.symbol]));
          expect(totals.totalExposureUsd).toBe(ref.trace.portfolio.totalExposureUsd);
          expect(totals.repairShares).toBe(ref.trace.portfolio.repairShares);
          expect(Number.isNaN(totals.scaleFactor) ? null : totals.scaleFactor).toBe(
            ref.trace.portfolio.scaleFactor,
          );
        },
      ),
    );
  });

  it('names the symbol of a bad input', () => {
    const cols = {
      count: 1,
      compositeSignal: [0.5],
      confidence: [1],
      priceUsd: [Number.NaN],
      adv20: [1e6],
      describe: () => 'AAPL',
    };
    expect(() => sizeSharesInto(cols, 1e6, resolveSizingConfig(), new Float64Array(1))).toThrow(
      new ValidationError('AAPL.price', 'expected a finite number > 0, got NaN'),
    );
    expect(() =>
      sizeSharesInto({ ...cols, priceUsd: [10] }, 0, resolveSizingConfig(), new Float64Array(1)),
    ).toThrow(ValidationError);
  });
});
