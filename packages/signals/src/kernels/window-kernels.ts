/**
 * Plain-loop versions of the online windows in `../online/`, for batch speed: the state lives
 * in local variables (registers) instead of object fields. The arithmetic is the same,
 * operation for operation, as `RollingSumWindow`, `RollingVarWindow`,
 * `RollingQuantileWindow` and `RollingCovWindow`, so batch and streaming results are
 * bit-identical (property-tested). Inputs are trusted (validated by the callers).
 */

/** Rolling sum (`mean = false`) or mean (`mean = true`) of `x` into `out`; see RollingSumWindow. */
export function sumKernel(
  x: Float64Array,
  w: number,
  mean: boolean,
  out: Float64Array,
): Float64Array {
  const n = x.length;
  let nobs = 0;
  let sum = 0;
  let ca = 0;
  let cr = 0;
  let neg = 0;
  let same = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    if (i >= w) {
      const o = x[i - w] as number;
      if (o === o) {
        nobs--;
        const y = -o - cr;
        const t = sum + y;
        cr = t - sum - y;
        sum = t;
        if (o < 0 || (o === 0 && 1 / o < 0)) neg--;
      }
    }
    const v = x[i] as number;
    if (v === v) {
      nobs++;
      const y = v - ca;
      const t = sum + y;
      ca = t - sum - y;
      sum = t;
      if (v < 0 || (v === 0 && 1 / v < 0)) neg++;
      if (v === prev) same++;
      else same = 1;
      prev = v;
    }
    if (nobs < w) out[i] = NaN;
    else if (!mean) out[i] = same >= nobs ? prev * nobs : sum;
    else if (same >= nobs) out[i] = prev;
    else {
      const r = sum / nobs;
      out[i] = neg === 0 && r < 0 ? 0 : neg === nobs && r > 0 ? 0 : r;
    }
  }
  return out;
}

/**
 * Rolling sample variance (`std = false`) or standard deviation (`std = true`) of `x` into
 * `out`, times `scale`; see RollingVarWindow.
 */
export function varKernel(
  x: Float64Array,
  w: number,
  std: boolean,
  out: Float64Array,
): Float64Array {
  const n = x.length;
  let nobs = 0;
  let mean = 0;
  let ssq = 0;
  let ca = 0;
  let cr = 0;
  let same = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    if (i >= w) {
      const o = x[i - w] as number;
      if (o === o) {
        const k = --nobs;
        if (k > 0) {
          const pm = mean - cr;
          const y = o - cr;
          const t = y - mean;
          cr = t + mean - y;
          mean = mean - t / k;
          ssq = ssq - (o - pm) * (o - mean);
        } else {
          mean = 0;
          ssq = 0;
        }
      }
    }
    const v = x[i] as number;
    if (v === v) {
      const k = ++nobs;
      if (v === prev) same++;
      else same = 1;
      prev = v;
      const pm = mean - ca;
      const y = v - ca;
      const t = y - mean;
      ca = t + mean - y;
      mean = mean + t / k;
      ssq = ssq + (v - pm) * (v - mean);
    }
    let r: number;
    if (nobs < w || nobs < 2) r = NaN;
    else if (same >= nobs) r = 0;
    else r = ssq / (nobs - 1);
    out[i] = std ? (r < 0 ? 0 : Math.sqrt(r)) : r;
  }
  return out;
}

/**
 * Rolling quantiles `q1` and `q2` of `x` into `out1` / `out2` (one sorted window for both);
 * see RollingQuantileWindow.
 */
export function quantileKernel(
  x: Float64Array,
  w: number,
  q1: number,
  out1: Float64Array,
  q2: number,
  out2: Float64Array | undefined,
): void {
  const n = x.length;
  const sorted = new Float64Array(w);
  let size = 0;
  const h1 = q1 * (w - 1);
  const i1 = Math.floor(h1);
  const f1 = h1 - i1;
  const h2 = q2 * (w - 1);
  const i2 = Math.floor(h2);
  const f2 = h2 - i2;
  for (let i = 0; i < n; i++) {
    let removeAt = -1;
    if (i >= w) {
      const old = x[i - w] as number;
      if (old === old) {
        // -0 is stored as +0 (equal in every comparison; keeps results sign-deterministic)
        let lo = 0;
        let hi = size;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((sorted[mid] as number) < old) lo = mid + 1;
          else hi = mid;
        }
        removeAt = lo;
      }
    }
    const raw = x[i] as number;
    const value = raw === 0 ? 0 : raw;
    if (value === value) {
      if (removeAt >= 0) {
        let j = removeAt;
        if (j + 1 < size && (sorted[j + 1] as number) < value) {
          while (j + 1 < size && (sorted[j + 1] as number) < value) {
            sorted[j] = sorted[j + 1] as number;
            j++;
          }
        } else {
          while (j > 0 && (sorted[j - 1] as number) > value) {
            sorted[j] = sorted[j - 1] as number;
            j--;
          }
        }
        sorted[j] = value;
      } else {
        let lo = 0;
        let hi = size;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((sorted[mid] as number) <= value) lo = mid + 1;
          else hi = mid;
        }
        for (let k = size; k > lo; k--) sorted[k] = sorted[k - 1] as number;
        sorted[lo] = value;
        size++;
      }
    } else if (removeAt >= 0) {
      for (let k = removeAt; k + 1 < size; k++) sorted[k] = sorted[k + 1] as number;
      size--;
    }
    if (size < w) {
      out1[i] = NaN;
      if (out2 !== undefined) out2[i] = NaN;
    } else {
      const a = sorted[i1] as number;
      out1[i] = f1 === 0 ? a : a + ((sorted[i1 + 1] as number) - a) * f1;
      if (out2 !== undefined) {
        const b = sorted[i2] as number;
        out2[i] = f2 === 0 ? b : b + ((sorted[i2 + 1] as number) - b) * f2;
      }
    }
  }
}

/**
 * Rolling covariance (`corr = false`) or correlation (`corr = true`) of `a` and `b` into
 * `out`, fused in one loop (three means, the pair count and, for the correlation, the two
 * variances); see RollingCovWindow.
 */
export function covKernel(
  a: Float64Array,
  b: Float64Array,
  w: number,
  corr: boolean,
  out: Float64Array,
): Float64Array {
  const n = a.length;
  // mean of x*y
  let pN = 0;
  let pS = 0;
  let pCa = 0;
  let pCr = 0;
  let pNeg = 0;
  let pSame = 0;
  let pPrev = NaN;
  // mean of x
  let xN = 0;
  let xS = 0;
  let xCa = 0;
  let xCr = 0;
  let xNeg = 0;
  let xSame = 0;
  let xPrev = NaN;
  // mean of y
  let yN = 0;
  let yS = 0;
  let yCa = 0;
  let yCr = 0;
  let yNeg = 0;
  let ySame = 0;
  let yPrev = NaN;
  // variance of x
  let vxN = 0;
  let vxMean = 0;
  let vxSsq = 0;
  let vxCa = 0;
  let vxCr = 0;
  let vxSame = 0;
  let vxPrev = NaN;
  // variance of y
  let vyN = 0;
  let vyMean = 0;
  let vySsq = 0;
  let vyCa = 0;
  let vyCr = 0;
  let vySame = 0;
  let vyPrev = NaN;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (i >= w) {
      const ox = a[i - w] as number;
      const oy = b[i - w] as number;
      const mx = ox + 0 * oy;
      const my = oy + 0 * ox;
      const p = mx * my;
      if (p === p) {
        pN--;
        const y = -p - pCr;
        const t = pS + y;
        pCr = t - pS - y;
        pS = t;
        if (p < 0 || (p === 0 && 1 / p < 0)) pNeg--;
      }
      if (mx === mx) {
        xN--;
        const y = -mx - xCr;
        const t = xS + y;
        xCr = t - xS - y;
        xS = t;
        if (mx < 0 || (mx === 0 && 1 / mx < 0)) xNeg--;
        if (corr) {
          const k = --vxN;
          if (k > 0) {
            const pm = vxMean - vxCr;
            const yy = mx - vxCr;
            const tt = yy - vxMean;
            vxCr = tt + vxMean - yy;
            vxMean = vxMean - tt / k;
            vxSsq = vxSsq - (mx - pm) * (mx - vxMean);
          } else {
            vxMean = 0;
            vxSsq = 0;
          }
        }
      }
      if (my === my) {
        yN--;
        const y = -my - yCr;
        const t = yS + y;
        yCr = t - yS - y;
        yS = t;
        if (my < 0 || (my === 0 && 1 / my < 0)) yNeg--;
        if (corr) {
          const k = --vyN;
          if (k > 0) {
            const pm = vyMean - vyCr;
            const yy = my - vyCr;
            const tt = yy - vyMean;
            vyCr = tt + vyMean - yy;
            vyMean = vyMean - tt / k;
            vySsq = vySsq - (my - pm) * (my - vyMean);
          } else {
            vyMean = 0;
            vySsq = 0;
          }
        }
      }
      const s = mx + my;
      if (s === s) count--;
    }
    const vx = a[i] as number;
    const vy = b[i] as number;
    const mx = vx + 0 * vy;
    const my = vy + 0 * vx;
    const p = mx * my;
    if (p === p) {
      pN++;
      const y = p - pCa;
      const t = pS + y;
      pCa = t - pS - y;
      pS = t;
      if (p < 0 || (p === 0 && 1 / p < 0)) pNeg++;
      if (p === pPrev) pSame++;
      else pSame = 1;
      pPrev = p;
    }
    if (mx === mx) {
      xN++;
      const y = mx - xCa;
      const t = xS + y;
      xCa = t - xS - y;
      xS = t;
      if (mx < 0 || (mx === 0 && 1 / mx < 0)) xNeg++;
      if (mx === xPrev) xSame++;
      else xSame = 1;
      xPrev = mx;
      if (corr) {
        const k = ++vxN;
        if (mx === vxPrev) vxSame++;
        else vxSame = 1;
        vxPrev = mx;
        const pm = vxMean - vxCa;
        const yy = mx - vxCa;
        const tt = yy - vxMean;
        vxCa = tt + vxMean - yy;
        vxMean = vxMean + tt / k;
        vxSsq = vxSsq + (mx - pm) * (mx - vxMean);
      }
    }
    if (my === my) {
      yN++;
      const y = my - yCa;
      const t = yS + y;
      yCa = t - yS - y;
      yS = t;
      if (my < 0 || (my === 0 && 1 / my < 0)) yNeg++;
      if (my === yPrev) ySame++;
      else ySame = 1;
      yPrev = my;
      if (corr) {
        const k = ++vyN;
        if (my === vyPrev) vySame++;
        else vySame = 1;
        vyPrev = my;
        const pm = vyMean - vyCa;
        const yy = my - vyCa;
        const tt = yy - vyMean;
        vyCa = tt + vyMean - yy;
        vyMean = vyMean + tt / k;
        vySsq = vySsq + (my - pm) * (my - vyMean);
      }
    }
    const s = mx + my;
    if (s === s) count++;

    // every mean needs w observations; the pair count then is w as well
    if (pN < w || xN < w || yN < w) {
      out[i] = NaN;
      continue;
    }
    let meanP: number;
    if (pSame >= pN) meanP = pPrev;
    else {
      const r = pS / pN;
      meanP = pNeg === 0 && r < 0 ? 0 : pNeg === pN && r > 0 ? 0 : r;
    }
    let meanX: number;
    if (xSame >= xN) meanX = xPrev;
    else {
      const r = xS / xN;
      meanX = xNeg === 0 && r < 0 ? 0 : xNeg === xN && r > 0 ? 0 : r;
    }
    let meanY: number;
    if (ySame >= yN) meanY = yPrev;
    else {
      const r = yS / yN;
      meanY = yNeg === 0 && r < 0 ? 0 : yNeg === yN && r > 0 ? 0 : r;
    }
    const cov = (meanP - meanX * meanY) * (count / (count - 1));
    if (!corr) {
      out[i] = cov;
      continue;
    }
    const varX = vxN < w || vxN < 2 ? NaN : vxSame >= vxN ? 0 : vxSsq / (vxN - 1);
    const varY = vyN < w || vyN < 2 ? NaN : vySame >= vyN ? 0 : vySsq / (vyN - 1);
    out[i] = cov / Math.sqrt(varX * varY);
  }
  return out;
}
