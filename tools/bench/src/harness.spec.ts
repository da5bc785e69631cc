import fc from 'fast-check';
import { formatCount, measure, quantileSorted, summarize } from './harness';

describe('benchmark harness', () => {
  it('computes linear-interpolated quantiles as numpy/pandas do', () => {
    // numpy.quantile([1, 2, 3, 4], 0.5) = 2.5; quantile(..., 0.9) = 3.7
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileSorted([5], 0.99)).toBe(5);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
  });

  it('summarizes without depending on sample order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (xs) => {
          const a = summarize(xs);
          const b = summarize([...xs].reverse());
          return (
            a.medianMs === b.medianMs &&
            a.minMs <= a.medianMs &&
            a.medianMs <= a.p90Ms &&
            a.p90Ms <= a.p99Ms &&
            a.p99Ms <= a.maxMs
          );
        },
      ),
    );
  });

  it('runs the warm-up and the timed runs', () => {
    let calls = 0;
    const stats = measure(() => calls++, { warmupRuns: 2, runs: 5 });
    expect(calls).toBe(7);
    expect(stats.runs).toBe(5);
    expect(stats.minMs).toBeGreaterThanOrEqual(0);
  });

  it('formats counts with SI prefixes', () => {
    expect(formatCount(31_250_000)).toBe('31.25 M');
    expect(formatCount(999)).toBe('999.00');
    expect(formatCount(2.5e9)).toBe('2.50 G');
  });
});
