import { ValidationError, assertArrayLike } from '@quantpipe/core';
import { analyzeDrawdowns } from './drawdown';
import { mean, sampleCovariance, sampleStd } from './return-statistics';
import { conditionalValueAtRisk, valueAtRisk } from './tail-risk';

/** Options of {@link computePerformance}. Units are in the names. */
export interface PerformanceOptions {
  /** Periods in a year, for annualising. Default 252 (trading days). */
  readonly periodsPerYear?: number;
  /**
   * Risk-free rate as an **annual** rate (0.02 = 2 % a year), converted to a per-period rate
   * geometrically: `rf_p = (1 + rfAnnual)^(1/P) - 1`. Default 0.
   */
  readonly riskFreeRateAnnual?: number;
  /** Benchmark periodic returns, aligned with `returns` (same length). Enables beta, alpha, TE, IR. */
  readonly benchmarkReturns?: ArrayLike<number>;
  /**
   * Periodic turnover, aligned with `returns`: traded notional / equity in each period (a
   * fraction, >= 0). Enables the turnover figures.
   */
  readonly turnover?: ArrayLike<number>;
  /** Period dates (`returns[t]` is the return over the period ending at `dates[t]`). */
  readonly dates?: readonly string[];
  /** VaR/CVaR confidence level. Default 0.95. */
  readonly confidenceLevel?: number;
}

/** Metrics against a benchmark. Ratios that cannot be defined are null (see each field). */
export interface BenchmarkMetrics {
  /** `cov(r, b) / var(b)` (sample statistics); null when var(b) = 0 or fewer than 2 periods. */
  readonly beta: number | null;
  /**
   * Jensen's alpha, annualised arithmetically:
   * `(mean(r - rf_p) - beta * mean(b - rf_p)) * P`; null when beta is.
   */
  readonly alphaAnnual: number | null;
  /** `std(r - b, ddof 1) * sqrt(P)`; null for fewer than 2 periods. */
  readonly trackingErrorAnnual: number | null;
  /** `mean(r - b) * P / trackingErrorAnnual`; null when the tracking error is 0 or null. */
  readonly informationRatio: number | null;
}

/**
 * Performance of a periodic simple-return series `r_t` (t = 0..n-1), with P = periods a year.
 * Ratios whose denominator is 0 (a flat series, no losing period, no drawdown) are **null**,
 * never NaN or Infinity, so reports serialise to JSON unchanged.
 */
export interface PerformanceReport {
  /** n, the number of returns measured (after {@link skippedLeadingPeriods}). */
  readonly periods: number;
  /**
   * Leading NaN returns left out before measuring, e.g. the first value of `pctChange` (a
   * return needs a previous price). The aligned options (`benchmarkReturns`, `turnover`,
   * `dates`) drop the same periods. A NaN after the first number is still an error.
   */
  readonly skippedLeadingPeriods: number;
  /** `n / P`. */
  readonly years: number;
  /** `prod(1 + r_t) - 1`. */
  readonly totalReturn: number;
  /**
   * `(1 + totalReturn)^(P/n) - 1`: compounded annual growth (for a series shorter than a year
   * this extrapolates the period's growth to a year); -1 after a total loss.
   */
  readonly cagr: number;
  /** `std(r, ddof 1) * sqrt(P)`; null for fewer than 2 periods. */
  readonly annualizedVolatility: number | null;
  /** `mean(r - rf_p) / std(r - rf_p, ddof 1) * sqrt(P)`; null when that std is 0 or n < 2. */
  readonly sharpeRatio: number | null;
  /**
   * `mean(r - rf_p) / sqrt(mean(min(r - rf_p, 0)^2)) * sqrt(P)`: the downside deviation is taken
   * over all n periods with the risk-free rate as target; null when no period is below it.
   */
  readonly sortinoRatio: number | null;
  /** Deepest `W_t / peak_t - 1` with `W_t = prod(1 + r)` and the start as a peak; in [-1, 0]. */
  readonly maxDrawdown: number;
  /** Periods from the peak to the trough of the max drawdown. */
  readonly maxDrawdownPeriods: number;
  /** Longest run of consecutive periods under water (any episode). */
  readonly longestDrawdownPeriods: number;
  /** Date of the max drawdown's peak (null: the starting capital, no drawdown, or no dates). */
  readonly maxDrawdownPeakDate: string | null;
  /** Date of the max drawdown's trough (null without a drawdown or dates). */
  readonly maxDrawdownTroughDate: string | null;
  /** First date back at the peak (null if not recovered or no dates). */
  readonly maxDrawdownRecoveryDate: string | null;
  /** `cagr / |maxDrawdown|`; null when there is no drawdown. */
  readonly calmarRatio: number | null;
  /** `#{t : r_t > 0} / n` (a zero return is not a hit). */
  readonly hitRate: number;
  /** `mean(turnover_t)`, per period; null without a turnover series. */
  readonly averageTurnover: number | null;
  /** `averageTurnover * P`; null without a turnover series. */
  readonly annualizedTurnover: number | null;
  /** The VaR/CVaR confidence level used. */
  readonly confidenceLevel: number;
  /** Historical VaR as a positive loss: `-quantile(r, 1 - c)` (see {@link valueAtRisk}). */
  readonly valueAtRisk: number;
  /** Historical CVaR as a positive loss: `-mean(r_t <= quantile)` (see {@link conditionalValueAtRisk}). */
  readonly conditionalValueAtRisk: number;
  /** Benchmark-relative metrics; null without a benchmark. */
  readonly benchmark: BenchmarkMetrics | null;
}

/**
 * The periods `skip..` of a series aligned with the returns (`length` long) as an array, each a
 * finite number; indices in errors are those of the caller's series.
 */
function alignedSeries(
  argument: string,
  values: ArrayLike<number>,
  length: number,
  skip: number,
): number[] {
  assertArrayLike(argument, values);
  if (values.length !== length) {
    throw new ValidationError(
      argument,
      `length ${values.length} differs from returns (length ${length})`,
    );
  }
  const out = new Array<number>(length - skip);
  for (let i = skip; i < length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValidationError(`${argument}[${i}]`, `expected a finite number, got ${String(v)}`);
    }
    out[i - skip] = v;
  }
  return out;
}

/** How many values open the series as NaN (the warm-up of a return series). */
function leadingNaNs(values: ArrayLike<number>): number {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i])) i++;
  return i;
}

const nullIfZero = (denominator: number): boolean =>
  !(Number.isFinite(denominator) && denominator !== 0);

/**
 * Computes a {@link PerformanceReport} of any array-like series of returns (an array, or the
 * `Float64Array` that `pctChange` and the signals return). Leading NaN returns are skipped and
 * counted in `skippedLeadingPeriods`. Throws a {@link ValidationError} for a series with no
 * number, a non-finite value after the first number, a return below -1, or options of the wrong
 * length or range. Inputs are not mutated.
 */
export function computePerformance(
  series: ArrayLike<number>,
  options: PerformanceOptions = {},
): PerformanceReport {
  if (options === null || typeof options !== 'object')
    throw new ValidationError('options', 'expected an options object');
  const P = options.periodsPerYear ?? 252;
  const rfAnnual = options.riskFreeRateAnnual ?? 0;
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  if (!Number.isFinite(P) || P <= 0) {
    throw new ValidationError('periodsPerYear', `expected a finite number > 0, got ${String(P)}`);
  }
  if (!Number.isFinite(rfAnnual) || rfAnnual <= -1) {
    throw new ValidationError(
      'riskFreeRateAnnual',
      `expected a finite annual rate > -1, got ${String(rfAnnual)}`,
    );
  }
  assertArrayLike('returns', series);
  const skip = leadingNaNs(series);
  if (series.length === 0)
    throw new ValidationError('returns', 'expected at least one return, got an empty series');
  if (skip === series.length)
    throw new ValidationError('returns', `expected at least one return, got ${skip} NaN`);
  const returns = new Array<number>(series.length - skip);
  for (let t = skip; t < series.length; t++) {
    const r = series[t];
    if (typeof r !== 'number' || !Number.isFinite(r) || r < -1) {
      throw new ValidationError(
        `returns[${t}]`,
        `expected a finite return >= -1, got ${String(r)}`,
      );
    }
    returns[t - skip] = r;
  }
  const n = returns.length;
  const dd = analyzeDrawdowns(returns);

  let growth = 1;
  let hits = 0;
  for (const r of returns) {
    growth *= 1 + r;
    if (r > 0) hits++;
  }
  const totalReturn = growth - 1;
  const cagr = growth <= 0 ? -1 : growth ** (P / n) - 1;

  const rfPerPeriod = (1 + rfAnnual) ** (1 / P) - 1;
  const excess = returns.map((r) => r - rfPerPeriod);
  const sqrtP = Math.sqrt(P);
  const vol = sampleStd(returns);
  const excessMean = mean(excess);
  const excessStd = sampleStd(excess);
  const sharpeRatio = n < 2 || nullIfZero(excessStd) ? null : (excessMean / excessStd) * sqrtP;
  let downsideSq = 0;
  for (const e of excess) if (e < 0) downsideSq += e * e;
  const downsideDeviation = Math.sqrt(downsideSq / n);
  const sortinoRatio = nullIfZero(downsideDeviation)
    ? null
    : (excessMean / downsideDeviation) * sqrtP;

  const calmarRatio = dd.maxDrawdown === 0 ? null : cagr / Math.abs(dd.maxDrawdown);

  let averageTurnover: number | null = null;
  if (options.turnover !== undefined) {
    const turnover = alignedSeries('turnover', options.turnover, series.length, skip);
    turnover.forEach((v, i) => {
      if (v < 0) throw new ValidationError(`turnover[${i + skip}]`, `expected >= 0, got ${v}`);
    });
    averageTurnover = mean(turnover);
  }

  const allDates = options.dates;
  if (allDates !== undefined) {
    if (allDates.length !== series.length) {
      throw new ValidationError(
        'dates',
        `length ${allDates.length} differs from returns (length ${series.length})`,
      );
    }
    allDates.forEach((d, i) => {
      if (typeof d !== 'string' || d === '')
        throw new ValidationError(`dates[${i}]`, 'expected a date string');
    });
  }
  const dates = allDates?.slice(skip);
  const dateAt = (i: number | null): string | null =>
    dates === undefined || i === null || i < 0 ? null : (dates[i] as string);

  let benchmark: BenchmarkMetrics | null = null;
  if (options.benchmarkReturns !== undefined) {
    const b = alignedSeries('benchmarkReturns', options.benchmarkReturns, series.length, skip);
    const varB = n < 2 ? NaN : sampleStd(b) ** 2;
    const beta = n < 2 || nullIfZero(varB) ? null : sampleCovariance(returns, b) / varB;
    const alphaAnnual =
      beta === null ? null : (excessMean - beta * mean(b.map((x) => x - rfPerPeriod))) * P;
    const active = returns.map((r, i) => r - (b[i] as number));
    const te = n < 2 ? null : sampleStd(active) * sqrtP;
    const informationRatio = te === null || te === 0 ? null : (mean(active) * P) / te;
    benchmark = { beta, alphaAnnual, trackingErrorAnnual: te, informationRatio };
  }

  return {
    periods: n,
    skippedLeadingPeriods: skip,
    years: n / P,
    totalReturn,
    cagr,
    annualizedVolatility: n < 2 ? null : vol * sqrtP,
    sharpeRatio,
    sortinoRatio,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownPeriods: dd.maxDrawdownPeriods,
    longestDrawdownPeriods: dd.longestDrawdownPeriods,
    maxDrawdownPeakDate: dd.troughIndex < 0 ? null : dateAt(dd.peakIndex),
    maxDrawdownTroughDate: dd.troughIndex < 0 ? null : dateAt(dd.troughIndex),
    maxDrawdownRecoveryDate: dateAt(dd.recoveryIndex),
    calmarRatio,
    hitRate: hits / n,
    averageTurnover,
    annualizedTurnover: averageTurnover === null ? null : averageTurnover * P,
    confidenceLevel,
    valueAtRisk: valueAtRisk(returns, confidenceLevel),
    conditionalValueAtRisk: conditionalValueAtRisk(returns, confidenceLevel),
    benchmark,
  };
}
