import { annualizedVolatility } from './annualized-volatility';
import { momentsPass } from './shifted-moments';
import { workArray } from './work-arrays';

/** A series' shifted sum, mean and variance over one window, by bar (see `shifted-moments`). */
export interface WindowMoments {
  readonly sum: Float64Array;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/**
 * The shifted moments of one series by window, each computed by one pass the first time its
 * window is asked for: the daily signals read the windows they share from one pass (with the
 * spec's windows, the 20-bar window of the returns serves Volatility, Momentum and Carry).
 * The arrays are work arrays named after `role` (or fresh ones when `role` is undefined, for a
 * cache that outlives the call): read them, never write them.
 */
export class SeriesMoments {
  /** The series. */
  readonly x: Float64Array;
  private readonly role: string | undefined;
  private readonly windows = new Map<number, WindowMoments>();
  private readonly volatilities = new Map<number, Float64Array>();

  /**
   * @param x the series.
   * @param role names the work arrays (one role per series in use at a time), or undefined.
   */
  constructor(x: Float64Array, role: string | undefined) {
    this.x = x;
    this.role = role;
  }

  /** The moments over `windowBars` bars (an integer >= 2, checked by the callers). */
  of(windowBars: number): WindowMoments {
    let moments = this.windows.get(windowBars);
    if (moments === undefined) {
      const n = this.x.length;
      const out =
        this.role === undefined
          ? new Float64Array(3 * n)
          : workArray(`${this.role}:${this.windows.size}`, 3 * n);
      momentsPass(this.x, windowBars, out);
      moments = {
        sum: out.subarray(0, n),
        mean: out.subarray(n, 2 * n),
        variance: out.subarray(2 * n, 3 * n),
      };
      this.windows.set(windowBars, moments);
    }
    return moments;
  }

  /**
   * The annualised volatility of the window after each bar, `annualizedVolatility(variance)`
   * (NaN while the window is not full), computed once per window: Volatility and Carry read
   * the same one (the spec's 20 bars).
   */
  volatility(windowBars: number): Float64Array {
    let vol = this.volatilities.get(windowBars);
    if (vol === undefined) {
      const variance = this.of(windowBars).variance;
      const n = variance.length;
      vol =
        this.role === undefined
          ? new Float64Array(n)
          : workArray(`${this.role}:volatility:${this.volatilities.size}`, n);
      for (let i = 0; i < n; i++) vol[i] = annualizedVolatility(variance[i] as number);
      this.volatilities.set(windowBars, vol);
    }
    return vol;
  }
}
