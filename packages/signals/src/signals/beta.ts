import { covariancePass, PairWindow } from '../kernels/pair-window';
import { SeriesMoments } from '../kernels/series-moments';
import { ShiftedMoments, zsqrt } from '../kernels/shifted-moments';
import { workArray } from '../kernels/work-arrays';
import { assertWindow } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { signalOfReturnsAndMarket, type SignalOfInputs } from './signal-inputs';
import { settleInto, Warmup, warmupFill, type WarmupMode } from './warmup';

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
  private readonly pair: PairWindow;
  private readonly marketVar: ShiftedMoments;
  private readonly betaVar: ShiftedMoments;
  private readonly withMarket: boolean;
  private readonly warmup: Warmup;

  /**
   * @param betaWindow window in bars (integer in [2, MAX_WINDOW_BARS]).
   * @param withMarket whether market returns are given (else `returns * 0.6` is the market).
   * @param warmup how the bars before the first value are reported (default `'zero'`).
   */
  constructor(betaWindow: number, withMarket: boolean, warmup: WarmupMode = 'zero') {
    assertWindow('betaWindow', betaWindow);
    this.pair = new PairWindow(betaWindow, false);
    this.marketVar = new ShiftedMoments(betaWindow);
    this.betaVar = new ShiftedMoments(betaWindow);
    this.withMarket = withMarket;
    this.warmup = new Warmup(warmup);
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.warmup.isReady;
  }

  /** Feeds the next return (and market return); returns the signal (0 where fillna(0)). */
  step(ret: number, marketRet: number): number {
    const market = this.withMarket ? marketRet : ret * MARKET_FALLBACK_BETA;
    this.pair.push(ret, market);
    this.marketVar.push(market);
    const beta = betaOf(this.pair.first, this.marketVar.variance());
    this.betaVar.push(beta);
    const raw = betaValue(beta, this.betaVar.variance());
    return this.warmup.settle(raw);
  }
}

/** Batch Beta on trusted inputs; the passes of {@link BetaState}. */
export const betaFromReturns: SignalOfInputs = (
  { returns, market },
  { betaWindow, warmup },
  into,
) => {
  const r = returns.x;
  const n = r.length;
  let m = market;
  if (m === undefined) {
    const fallback = workArray('beta:market', n);
    for (let i = 0; i < n; i++) fallback[i] = (r[i] as number) * MARKET_FALLBACK_BETA;
    m = new SeriesMoments(fallback, 'beta:market');
  }
  const out = into ?? new Float64Array(n);
  covariancePass(r, m.x, betaWindow, out);
  const marketVariance = m.of(betaWindow).variance;
  for (let i = 0; i < n; i++) out[i] = betaOf(out[i] as number, marketVariance[i] as number);
  const betaVariance = new SeriesMoments(out, 'beta').of(betaWindow).variance;
  let fill = warmupFill(warmup);
  for (let i = 0; i < n; i++) {
    const raw = betaValue(out[i] as number, betaVariance[i] as number);
    fill = settleInto(out, i, raw, fill);
  }
  return out;
};

/**
 * Beta signal (spec 3.2): `beta = cov_w(r, m) / (var_w(m) + 1e-8)`, `bvol = std_w(beta)`,
 * `signal = -beta * (1 + bvol)`, then `fillna(0)`. Without `marketReturns` the market is
 * `returns * 0.6`, as the spec's fallback (so beta is then about 1/0.6).
 *
 * @param returns daily simple returns (NaN allowed).
 * @param marketReturns market returns aligned with `returns` (optional).
 * @param opts `beta_window` (default 60), `warmup`.
 */
export const betaSignal = signalOfReturnsAndMarket(betaFromReturns);
