import { PairMoments, pairMomentsPass } from '../kernels/pair-moments';
import { SeriesHistory, wholePair, wholeSeries } from '../kernels/series-history';
import { ShiftedMoments, shiftedMomentsPass, zsqrt } from '../kernels/shifted-moments';
import { asFloat64, assertArrayLike, assertLengths, assertWindow } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { settleSignal, settleValue, type WarmupMode } from './warmup';

/** The spec's market proxy when no market series is available: `returns * 0.6`. */
export const MARKET_FALLBACK_BETA = 0.6;

/** Rolling beta `cov_w(r, m) / (var_w(m) + 1e-8)`. */
export function betaOf(covariance: number, marketVariance: number): number {
  return covariance / (marketVariance + 1e-8);
}

/** The Beta signal at one bar (NaN before `fillna`): `-beta * (1 + std_w(beta))`. */
export function betaValue(beta: number, betaVariance: number): number {
  return -beta * (1 + zsqrt(betaVariance));
}

/**
 * Bars before the Beta signal's first value on gap-free closes (returns and market returns
 * from the second bar): `2w - 1` (119 for the spec's 60).
 */
export function betaWarmupBars(opts?: DailySignalConfig): number {
  return 2 * resolveDailySignalConfig(opts, 'opts').betaWindow - 1;
}

/**
 * Online state of the Beta signal (spec 3.2). Its windows run the same passes as
 * {@link betaSignal}, so both give identical bits.
 */
export class BetaState {
  private readonly pair: PairMoments;
  private readonly pairs: SeriesHistory;
  private readonly covariance = { cov: new Float64Array(1) };
  private readonly marketVar: ShiftedMoments;
  private readonly betaVar: ShiftedMoments;
  private readonly withMarket: boolean;
  private readonly warmup: WarmupMode;
  private ready = false;

  /**
   * @param betaWindow window in bars (integer in [2, MAX_WINDOW_BARS]).
   * @param withMarket whether market returns are given (else `returns * 0.6` is the market).
   * @param warmup how the bars before the first value are reported (default `'zero'`).
   */
  constructor(betaWindow: number, withMarket: boolean, warmup: WarmupMode = 'zero') {
    assertWindow('betaWindow', betaWindow);
    this.pair = new PairMoments(betaWindow);
    this.pairs = new SeriesHistory(betaWindow, true);
    this.marketVar = new ShiftedMoments(betaWindow);
    this.betaVar = new ShiftedMoments(betaWindow);
    this.withMarket = withMarket;
    this.warmup = warmup;
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Feeds the next return (and market return); returns the signal (0 where fillna(0)). */
  step(ret: number, marketRet: number): number {
    const market = this.withMarket ? marketRet : ret * MARKET_FALLBACK_BETA;
    const h = this.pairs;
    const i = h.appendPair(ret, market);
    pairMomentsPass(this.pair, h, i, i + 1, this.covariance);
    this.marketVar.push(market);
    const beta = betaOf(this.covariance.cov[0] as number, this.marketVar.last('variance'));
    this.betaVar.push(beta);
    const raw = betaValue(beta, this.betaVar.last('variance'));
    this.ready = this.ready || raw === raw;
    return settleValue(raw, this.ready, this.warmup);
  }
}

/**
 * Beta signal (spec 3.2): `beta = cov_w(r, m) / (var_w(m) + 1e-8)`, `bvol = std_w(beta)`,
 * `signal = -beta * (1 + bvol)`, then `fillna(0)`. Without `marketReturns` the market is
 * `returns * 0.6`, as the spec's fallback (so beta is then about 1/0.6).
 *
 * @param returns daily simple returns (NaN allowed).
 * @param marketReturns market returns aligned with `returns` (optional).
 * @param opts `beta_window` (default 60), `warmup`.
 */
export function betaSignal(
  returns: ArrayLike<number>,
  marketReturns?: ArrayLike<number>,
  opts?: DailySignalConfig,
): Float64Array {
  assertArrayLike('returns', returns);
  if (marketReturns !== undefined) assertLengths({ returns, marketReturns });
  const { betaWindow, warmup } = resolveDailySignalConfig(opts, 'opts');
  const r = asFloat64(returns);
  const m = marketReturns === undefined ? undefined : asFloat64(marketReturns);
  return betaFromReturns(r, m, betaWindow, warmup);
}

/** Batch Beta on trusted inputs; the passes of {@link BetaState}. */
export function betaFromReturns(
  r: Float64Array,
  m: Float64Array | undefined,
  betaWindow: number,
  warmup: WarmupMode,
): Float64Array {
  const n = r.length;
  let market = m;
  if (market === undefined) {
    market = new Float64Array(n);
    for (let i = 0; i < n; i++) market[i] = (r[i] as number) * MARKET_FALLBACK_BETA;
  }
  const beta = new Float64Array(n);
  const variance = new Float64Array(n);
  pairMomentsPass(new PairMoments(betaWindow), wholePair(r, market), 0, n, { cov: beta });
  const marketVar = new ShiftedMoments(betaWindow);
  shiftedMomentsPass(marketVar, wholeSeries(market), 0, n, { variance });
  for (let i = 0; i < n; i++) beta[i] = betaOf(beta[i] as number, variance[i] as number);
  shiftedMomentsPass(new ShiftedMoments(betaWindow), wholeSeries(beta), 0, n, { variance });
  for (let i = 0; i < n; i++) beta[i] = betaValue(beta[i] as number, variance[i] as number);
  return settleSignal(beta, warmup);
}
