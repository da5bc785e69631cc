import { RollingCoMomentsWindow } from '../online/rolling-comoments-window';
import { RollingMomentsWindow } from '../online/rolling-moments-window';
import { betaKernel } from '../kernels/signal-kernels';
import { asFloat64, assertArrayLike, assertLengths } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';

/** The spec's market proxy when no market series is available: `returns * 0.6`. */
export const MARKET_FALLBACK_BETA = 0.6;

/**
 * Online state of the Beta signal (spec 3.2). Shared by {@link betaSignal} and the streaming
 * class, so both give identical bits.
 */
export class BetaState {
  private readonly cov: RollingCoMomentsWindow;
  private readonly marketVar: RollingMomentsWindow;
  private readonly betaVar: RollingMomentsWindow;
  private readonly withMarket: boolean;

  /**
   * @param betaWindow window in bars.
   * @param withMarket whether market returns are given (else `returns * 0.6` is the market).
   */
  constructor(betaWindow: number, withMarket: boolean) {
    this.cov = new RollingCoMomentsWindow(betaWindow);
    this.marketVar = new RollingMomentsWindow(betaWindow);
    this.betaVar = new RollingMomentsWindow(betaWindow);
    this.withMarket = withMarket;
  }

  /** Feeds the next return (and market return); returns the signal (0 where fillna(0)). */
  step(ret: number, marketRet: number): number {
    const market = this.withMarket ? marketRet : ret * MARKET_FALLBACK_BETA;
    this.cov.push(ret, market);
    this.marketVar.push(market);
    const beta = this.cov.cov() / (this.marketVar.variance() + 1e-8);
    this.betaVar.push(beta);
    const signal = -beta * (1 + this.betaVar.std());
    return signal === signal ? signal : 0;
  }
}

/**
 * Beta signal (spec 3.2): `beta = cov_w(r, m) / (var_w(m) + 1e-8)`, `bvol = std_w(beta)`,
 * `signal = -beta * (1 + bvol)`, then `fillna(0)`. Without `marketReturns` the market is
 * `returns * 0.6`, as the spec's fallback (so beta is then about 1/0.6).
 *
 * @param returns daily simple returns (NaN allowed).
 * @param marketReturns market returns aligned with `returns` (optional).
 * @param opts `beta_window` (default 60).
 */
export function betaSignal(
  returns: ArrayLike<number>,
  marketReturns?: ArrayLike<number>,
  opts?: DailySignalConfig,
): Float64Array {
  assertArrayLike('returns', returns);
  if (marketReturns !== undefined) assertLengths({ returns, marketReturns });
  const { betaWindow } = resolveDailySignalConfig(opts, 'opts');
  const r = asFloat64(returns);
  const m = marketReturns === undefined ? undefined : asFloat64(marketReturns);
  return betaFromReturns(r, m, betaWindow);
}

/** Batch Beta on trusted inputs; same arithmetic as {@link BetaState}. */
export function betaFromReturns(
  r: Float64Array,
  m: Float64Array | undefined,
  betaWindow: number,
): Float64Array {
  return betaKernel(r, m, betaWindow, new Float64Array(r.length));
}
