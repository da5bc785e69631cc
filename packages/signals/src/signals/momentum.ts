import { ShiftedMoments } from '../kernels/shifted-moments';
import { assertWindow } from '../validate';
import { resolveDailySignalConfig, type DailySignalConfig } from './config';
import { signalOfReturnsAndMarket, type SignalOfInputs } from './signal-inputs';
import { settleInto, Warmup, warmupFill, type WarmupMode } from './warmup';

/**
 * The Momentum signal at one bar (NaN before `fillna`): `0.7*excess + 0.3*(fast - slow)` where
 * `excess = fast - marketFast`, or `fast` without a market (`marketFast` undefined).
 */
export function momentumValue(fast: number, slow: number, marketFast: number | undefined): number {
  const excess = marketFast === undefined ? fast : fast - marketFast;
  return 0.7 * excess + 0.3 * (fast - slow);
}

/**
 * Bars before the Momentum signal's first value on gap-free closes (returns and market
 * returns from the second bar): `max(fast, slow)` (60 for the spec's 20 and 60).
 */
export function momentumWarmupBars(opts?: DailySignalConfig): number {
  const { momentumFast, momentumSlow } = resolveDailySignalConfig(opts, 'opts');
  return Math.max(momentumFast, momentumSlow);
}

/**
 * Online state of the Momentum signal (spec 3.2). Its windows run the same passes as
 * {@link momentumSignal}, so both give identical bits.
 */
export class MomentumState {
  private readonly fast: ShiftedMoments;
  private readonly slow: ShiftedMoments;
  private readonly market: ShiftedMoments | undefined;
  private readonly warmup: Warmup;

  /**
   * @param momentumFast fast window in bars (integer in [2, MAX_WINDOW_BARS]).
   * @param momentumSlow slow window in bars (likewise).
   * @param withMarket whether market returns are given (else raw fast momentum is used).
   * @param warmup how the bars before the first value are reported (default `'zero'`).
   */
  constructor(
    momentumFast: number,
    momentumSlow: number,
    withMarket: boolean,
    warmup: WarmupMode = 'zero',
  ) {
    assertWindow('momentumFast', momentumFast);
    assertWindow('momentumSlow', momentumSlow);
    this.fast = new ShiftedMoments(momentumFast);
    this.slow = new ShiftedMoments(momentumSlow);
    this.market = withMarket ? new ShiftedMoments(momentumFast) : undefined;
    this.warmup = new Warmup(warmup);
  }

  /** Whether the signal has had a value (its warm-up is over). */
  get isReady(): boolean {
    return this.warmup.isReady;
  }

  /** Feeds the next return (and market return); returns the signal (0 where fillna(0)). */
  step(ret: number, marketRet: number): number {
    this.fast.push(ret);
    this.slow.push(ret);
    let marketFast: number | undefined;
    if (this.market !== undefined) {
      this.market.push(marketRet);
      marketFast = this.market.sum();
    }
    const raw = momentumValue(this.fast.sum(), this.slow.sum(), marketFast);
    return this.warmup.settle(raw);
  }
}

/** Batch Momentum on trusted inputs; the passes of {@link MomentumState}. */
export const momentumFromReturns: SignalOfInputs = (
  { returns, market },
  { momentumFast, momentumSlow, warmup },
  into,
) => {
  const n = returns.x.length;
  const fast = returns.of(momentumFast).sum;
  const slow = returns.of(momentumSlow).sum;
  const marketFast = market?.of(momentumFast).sum;
  const out = into ?? new Float64Array(n);
  let fill = warmupFill(warmup);
  // one call per branch: a `number | undefined` argument would box each market value
  if (marketFast === undefined) {
    for (let i = 0; i < n; i++) {
      const raw = momentumValue(fast[i] as number, slow[i] as number, undefined);
      fill = settleInto(out, i, raw, fill);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const market = marketFast[i] as number;
      const raw = momentumValue(fast[i] as number, slow[i] as number, market);
      fill = settleInto(out, i, raw, fill);
    }
  }
  return out;
};

/**
 * Momentum signal (spec 3.2, excess return over the market):
 * `fast = sum_f(r)`, `slow = sum_s(r)`, `excess = fast - sum_f(market)` (or `fast` without a
 * market), `signal = 0.7*excess + 0.3*(fast - slow)`, then `fillna(0)`.
 *
 * @param returns daily simple returns (NaN allowed).
 * @param marketReturns market returns aligned with `returns` (optional).
 * @param opts `momentum_fast` (default 20), `momentum_slow` (default 60), `warmup`.
 */
export const momentumSignal = signalOfReturnsAndMarket(momentumFromReturns);
