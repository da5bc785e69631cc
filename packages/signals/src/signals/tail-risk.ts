import { TailQuantiles, tailPass } from '../kernels/tail-quantiles';
import { workArray } from '../kernels/work-arrays';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { settleValue, type WarmupMode } from './warmup';

/**
 * The TailRisk signal at one bar (NaN before `fillna`) from the window's 5% and 95% quantiles:
 * `-q05 * (q95 + q05) / (q95 - q05 + 1e-8)`. Quirk kept from the spec: its "expected shortfall"
 * is the 5% quantile itself (not a CVaR), so it equals `left_tail`.
 */
export function tailRiskValue(q05: number, q95: number): number {
  const expectedShortfall = q05;
  const leftTail = q05;
  const rightTail = q95;
  const asymmetry = (rightTail + leftTail) / (rightTail - leftTail + 1e-8);
  return -expectedShortfall * asymmetry;
}

/** Bars before the TailRisk signal's first value on gap-free closes: the window (60). */
export function tailRiskWarmupBars(opts?: DailySignalConfig): number {
  return resolveDailySignalConfig(opts, 'opts').tailWindow;
}

/**
 * Online state of the TailRisk signal (spec 3.2). Its quantile window runs the same pass as
 * {@link tailRiskSignal}, so both give identical bits.
 */
export class TailRiskState {
  private readonly quantiles: TailQuantiles;
  private readonly warmup: WarmupMode;
  private ready = false;

  /**
   * @param tailWindow quantile window in bars (integer in [2, MAX_WINDOW_BARS]).
   * @param warmup how the bars before the first value are reported (default `'zero'`).
   */
  constructor(tailWindow: number, warmup: WarmupMode = 'zero') {
    assertWindow('tailWindow', tailWindow);
    this.quantiles = new TailQuantiles(tailWindow, 0.05, 0.95);
    this.warmup = warmup;
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Feeds the next return; returns the signal (0 where fillna(0)). */
  step(ret: number): number {
    const q = this.quantiles;
    q.push(ret);
    const raw = tailRiskValue(q.low(), q.high());
    this.ready = this.ready || raw === raw;
    return settleValue(raw, this.ready, this.warmup);
  }
}

/**
 * TailRisk signal (spec 3.2): `q05 = quantile_w(r, 0.05)`, `q95 = quantile_w(r, 0.95)`,
 * `asym = (q95 + q05)/(q95 - q05 + 1e-8)`, `signal = -q05 * asym`, then `fillna(0)`.
 * Quirk kept from the spec: its "expected shortfall" is the 5% quantile (not a CVaR).
 *
 * @param returns daily simple returns (NaN allowed).
 * @param opts `tail_window` (default 60), `warmup`.
 */
export function tailRiskSignal(returns: ArrayLike<number>, opts?: DailySignalConfig): Float64Array {
  assertArrayLike('returns', returns);
  const { tailWindow, warmup } = resolveDailySignalConfig(opts, 'opts');
  return tailRiskFromReturns(asFloat64(returns), tailWindow, warmup);
}

/** Batch TailRisk on trusted inputs; the pass of {@link TailRiskState}. */
export function tailRiskFromReturns(
  r: Float64Array,
  tailWindow: number,
  warmup: WarmupMode,
): Float64Array {
  const n = r.length;
  const out = new Float64Array(n);
  const high = workArray('tailRisk:high', n);
  tailPass(r, tailWindow, 0.05, 0.95, out, high);
  let ready = false;
  for (let i = 0; i < n; i++) {
    const raw = tailRiskValue(out[i] as number, high[i] as number);
    ready = ready || raw === raw;
    out[i] = settleValue(raw, ready, warmup);
  }
  return out;
}
