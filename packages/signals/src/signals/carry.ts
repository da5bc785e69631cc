import { RollingWindowSum } from '../online/rolling-window-sum';
import { RollingMomentsWindow } from '../online/rolling-moments-window';
import { SEASONALITY_TABLE } from '../kernels/constants';
import { carryKernel } from '../kernels/signal-kernels';
import { asFloat64, assertArrayLike, assertLengths, assertPrices, checkDates } from '../validate';
import type { DailySignalConfig } from './config';
import { resolveDailySignalConfig } from './config';
import { SQRT_252 } from './volatility';

const SEASONALITY = SEASONALITY_TABLE;

/** The Carry signal's seasonality term `sin(2*pi*dayOfYear/365)` (dayOfYear 1..366). */
export function carrySeasonality(dayOfYear: number): number {
  return SEASONALITY[dayOfYear] ?? Math.sin((2 * Math.PI * dayOfYear) / 365);
}

/**
 * Online state of the Carry signal (spec 3.2). Shared by {@link carrySignal} and the
 * streaming class, so both give identical bits.
 */
export class CarryState {
  private readonly realizedVar = new RollingMomentsWindow(20);
  private readonly impliedVar = new RollingMomentsWindow(5);
  private readonly priceMean = new RollingWindowSum(252);

  /** Feeds the next bar; returns the signal (0 where fillna(0)). */
  step(ret: number, close: number, dayOfYear: number): number {
    this.realizedVar.push(ret);
    this.impliedVar.push(ret);
    this.priceMean.push(close);
    const realizedVol = this.realizedVar.std() * SQRT_252;
    const impliedVolProxy = this.impliedVar.std() * SQRT_252 * 1.2;
    const vrp = impliedVolProxy - realizedVol;
    const ma = this.priceMean.mean();
    const meanReversion = -(close - ma) / (ma + 1e-8);
    const seasonality = SEASONALITY[dayOfYear] as number;
    const signal = 0.5 * vrp + 0.3 * meanReversion + 0.2 * seasonality;
    return signal === signal ? signal : 0;
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
 * @param opts accepted for symmetry with the other signals (Carry has no configurable window).
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
  resolveDailySignalConfig(opts, 'opts');
  assertPrices('close', close);
  const doy = checkDates('dates', dates);
  const r = asFloat64(returns);
  return carryFromReturns(r, asFloat64(close), doy);
}

/**
 * Batch Carry on trusted inputs; same arithmetic as {@link CarryState}.

 */
export function carryFromReturns(
  r: Float64Array,
  close: Float64Array,
  dayOfYear: Int16Array,
): Float64Array {
  return carryKernel(r, close, dayOfYear, new Float64Array(r.length));
}
