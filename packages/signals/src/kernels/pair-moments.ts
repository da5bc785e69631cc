import type { Outputs } from './online-window';
import type { PairSeries } from './series-history';

/** The outputs of {@link pairMomentsPass}. */
export type PairOutput = 'cov' | 'corr';

/**
 * Rolling co-moments of a pair, with pandas' `a.rolling(w).cov(b)` / `.corr(b)` semantics: each
 * series is masked by the other's NaNs (`x + 0*y`), and a window gives a value only when it
 * holds `windowBars` complete pairs. The window sums of `dx = x - kx`, `dy = y - ky` (shifted by
 * the first complete pair, so the sums of squares do not cancel for series far from 0) and of
 * their products are updated by subtracting the leaving pair and adding the new one; every
 * `windowBars` pairs they are replaced by the exact sums of the window, accumulated in window
 * order by a second set of sums restarted at each such boundary (so rounding cannot drift and
 * no window is re-read). Beta's covariance and the validation's rolling IC both come from it.
 *
 * The fields are the running state of {@link pairMomentsPass}: `n` complete pairs in the window,
 * the runs of identical masked values ending at the newest complete pair (`sameX`, `sameY`,
 * `prevX`, `prevY`), the pairs `left` to the next boundary, the shifts `kx`, `ky`, the window
 * sums of `dx, dy, dx*dy, dx*dx, dy*dy` and the same sums since the last exact boundary.
 */
export class PairMoments {
  /** Window length in bars. */
  readonly windowBars: number;
  n = 0;
  sameX = 0;
  sameY = 0;
  left: number;
  kx = NaN;
  ky = NaN;
  prevX = NaN;
  prevY = NaN;
  /** The window sums and the sums since the last exact boundary. */
  sums = { sx: 0, sy: 0, sxy: 0, sxx: 0, syy: 0 };
  boundary = { bx: 0, by: 0, bxy: 0, bxx: 0, byy: 0 };

  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.left = windowBars;
  }
}

/**
 * Advances `acc` over the pairs `(series.x[i], series.y[i])`, `i` in `[from, to)` (local
 * indices; index `i - windowBars` must be readable once `i + series.base >= windowBars`),
 * writing after each pair to `out.*[i - from]` where an output is given:
 *
 * - `cov`, the sample covariance `(Sxy - Sx*Sy/n) / (n - 1)` (Beta's);
 * - `corr`, the Pearson correlation with pandas' arithmetic, `cov = (mean(xy) - mean(x)mean(y)) *
 *   n/(n-1)` over the sample variances, NaN when either member is constant over the window
 *   (pandas gives NaN for the constant-zero windows of a warming-up signal).
 *
 * Both are NaN while the window holds fewer than `windowBars` complete pairs.
 */
export function pairMomentsPass(
  acc: PairMoments,
  series: PairSeries,
  from: number,
  to: number,
  out: Partial<Outputs<PairOutput>>,
): void {
  const w = acc.windowBars;
  const invW = 1 / w;
  const invW1 = 1 / (w - 1);
  const ratio = w / (w - 1);
  const { x, y, base } = series;
  const { cov: outCov, corr: outCorr } = out;
  const full = w - base;
  let { n, kx, ky, sameX, sameY, prevX, prevY, left } = acc;
  let { sx, sy, sxy, sxx, syy } = acc.sums;
  let { bx, by, bxy, bxx, byy } = acc.boundary;
  // the shifts are the first complete pair ever seen: find it once, outside the loop
  for (let i = from; kx !== kx && i < to; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    const mx = xi + 0 * yi;
    const my = yi + 0 * xi;
    if (mx + my === mx + my) {
      kx = mx;
      ky = my;
    }
  }
  for (let i = from; i < to; i++) {
    if (i >= full) {
      const xo = x[i - w] as number;
      const yo = y[i - w] as number;
      const ox = xo + 0 * yo;
      const oy = yo + 0 * xo;
      if (ox + oy === ox + oy) {
        const dx = ox - kx;
        const dy = oy - ky;
        n--;
        sx -= dx;
        sy -= dy;
        sxy -= dx * dy;
        sxx -= dx * dx;
        syy -= dy * dy;
      }
    }
    const xs = x[i] as number;
    const ys = y[i] as number;
    // pandas masks each series by the other's NaNs
    const mx = xs + 0 * ys;
    const my = ys + 0 * xs;
    if (mx + my === mx + my) {
      const dx = mx - kx;
      const dy = my - ky;
      const pxy = dx * dy;
      const pxx = dx * dx;
      const pyy = dy * dy;
      n++;
      sx += dx;
      sy += dy;
      sxy += pxy;
      sxx += pxx;
      syy += pyy;
      bx += dx;
      by += dy;
      bxy += pxy;
      bxx += pxx;
      byy += pyy;
      sameX = mx === prevX ? sameX + 1 : 1;
      sameY = my === prevY ? sameY + 1 : 1;
      prevX = mx;
      prevY = my;
    }
    if (--left === 0) {
      left = w;
      sx = bx;
      sy = by;
      sxy = bxy;
      sxx = bxx;
      syy = byy;
      bx = by = bxy = bxx = byy = 0;
    }
    const o = i - from;
    if (outCov !== undefined) outCov[o] = n < w ? NaN : (sxy - sx * sy * invW) * invW1;
    if (outCorr !== undefined) {
      let corr = NaN;
      if (n >= w && sameX < n && sameY < n) {
        const meanX = sx * invW;
        const meanY = sy * invW;
        const cov = (sxy * invW - meanX * meanY) * ratio;
        const varX = (sxx - sx * meanX) * invW1;
        const varY = (syy - sy * meanY) * invW1;
        corr = cov / Math.sqrt(varX * varY);
      }
      outCorr[o] = corr;
    }
  }
  // store the running state back (destructuring assignments: no object is allocated)
  ({ n: acc.n, kx: acc.kx, ky: acc.ky } = { n, kx, ky });
  ({ sameX: acc.sameX, sameY: acc.sameY, prevX: acc.prevX } = { sameX, sameY, prevX });
  ({ prevY: acc.prevY, left: acc.left } = { prevY, left });
  const { sums, boundary } = acc;
  ({ sx: sums.sx, sy: sums.sy, sxy: sums.sxy } = { sx, sy, sxy });
  ({ sxx: sums.sxx, syy: sums.syy } = { sxx, syy });
  ({ bx: boundary.bx, by: boundary.by, bxy: boundary.bxy } = { bx, by, bxy });
  ({ bxx: boundary.bxx, byy: boundary.byy } = { bxx, byy });
}
