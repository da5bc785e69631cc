import { annualizedVolatility } from '../kernels/annualized-volatility';
import { SEASONALITY_TABLE } from '../kernels/constants';
import { SeriesMoments } from '../kernels/series-moments';
import { ShiftedMoments } from '../kernels/shifted-moments';
import { asFloat64, assertArrayLike, assertLengths, assertPrices, checkDates } from '../validate';
import type { DailySignalConfig } from './config';
import { resolveDailySignalConfig } from './config';
import { settleInto, Warmup, warmupFill, type WarmupMode } from './warmup';

/** The spec's fixed Carry windows: realized vol, the implied-vol proxy, the price mean. */
const REALIZED_BARS = 20;
const IMPLIED_BARS = 5;
const MEAN_BARS = 252;

/** The Carry signal's seasonality term `sin(2*pi*dayOfYear/365)` (dayOfYear 1..366). */
export function carrySeasonality(dayOfYear: number): number {
  return SEASONALITY_TABLE[dayOfYear] ?? Math.sin((2 * Math.PI * dayOfYear) / 365);
}

/**
 * The Carry signal at one bar (NaN before `fillna`): `0.5*vrp + 0.3*mr + 0.2*season` with
 * `vrp = std_5(r)*sqrt(252)*1.2 - std_20(r)*sqrt(252)`, `mr = -(close - ma) / (ma + 1e-8)`;
 * `realizedVol` is the annualised `std_20(r)*sqrt(252)`, `impliedVariance` the 5-bar variance.
 */
export function carryValue(
  realizedVol: number,
  impliedVariance: number,
  priceMean: number,
  close: number,
  dayOfYear: number,
): number {
  const impliedVolProxy = annualizedVolatility(impliedVariance) * 1.2;
  const vrp = impliedVolProxy - realizedVol;
  const meanReversion = -(close - priceMean) / (priceMean + 1e-8);
  const seasonality = SEASONALITY_TABLE[dayOfYear] as number;
  return 0.5 * vrp + 0.3 * meanReversion + 0.2 * seasonality;
}

/** Bars before the Carry signal's first value on gap-free closes: 251 (the 252-bar mean). */
export function carryWarmupBars(): number {
  return Math.max(REALIZED_BARS, IMPLIED_BARS, MEAN_BARS - 1);
}

/**
 * Online state of the Carry signal (spec 3.2). Its windows run the same passes as
 * {@link carrySignal}, so both give identical bits.
 */
export class CarryState {
  private readonly realizedVar = new ShiftedMoments(REALIZED_BARS);
  private readonly impliedVar = new ShiftedMoments(IMPLIED_BARS);
  private readonly priceMean = new ShiftedMoments(MEAN_BARS);
  private readonly warmup: Warmup;

  /** @param warmup how the bars before the first value are reported (default `'zero'`). */
  constructor(warmup: WarmupMode = 'zero') {
    this.warmup = new Warmup(warmup);
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.warmup.isReady;
  }

  /** Feeds the next bar; returns the signal (0 where fillna(0)). */
  step(ret: number, close: number, dayOfYear: number): number {
    this.realizedVar.push(ret);
    this.impliedVar.push(ret);
    this.priceMean.push(close);
    const raw = carryValue(
      annualizedVolatility(this.realizedVar.variance()),
      this.impliedVar.variance(),
      this.priceMean.mean(),
      close,
      dayOfYear,
    );
    return this.warmup.settle(raw);
  }
}

/**
 * Carry signal (spec 3.2, VRP proxy + mean reversion + seasonality):
 * `vrp = std_5(r)*sqrt(252)*1.2 - std_20(r)*sqrt(252)`,
 * `mr = -(close - mean_252(close)) / (mean_252(close) + 1e-8)`,
 * `season = sin(2*pi*dayOfYear/365)`, `signal = 0.5*vrp + 0.3*mr + 0.2*season`, then
 * `fillna(0)` (so the signal is 0 until the 252-bar mean exists, seasonality included).
 * The windows 5, 20 and 252 are fixed in the spec.
 *
 * @param returns daily simple returns (NaN allowed).
 * @param close closes aligned with `returns` (finite, > 0).
 * @param dates ISO `YYYY-MM-DD` session dates, strictly increasing.
 * @param opts only `warmup` applies (Carry has no configurable window).
 * @throws ValidationError naming the argument for different lengths, bad prices or dates.
 */
export function carrySignal(
  returns: ArrayLike<number>,
  close: ArrayLike<number>,
  dates: ArrayLike<string>,
  opts?: DailySignalConfig,
): Float64Array {
  assertArrayLike('returns', returns);
  assertLengths({ returns, close, dates });
  const { warmup } = resolveDailySignalConfig(opts, 'opts');
  assertPrices('close', close);
  const doy = checkDates('dates', dates);
  const r = new SeriesMoments(asFloat64(returns), 'returns');
  return carryFromReturns(r, asFloat64(close), doy, warmup);
}

/** Batch Carry on trusted inputs, into `into` or a new array; the passes of {@link CarryState}. */
export function carryFromReturns(
  returns: SeriesMoments,
  close: Float64Array,
  dayOfYear: Int16Array,
  warmup: WarmupMode,
  into?: Float64Array,
): Float64Array {
  const n = close.length;
  // the annualised 20-bar volatility: Volatility's, with the spec's window, computed once
  const realizedVol = returns.volatility(REALIZED_BARS);
  const implied = returns.of(IMPLIED_BARS).variance;
  const priceMean = new SeriesMoments(close, 'carry:close').of(MEAN_BARS).mean;
  const out = into ?? new Float64Array(n);
  let fill = warmupFill(warmup);
  for (let i = 0; i < n; i++) {
    const raw = carryValue(
      realizedVol[i] as number,
      implied[i] as number,
      priceMean[i] as number,
      close[i] as number,
      dayOfYear[i] as number,
    );
    fill = settleInto(out, i, raw, fill);
  }
  return out;
}
