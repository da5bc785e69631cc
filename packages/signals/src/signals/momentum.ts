import { RollingWindowSum } from '../online/rolling-window-sum';
import { momentumKernel } from '../kernels/signal-kernels';
import { asFloat64, assertArrayLike, assertLengths } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';

/**
 * Online state of the Momentum signal (spec 3.2). Shared by {@link momentumSignal} and the
 * streaming class, so both give identical bits.
 */
export class MomentumState {
  private readonly fast: RollingWindowSum;
  private readonly slow: RollingWindowSum;
  private readonly market: RollingWindowSum | undefined;

  /**
   * @param momentumFast fast window in bars.
   * @param momentumSlow slow window in bars.
   * @param withMarket whether market returns are given (else raw fast momentum is used).
   */
  constructor(momentumFast: number, momentumSlow: number, withMarket: boolean) {
    this.fast = new RollingWindowSum(momentumFast);
    this.slow = new RollingWindowSum(momentumSlow);
    this.market = withMarket ? new RollingWindowSum(momentumFast) : undefined;
  }

  /** Feeds the next return (and market return); returns the signal (0 where fillna(0)). */
  step(ret: number, marketRet: number): number {
    this.fast.push(ret);
    this.slow.push(ret);
    const fast = this.fast.sum();
    let excess = fast;
    if (this.market !== undefined) {
      this.market.push(marketRet);
      excess = fast - this.market.sum();
    }
    const signal = 0.7 * excess + 0.3 * (fast - this.slow.sum());
    return signal === signal ? signal : 0;
  }
}

/**
 * Momentum signal (spec 3.2, excess return over the market):
 * `fast = sum_f(r)`, `slow = sum_s(r)`, `excess = fast - sum_f(market)` (or `fast` without a
 * market), `signal = 0.7*excess + 0.3*(fast - slow)`, then `fillna(0)`.
 *
 * @param returns daily simple returns (NaN allowed).
 * @param marketReturns market returns aligned with `returns` (optional).
 * @param opts `momentum_fast` (default 20), `momentum_slow` (default 60).
 */
export function momentumSignal(
  returns: ArrayLike<number>,
  marketReturns?: ArrayLike<number>,
  opts?: DailySignalConfig,
): Float64Array {
  assertArrayLike('returns', returns);
  if (marketReturns !== undefined) assertLengths({ returns, marketReturns });
  const { momentumFast, momentumSlow } = resolveDailySignalConfig(opts, 'opts');
  const r = asFloat64(returns);
  const m = marketReturns === undefined ? undefined : asFloat64(marketReturns);
  return momentumFromReturns(r, m, momentumFast, momentumSlow);
}

/** Batch Momentum on trusted inputs; same arithmetic as {@link MomentumState}. */
export function momentumFromReturns(
  r: Float64Array,
  m: Float64Array | undefined,
  momentumFast: number,
  momentumSlow: number,
): Float64Array {
  return momentumKernel(r, m, momentumFast, momentumSlow, new Float64Array(r.length));
}
