import { RollingQuantileWindow } from '../online/rolling-quantile-window';
import { tailQuantilesKernel } from '../kernels/tail-quantiles';
import { asFloat64, assertArrayLike } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';

/**
 * Online state of the TailRisk signal (spec 3.2). Shared by {@link tailRiskSignal} and the
 * streaming class, so both give identical bits.
 */
export class TailRiskState {
  private readonly window: RollingQuantileWindow;

  /** @param tailWindow quantile window in bars. */
  constructor(tailWindow: number) {
    this.window = new RollingQuantileWindow(tailWindow);
  }

  /** Feeds the next return; returns the signal (0 where fillna(0)). */
  step(ret: number): number {
    this.window.push(ret);
    // Spec quirk (kept): `expected_shortfall` is the 5% quantile itself, not a CVaR, so it
    // equals `left_tail`.
    const expectedShortfall = this.window.quantile(0.05);
    const leftTail = expectedShortfall;
    const rightTail = this.window.quantile(0.95);
    const asymmetry = (rightTail + leftTail) / (rightTail - leftTail + 1e-8);
    const signal = -expectedShortfall * asymmetry;
    return signal === signal ? signal : 0;
  }
}

/**
 * TailRisk signal (spec 3.2): `q05 = quantile_w(r, 0.05)`, `q95 = quantile_w(r, 0.95)`,
 * `asym = (q95 + q05)/(q95 - q05 + 1e-8)`, `signal = -q05 * asym`, then `fillna(0)`.
 * Quirk kept from the spec: its "expected shortfall" is the 5% quantile (not a CVaR).
 *
 * @param returns daily simple returns (NaN allowed).
 * @param opts `tail_window` (default 60).
 */
export function tailRiskSignal(returns: ArrayLike<number>, opts?: DailySignalConfig): Float64Array {
  assertArrayLike('returns', returns);
  const { tailWindow } = resolveDailySignalConfig(opts, 'opts');
  const r = asFloat64(returns);
  return tailRiskFromReturns(r, tailWindow);
}

/** Batch TailRisk on trusted inputs; same arithmetic as {@link TailRiskState}. */
export function tailRiskFromReturns(r: Float64Array, tailWindow: number): Float64Array {
  const n = r.length;
  const out = new Float64Array(n);
  const right = new Float64Array(n);
  tailQuantilesKernel(r, tailWindow, 0.05, out, 0.95, right);
  for (let i = 0; i < n; i++) {
    const expectedShortfall = out[i] as number;
    const leftTail = expectedShortfall;
    const rightTail = right[i] as number;
    const asymmetry = (rightTail + leftTail) / (rightTail - leftTail + 1e-8);
    const signal = -expectedShortfall * asymmetry;
    out[i] = signal === signal ? signal : 0;
  }
  return out;
}
