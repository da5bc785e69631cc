import { TailQuantiles, tailPass } from '../kernels/tail-quantiles';
import { workArray } from '../kernels/work-arrays';
import { assertWindow } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { signalOfReturns, type SignalOfInputs } from './signal-inputs';
import { settleInto, Warmup, warmupFill, type WarmupMode } from './warmup';

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
  private readonly warmup: Warmup;

  /**
   * @param tailWindow quantile window in bars (integer in [2, MAX_WINDOW_BARS]).
   * @param warmup how the bars before the first value are reported (default `'zero'`).
   */
  constructor(tailWindow: number, warmup: WarmupMode = 'zero') {
    assertWindow('tailWindow', tailWindow);
    this.quantiles = new TailQuantiles(tailWindow, 0.05, 0.95);
    this.warmup = new Warmup(warmup);
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.warmup.isReady;
  }

  /** Feeds the next return; returns the signal (0 where fillna(0)). */
  step(ret: number): number {
    const q = this.quantiles;
    q.push(ret);
    const raw = tailRiskValue(q.low(), q.high());
    return this.warmup.settle(raw);
  }
}

/** Batch TailRisk on trusted inputs; the pass of {@link TailRiskState}. */
export const tailRiskFromReturns: SignalOfInputs = ({ returns }, { tailWindow, warmup }, into) => {
  const r = returns.x;
  const n = r.length;
  const quantiles = workArray('tailRisk:quantiles', 2 * n);
  tailPass(r, tailWindow, 0.05, 0.95, quantiles);
  const out = into ?? new Float64Array(n);
  let fill = warmupFill(warmup);
  for (let i = 0; i < n; i++) {
    const raw = tailRiskValue(quantiles[i] as number, quantiles[n + i] as number);
    fill = settleInto(out, i, raw, fill);
  }
  return out;
};

/**
 * TailRisk signal (spec 3.2): `q05 = quantile_w(r, 0.05)`, `q95 = quantile_w(r, 0.95)`,
 * `asym = (q95 + q05)/(q95 - q05 + 1e-8)`, `signal = -q05 * asym`, then `fillna(0)`.
 * Quirk kept from the spec: its "expected shortfall" is the 5% quantile (not a CVaR).
 *
 * @param returns daily simple returns (NaN allowed).
 * @param opts `tail_window` (default 60), `warmup`.
 */
export const tailRiskSignal = signalOfReturns(tailRiskFromReturns);
