import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { analyzeDrawdowns } from './drawdown';
import { computePerformance } from './performance-metrics';
import { conditionalValueAtRisk, valueAtRisk } from './tail-risk';

const close = (x: number | null, ref: number): void => {
  expect(x).not.toBeNull();
  expect(Math.abs((x as number) - ref)).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(ref));
};

describe('computePerformance on a hand-computed fixture', () => {
  // Five quarterly returns (P = 4) against a benchmark, risk-free 1.01^4 - 1 a year (1 % a quarter).
  const r = [0.1, -0.05, 0.02, -0.1, 0.04];
  const b = [0.05, -0.02, 0.01, -0.06, 0.01];
  const dates = ['2020-03-31', '2020-06-30', '2020-09-30', '2020-12-31', '2021-03-31'];
  const report = computePerformance(r, {
    periodsPerYear: 4,
    riskFreeRateAnnual: 1.01 ** 4 - 1,
    benchmarkReturns: b,
    turnover: [0.5, 0.1, 0.2, 0.3, 0.4],
    dates,
  });

  it('total return = prod(1 + r) - 1 = 1.1*0.95*1.02*0.9*1.04 - 1 = -0.0023176', () => {
    close(report.totalReturn, -0.0023176);
    expect(report.periods).toBe(5);
    expect(report.years).toBe(1.25);
  });

  it('CAGR = 0.9976824^(4/5) - 1', () => close(report.cagr, 0.9976824 ** 0.8 - 1));

  it('volatility = std(r, ddof 1) * sqrt(4); mean 0.002, squared deviations sum 0.02448 -> sqrt(0.00612)*2', () => {
    // deviations from 0.002: .098, -.052, .018, -.102, .038; squares sum = 0.02448; /4 = 0.00612.
    close(report.annualizedVolatility, Math.sqrt(0.00612) * 2);
  });

  it('Sharpe = mean(r - 0.01) / std(r - 0.01) * sqrt(4) = -0.008 / sqrt(0.00612) * 2', () => {
    close(report.sharpeRatio, (-0.008 / Math.sqrt(0.00612)) * 2);
  });

  it('Sortino = mean(r - 0.01) / sqrt(mean(min(r - 0.01, 0)^2)) * sqrt(4); downside squares 0.06^2 + 0.11^2', () => {
    close(report.sortinoRatio, (-0.008 / Math.sqrt((0.0036 + 0.0121) / 5)) * 2);
  });

  it('max drawdown: wealth 1.1, 1.045, 1.0659, 0.95931, 0.9976824 -> 0.95931/1.1 - 1 = -0.1279, 3 periods', () => {
    close(report.maxDrawdown, -0.1279);
    expect(report.maxDrawdownPeriods).toBe(3);
    // Under water from period 1 to the end (4 periods), never recovered.
    expect(report.longestDrawdownPeriods).toBe(4);
    expect(report.maxDrawdownPeakDate).toBe('2020-03-31');
    expect(report.maxDrawdownTroughDate).toBe('2020-12-31');
    expect(report.maxDrawdownRecoveryDate).toBeNull();
  });

  it('Calmar = CAGR / |max drawdown|', () =>
    close(report.calmarRatio, (0.9976824 ** 0.8 - 1) / 0.1279));

  it('hit rate = 3 positive of 5 = 0.6; turnover mean 0.3 a quarter, 1.2 a year', () => {
    expect(report.hitRate).toBe(0.6);
    close(report.averageTurnover, 0.3);
    close(report.annualizedTurnover, 1.2);
  });

  it('VaR 95 = -(s[0] + (s[1]-s[0])*0.2) = -(-0.10 + 0.05*0.2) = 0.09; CVaR = -mean(r <= -0.09) = 0.10', () => {
    close(report.valueAtRisk, 0.09);
    close(report.conditionalValueAtRisk, 0.1);
  });

  it('beta = cov(r,b)/var(b) = 0.003155/0.00167; alpha = (mean(r-rf) - beta*mean(b-rf)) * 4', () => {
    const beta = 0.003155 / 0.00167;
    close(report.benchmark?.beta ?? null, beta);
    // mean(r - rf) = -0.008; mean(b - rf) = -0.002 - 0.01 = -0.012.
    close(report.benchmark?.alphaAnnual ?? null, (-0.008 - beta * -0.012) * 4);
  });

  it('tracking error = std(r - b) * 2; IR = mean(r - b) * 4 / TE', () => {
    // active = .05, -.03, .01, -.04, .03; mean .004; deviations .046, -.034, .006, -.044, .026;
    // squares .002116 + .001156 + .000036 + .001936 + .000676 = .00592; /4 = .00148.
    const te = Math.sqrt(0.00148) * 2;
    close(report.benchmark?.trackingErrorAnnual ?? null, te);
    close(report.benchmark?.informationRatio ?? null, (0.004 * 4) / te);
  });
});

describe('computePerformance edge cases', () => {
  it('no losing days: Sortino null (no downside), Calmar null (no drawdown), hit rate 1', () => {
    const p = computePerformance([0.01, 0.02, 0.03]);
    expect(p.sortinoRatio).toBeNull();
    expect(p.calmarRatio).toBeNull();
    expect(p.maxDrawdown).toBe(0);
    expect(p.maxDrawdownPeriods).toBe(0);
    expect(p.hitRate).toBe(1);
    // mean 0.02, std 0.01: Sharpe = 2 * sqrt(252).
    close(p.sharpeRatio, 2 * Math.sqrt(252));
  });

  it('flat series: zero volatility, every undefined ratio null (never NaN), VaR and CVaR exactly 0', () => {
    const flat = new Array<number>(30).fill(0);
    const p = computePerformance(flat, { benchmarkReturns: flat });
    expect(p.annualizedVolatility).toBe(0);
    expect(p.sharpeRatio).toBeNull();
    expect(p.sortinoRatio).toBeNull();
    expect(p.calmarRatio).toBeNull();
    expect(p.totalReturn).toBe(0);
    expect(p.cagr).toBe(0);
    expect(Object.is(p.valueAtRisk, 0)).toBe(true);
    expect(Object.is(p.conditionalValueAtRisk, 0)).toBe(true);
    expect(p.hitRate).toBe(0);
    expect(p.benchmark).toEqual({
      beta: null,
      alphaAnnual: null,
      trackingErrorAnnual: 0,
      informationRatio: null,
    });
    expect(JSON.stringify(p)).not.toMatch(/NaN|Infinity/);
  });

  it('a constant non-zero return has exactly zero volatility (no 1e-19 noise) and a null Sharpe', () => {
    const p = computePerformance(new Array<number>(50).fill(0.001));
    expect(p.annualizedVolatility).toBe(0);
    expect(p.sharpeRatio).toBeNull();
  });

  it('shorter than a year: CAGR compounds the period growth to a year: 63 days of 0.1 % -> 1.001^252 - 1', () => {
    const p = computePerformance(new Array<number>(63).fill(0.001));
    expect(p.years).toBe(0.25);
    close(p.totalReturn, 1.001 ** 63 - 1);
    close(p.cagr, (1.001 ** 63) ** 4 - 1);
  });

  it('a single period: volatility and Sharpe null, Sortino = r / |r| * sqrt(P)', () => {
    const p = computePerformance([-0.02]);
    expect(p.annualizedVolatility).toBeNull();
    expect(p.sharpeRatio).toBeNull();
    close(p.sortinoRatio, -Math.sqrt(252));
    close(p.maxDrawdown, -0.02);
    expect(p.maxDrawdownPeakDate).toBeNull();
  });

  it('a total loss: max drawdown -1, CAGR -1', () => {
    const p = computePerformance([0.1, -1, 0]);
    expect(p.maxDrawdown).toBe(-1);
    expect(p.cagr).toBe(-1);
  });

  it('records recovery and the longest stretch under water', () => {
    // wealth 0.9, 0.99, 1.0395 (recovered at index 2), 0.935.., 0.9355..
    const a = analyzeDrawdowns([-0.1, 0.1, 0.05, -0.1, 0.0]);
    expect(a.troughIndex).toBe(0);
    expect(a.peakIndex).toBe(-1);
    expect(a.recoveryIndex).toBe(2);
    expect(a.maxDrawdownPeriods).toBe(1);
    expect(a.longestDrawdownPeriods).toBe(2);
    close(a.drawdowns[1] as number, -0.01);
  });

  it('rejects empty, non-finite, < -1 input and mismatched options with a ValidationError', () => {
    expect(() => computePerformance([])).toThrow(ValidationError);
    expect(() => computePerformance([0.1, NaN])).toThrow(/returns\[1\]/);
    expect(() => computePerformance([0.1, -1.5])).toThrow(/returns\[1\]/);
    expect(() => computePerformance([0.1], { benchmarkReturns: [0.1, 0.2] })).toThrow(
      /benchmarkReturns/,
    );
    expect(() => computePerformance([0.1], { turnover: [-1] })).toThrow(/turnover/);
    expect(() => computePerformance([0.1], { dates: [] })).toThrow(/dates/);
    expect(() => computePerformance([0.1], { periodsPerYear: 0 })).toThrow(/periodsPerYear/);
    expect(() => computePerformance([0.1], { riskFreeRateAnnual: NaN })).toThrow(
      /riskFreeRateAnnual/,
    );
    expect(() => valueAtRisk([0.1], 1)).toThrow(/confidenceLevel/);
  });

  it('does not mutate its inputs', () => {
    const r = [0.03, -0.01, 0.02];
    const b = [0.01, 0.0, -0.01];
    computePerformance(r, { benchmarkReturns: b });
    expect(r).toEqual([0.03, -0.01, 0.02]);
    expect(b).toEqual([0.01, 0.0, -0.01]);
  });
});

describe('computePerformance on what the signals return', () => {
  const r = [0.1, -0.05, 0.02, -0.1, 0.04];
  const b = [0.05, -0.02, 0.01, -0.06, 0.01];
  const dates = ['2020-03-31', '2020-06-30', '2020-09-30', '2020-12-31', '2021-03-31'];
  const plain = computePerformance(r, { periodsPerYear: 4, benchmarkReturns: b, dates });

  it('a Float64Array with pctChange leading NaN: the NaN are skipped, counted, and the rest measured as the plain series', () => {
    const withNaN = Float64Array.from([NaN, NaN, ...r]);
    const bench = Float64Array.from([NaN, 0, ...b]);
    const report = computePerformance(withNaN, {
      periodsPerYear: 4,
      benchmarkReturns: bench,
      dates: ['2019-09-30', '2019-12-31', ...dates],
    });
    expect(report.skippedLeadingPeriods).toBe(2);
    expect(plain.skippedLeadingPeriods).toBe(0);
    expect({ ...report, skippedLeadingPeriods: 0 }).toEqual(plain);
    expect(report.maxDrawdownPeakDate).toBe('2020-03-31');
  });

  it('a NaN after the first number, an all-NaN series and a NaN in an aligned option are errors with the caller index', () => {
    const err = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).message;
      }
      throw new Error('expected a ValidationError');
    };
    expect(err(() => computePerformance(Float64Array.from([NaN, 0.1, NaN, 0.2])))).toBe(
      'returns[2]: expected a finite return >= -1, got NaN',
    );
    expect(err(() => computePerformance(Float64Array.from([NaN, NaN])))).toBe(
      'returns: expected at least one return, got 2 NaN',
    );
    expect(
      err(() =>
        computePerformance([NaN, 0.1, 0.2], { benchmarkReturns: Float64Array.from([NaN, NaN, 0]) }),
      ),
    ).toBe('benchmarkReturns[1]: expected a finite number, got NaN');
    expect(err(() => computePerformance([NaN, 0.1], { turnover: [0, -1] }))).toBe(
      'turnover[1]: expected >= 0, got -1',
    );
  });

  it('property: prepending k NaN to any series changes nothing but skippedLeadingPeriods', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.nat({ max: 5 }),
        (xs, k) => {
          const padded = Float64Array.from([...Array.from({ length: k }, () => NaN), ...xs]);
          const report = computePerformance(padded);
          expect(report.skippedLeadingPeriods).toBe(k);
          expect({ ...report, skippedLeadingPeriods: 0 }).toEqual(computePerformance(xs));
        },
      ),
    );
  });
});

describe('performance properties', () => {
  const returns = fc.array(fc.double({ min: -1, max: 2, noNaN: true }), {
    minLength: 1,
    maxLength: 200,
  });

  it('max drawdown is in [-1, 0]; hit rate in [0, 1]; CVaR >= VaR', () => {
    fc.assert(
      fc.property(returns, (r) => {
        const p = computePerformance(r);
        expect(p.maxDrawdown).toBeGreaterThanOrEqual(-1);
        expect(p.maxDrawdown).toBeLessThanOrEqual(0);
        expect(p.hitRate).toBeGreaterThanOrEqual(0);
        expect(p.hitRate).toBeLessThanOrEqual(1);
        expect(p.conditionalValueAtRisk).toBeGreaterThanOrEqual(p.valueAtRisk - 1e-15);
      }),
    );
  });

  it('Sharpe (rf 0) is scale-invariant: k * r has the Sharpe of r for k > 0', () => {
    fc.assert(
      fc.property(
        // Returns below ~1e-150 in size are left out: their squares underflow into subnormal
        // numbers, where the variance (and so the ratio) loses its precision.
        fc.array(
          fc
            .double({ min: -0.1, max: 0.1, noNaN: true })
            .filter((x) => x === 0 || Math.abs(x) > 1e-150),
          { minLength: 3, maxLength: 50 },
        ),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (r, k) => {
          const s1 = computePerformance(r).sharpeRatio;
          const s2 = computePerformance(r.map((x) => x * k)).sharpeRatio;
          if (s1 === null || s2 === null || Math.abs(s1) > 1e6) return;
          expect(Math.abs(s1 - s2)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(s1)));
        },
      ),
    );
  });

  it('VaR and CVaR do not depend on the order of the returns', () => {
    fc.assert(
      fc.property(returns, (r) => {
        const reversed = [...r].reverse();
        expect(valueAtRisk(reversed)).toBe(valueAtRisk(r));
        expect(conditionalValueAtRisk(reversed)).toBeCloseTo(conditionalValueAtRisk(r), 12);
      }),
    );
  });
});
