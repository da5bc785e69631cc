import { OnlineWindow, outputsOf, type Outputs } from './online-window';
import type { Series } from './series-history';

/** The output of {@link welfordPass}. */
const WELFORD_OUTPUTS = ['variance'] as const;
type WelfordOutput = (typeof WELFORD_OUTPUTS)[number];

/**
 * Rolling sample variance (ddof 1) with pandas' exact arithmetic (pandas 1.5 `roll_var`):
 * Welford's update with Kahan-compensated means (separate compensation for add and remove),
 * NaN skipped, min_periods = window, and exactly 0 for a window of identical values (pandas
 * tracks the run of equal values to avoid rounding residue).
 *
 * The fields are the running state of {@link welfordPass}: `nobs` non-NaN values, the running
 * `mean` and sum of squared deviations `ssqdm`, the compensations of the mean for additions and
 * removals and the run of identical values ending at the newest one (`sameRun`, `prev`).
 */
export class WelfordVariance extends OnlineWindow<WelfordOutput> {
  nobs = 0;
  sameRun = 0;
  prev = NaN;
  mean = 0;
  ssqdm = 0;
  compAdd = 0;
  compRemove = 0;
  protected readonly latest = outputsOf(WELFORD_OUTPUTS);

  protected advance(series: Series, i: number): void {
    welfordPass(this, series, i, i + 1, this.latest);
  }
}

/**
 * Advances `acc` over `series.x[from..to)` (local indices; `series.x[i - windowBars]` must be
 * readable once `i + series.base >= windowBars`), writing the window's variance after each bar
 * to `out.variance[i - from]` if given: NaN while the window holds fewer than `windowBars`
 * values, 0 on identical values.
 */
export function welfordPass(
  acc: WelfordVariance,
  series: Series,
  from: number,
  to: number,
  out: Partial<Outputs<WelfordOutput>>,
): void {
  const w = acc.windowBars;
  const { x, base } = series;
  const outVar = out.variance;
  const full = w - base;
  let { nobs, mean, ssqdm, compAdd, compRemove, sameRun, prev } = acc;
  for (let i = from; i < to; i++) {
    if (i >= full) {
      const old = x[i - w] as number;
      if (old === old && --nobs > 0) {
        const previousMean = mean - compRemove;
        const y = old - compRemove;
        const t = y - mean;
        compRemove = t + mean - y;
        mean -= t / nobs;
        ssqdm -= (old - previousMean) * (old - mean);
      } else if (old === old) {
        mean = ssqdm = 0;
      }
    }
    const v = x[i] as number;
    if (v === v) {
      nobs++;
      sameRun = v === prev ? sameRun + 1 : 1;
      prev = v;
      const previousMean = mean - compAdd;
      const y = v - compAdd;
      const t = y - mean;
      compAdd = t + mean - y;
      mean += t / nobs;
      ssqdm += (v - previousMean) * (v - mean);
    }
    if (outVar !== undefined) {
      const ready = nobs >= w && nobs >= 2;
      outVar[i - from] = !ready ? NaN : sameRun >= nobs ? 0 : ssqdm / (nobs - 1);
    }
  }
  // store the running state back (destructuring assignments: no object is allocated)
  ({ nobs: acc.nobs, mean: acc.mean, ssqdm: acc.ssqdm } = { nobs, mean, ssqdm });
  ({ compAdd: acc.compAdd, compRemove: acc.compRemove } = { compAdd, compRemove });
  ({ sameRun: acc.sameRun, prev: acc.prev } = { sameRun, prev });
}
