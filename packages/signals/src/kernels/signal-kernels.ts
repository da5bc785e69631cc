/**
 * Fused batch loops of the signals and of the rolling validation: every online accumulator of
 * one signal advances in the same loop, with its state in local variables, so the independent
 * update chains overlap in the CPU. Each accumulator performs exactly the operations of
 * `RollingSumWindow` / `RollingVarWindow` / `RollingCovWindow` in the same order, so the
 * results equal the streaming classes bit for bit (property-tested). Inputs are trusted
 * (validated by the public functions).
 */
import { SEASONALITY_TABLE, SQRT_252_VALUE } from './constants';

/** Volatility signal (see VolatilityState) from returns `r`, window `w`, into `out`. */
export function volatilityKernel(r: Float64Array, w: number, out: Float64Array): Float64Array {
  const n = r.length;
  const Z = 252;
  const invW = 1 / w;
  const invW1 = 1 / (w - 1);
  const invZ = 1 / Z;
  const invZ1 = 1 / (Z - 1);
  const rv = new Float64Array(n);
  // A: var_w(r); B: var_w(rv); D: mean and var over 252 bars of rv
  let aLeft = w;
  let aN = 0;
  let aK = NaN;
  let aS1 = 0;
  let aS2 = 0;
  let aSame = 0;
  let aPrev = NaN;
  let bLeft = w;
  let bN = 0;
  let bK = NaN;
  let bS1 = 0;
  let bS2 = 0;
  let bSame = 0;
  let bPrev = NaN;
  let dLeft = Z;
  let dN = 0;
  let dK = NaN;
  let dS1 = 0;
  let dS2 = 0;
  let dSame = 0;
  let dPrev = NaN;
  for (let i = 0; i < n; i++) {
    const v = r[i] as number;
    if (i >= w) {
      const o = r[i - w] as number;
      if (o === o) {
        const d = o - aK;
        aN--;
        aS1 -= d;
        aS2 -= d * d;
      }
    }
    if (v === v) {
      if (aK !== aK) aK = v;
      const d = v - aK;
      aN++;
      aS1 += d;
      aS2 += d * d;
      if (v === aPrev) aSame++;
      else aSame = 1;
      aPrev = v;
    }
    if (--aLeft === 0) {
      aLeft = w;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - w; j <= i; j++) {
        const q = r[j] as number;
        if (q === q) {
          const d = q - aK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      aN = rn;
      aS1 = r1;
      aS2 = r2;
    }
    const sdAVar = aN < w ? NaN : aSame >= aN ? 0 : (aS2 - aS1 * aS1 * invW) * invW1;
    const sdA = sdAVar < 0 ? 0 : Math.sqrt(sdAVar);
    const vol = sdA * SQRT_252_VALUE;
    rv[i] = vol;
    if (i >= w) {
      const o = rv[i - w] as number;
      if (o === o) {
        const d = o - bK;
        bN--;
        bS1 -= d;
        bS2 -= d * d;
      }
    }
    if (vol === vol) {
      if (bK !== bK) bK = vol;
      const d = vol - bK;
      bN++;
      bS1 += d;
      bS2 += d * d;
      if (vol === bPrev) bSame++;
      else bSame = 1;
      bPrev = vol;
    }
    if (--bLeft === 0) {
      bLeft = w;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - w; j <= i; j++) {
        const q = rv[j] as number;
        if (q === q) {
          const d = q - bK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      bN = rn;
      bS1 = r1;
      bS2 = r2;
    }
    if (i >= Z) {
      const o = rv[i - Z] as number;
      if (o === o) {
        const d = o - dK;
        dN--;
        dS1 -= d;
        dS2 -= d * d;
      }
    }
    if (vol === vol) {
      if (dK !== dK) dK = vol;
      const d = vol - dK;
      dN++;
      dS1 += d;
      dS2 += d * d;
      if (vol === dPrev) dSame++;
      else dSame = 1;
      dPrev = vol;
    }
    if (--dLeft === 0) {
      dLeft = Z;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - Z; j <= i; j++) {
        const q = rv[j] as number;
        if (q === q) {
          const d = q - dK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      dN = rn;
      dS1 = r1;
      dS2 = r2;
    }
    const volMean = dN < Z ? NaN : dSame >= dN ? dPrev : dK + dS1 * invZ;
    const volStdVar = dN < Z ? NaN : dSame >= dN ? 0 : (dS2 - dS1 * dS1 * invZ) * invZ1;
    const volStd = volStdVar < 0 ? 0 : Math.sqrt(volStdVar);
    const volOfVolVar = bN < w ? NaN : bSame >= bN ? 0 : (bS2 - bS1 * bS1 * invW) * invW1;
    const volOfVol = volOfVolVar < 0 ? 0 : Math.sqrt(volOfVolVar);
    const zscore = (vol - volMean) / (volStd + 1e-8);
    const signal = -zscore * (1 + volOfVol);
    out[i] = signal === signal ? signal : 0;
  }
  return out;
}

/** Momentum signal (see MomentumState) into `out`; `m` undefined = no market. */
export function momentumKernel(
  r: Float64Array,
  m: Float64Array | undefined,
  fast: number,
  slow: number,
  out: Float64Array,
): Float64Array {
  const n = r.length;
  const withMarket = m !== undefined;
  const mk = m ?? r;
  // A: sum_fast(r); B: sum_slow(r); C: sum_fast(market)
  let aLeft = fast;
  let aN = 0;
  let aK = NaN;
  let aS = 0;
  let aSame = 0;
  let aPrev = NaN;
  let bLeft = slow;
  let bN = 0;
  let bK = NaN;
  let bS = 0;
  let bSame = 0;
  let bPrev = NaN;
  let cLeft = fast;
  let cN = 0;
  let cK = NaN;
  let cS = 0;
  let cSame = 0;
  let cPrev = NaN;
  for (let i = 0; i < n; i++) {
    const v = r[i] as number;
    if (i >= fast) {
      const o = r[i - fast] as number;
      if (o === o) {
        aN--;
        aS -= o - aK;
      }
    }
    if (v === v) {
      if (aK !== aK) aK = v;
      aN++;
      aS += v - aK;
      if (v === aPrev) aSame++;
      else aSame = 1;
      aPrev = v;
    }
    if (--aLeft === 0) {
      aLeft = fast;
      let rn = 0;
      let rs = 0;
      for (let j = i + 1 - fast; j <= i; j++) {
        const q = r[j] as number;
        if (q === q) {
          rn++;
          rs += q - aK;
        }
      }
      aN = rn;
      aS = rs;
    }
    if (i >= slow) {
      const o = r[i - slow] as number;
      if (o === o) {
        bN--;
        bS -= o - bK;
      }
    }
    if (v === v) {
      if (bK !== bK) bK = v;
      bN++;
      bS += v - bK;
      if (v === bPrev) bSame++;
      else bSame = 1;
      bPrev = v;
    }
    if (--bLeft === 0) {
      bLeft = slow;
      let rn = 0;
      let rs = 0;
      for (let j = i + 1 - slow; j <= i; j++) {
        const q = r[j] as number;
        if (q === q) {
          rn++;
          rs += q - bK;
        }
      }
      bN = rn;
      bS = rs;
    }
    const f = aN < fast ? NaN : aSame >= aN ? aPrev * aN : aS + aK * aN;
    let excess = f;
    if (withMarket) {
      const u = mk[i] as number;
      if (i >= fast) {
        const o = mk[i - fast] as number;
        if (o === o) {
          cN--;
          cS -= o - cK;
        }
      }
      if (u === u) {
        if (cK !== cK) cK = u;
        cN++;
        cS += u - cK;
        if (u === cPrev) cSame++;
        else cSame = 1;
        cPrev = u;
      }
      if (--cLeft === 0) {
        cLeft = fast;
        let rn = 0;
        let rs = 0;
        for (let j = i + 1 - fast; j <= i; j++) {
          const q = mk[j] as number;
          if (q === q) {
            rn++;
            rs += q - cK;
          }
        }
        cN = rn;
        cS = rs;
      }
      excess = f - (cN < fast ? NaN : cSame >= cN ? cPrev * cN : cS + cK * cN);
    }
    const signal =
      0.7 * excess + 0.3 * (f - (bN < slow ? NaN : bSame >= bN ? bPrev * bN : bS + bK * bN));
    out[i] = signal === signal ? signal : 0;
  }
  return out;
}

/** Carry signal (see CarryState) into `out`. */
export function carryKernel(
  r: Float64Array,
  close: Float64Array,
  dayOfYear: Int16Array,
  out: Float64Array,
): Float64Array {
  const n = r.length;
  const inv20 = 1 / 20;
  const inv252 = 1 / 252;
  const inv19 = 1 / 19;
  const inv5 = 1 / 5;
  const inv4 = 1 / 4;
  // A: var_20(r); B: var_5(r); C: mean_252(close)
  let aLeft = 20;
  let aN = 0;
  let aK = NaN;
  let aS1 = 0;
  let aS2 = 0;
  let aSame = 0;
  let aPrev = NaN;
  let bLeft = 5;
  let bN = 0;
  let bK = NaN;
  let bS1 = 0;
  let bS2 = 0;
  let bSame = 0;
  let bPrev = NaN;
  let cLeft = 252;
  let cN = 0;
  let cK = NaN;
  let cS = 0;
  let cSame = 0;
  let cPrev = NaN;
  for (let i = 0; i < n; i++) {
    const v = r[i] as number;
    const c = close[i] as number;
    if (i >= 20) {
      const o = r[i - 20] as number;
      if (o === o) {
        const d = o - aK;
        aN--;
        aS1 -= d;
        aS2 -= d * d;
      }
    }
    if (v === v) {
      if (aK !== aK) aK = v;
      const d = v - aK;
      aN++;
      aS1 += d;
      aS2 += d * d;
      if (v === aPrev) aSame++;
      else aSame = 1;
      aPrev = v;
    }
    if (--aLeft === 0) {
      aLeft = 20;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - 20; j <= i; j++) {
        const q = r[j] as number;
        if (q === q) {
          const d = q - aK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      aN = rn;
      aS1 = r1;
      aS2 = r2;
    }
    if (i >= 5) {
      const o = r[i - 5] as number;
      if (o === o) {
        const d = o - bK;
        bN--;
        bS1 -= d;
        bS2 -= d * d;
      }
    }
    if (v === v) {
      if (bK !== bK) bK = v;
      const d = v - bK;
      bN++;
      bS1 += d;
      bS2 += d * d;
      if (v === bPrev) bSame++;
      else bSame = 1;
      bPrev = v;
    }
    if (--bLeft === 0) {
      bLeft = 5;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - 5; j <= i; j++) {
        const q = r[j] as number;
        if (q === q) {
          const d = q - bK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      bN = rn;
      bS1 = r1;
      bS2 = r2;
    }
    if (i >= 252) {
      const o = close[i - 252] as number;
      if (o === o) {
        cN--;
        cS -= o - cK;
      }
    }
    if (c === c) {
      if (cK !== cK) cK = c;
      cN++;
      cS += c - cK;
      if (c === cPrev) cSame++;
      else cSame = 1;
      cPrev = c;
    }
    if (--cLeft === 0) {
      cLeft = 252;
      let rn = 0;
      let rs = 0;
      for (let j = i + 1 - 252; j <= i; j++) {
        const q = close[j] as number;
        if (q === q) {
          rn++;
          rs += q - cK;
        }
      }
      cN = rn;
      cS = rs;
    }
    const std20Var = aN < 20 ? NaN : aSame >= aN ? 0 : (aS2 - aS1 * aS1 * inv20) * inv19;
    const std20 = std20Var < 0 ? 0 : Math.sqrt(std20Var);
    const std5Var = bN < 5 ? NaN : bSame >= bN ? 0 : (bS2 - bS1 * bS1 * inv5) * inv4;
    const std5 = std5Var < 0 ? 0 : Math.sqrt(std5Var);
    const ma = cN < 252 ? NaN : cSame >= cN ? cPrev : cK + cS * inv252;
    const realizedVol = std20 * SQRT_252_VALUE;
    const impliedVolProxy = std5 * SQRT_252_VALUE * 1.2;
    const vrp = impliedVolProxy - realizedVol;
    const meanReversion = -(c - ma) / (ma + 1e-8);
    const seasonality = SEASONALITY_TABLE[dayOfYear[i] as number] as number;
    const signal = 0.5 * vrp + 0.3 * meanReversion + 0.2 * seasonality;
    out[i] = signal === signal ? signal : 0;
  }
  return out;
}

/** Beta signal (see BetaState) into `out`; `m` undefined = market is `r * 0.6`. */
export function betaKernel(
  r: Float64Array,
  m: Float64Array | undefined,
  w: number,
  out: Float64Array,
): Float64Array {
  const n = r.length;
  const beta = new Float64Array(n);
  const invW = 1 / w;
  const invW1 = 1 / (w - 1);
  // co-moments of the masked (return, market) pair, shifted by the first valid pair
  let coLeft = w;
  let cn = 0;
  let kx = NaN;
  let ky = NaN;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  // V: var_w(market); B: var_w(beta)
  let vLeft = w;
  let vN = 0;
  let vK = NaN;
  let vS1 = 0;
  let vS2 = 0;
  let vSame = 0;
  let vPrev = NaN;
  let bbLeft = w;
  let bbN = 0;
  let bbK = NaN;
  let bbS1 = 0;
  let bbS2 = 0;
  let bbSame = 0;
  let bbPrev = NaN;
  for (let i = 0; i < n; i++) {
    const ri = r[i] as number;
    const mi = m === undefined ? ri * 0.6 : (m[i] as number);
    if (i >= w) {
      const ro = r[i - w] as number;
      const mo = m === undefined ? ro * 0.6 : (m[i - w] as number);
      const ox = ro + 0 * mo;
      const oy = mo + 0 * ro;
      if (ox + oy === ox + oy) {
        const dx = ox - kx;
        const dy = oy - ky;
        cn--;
        sx -= dx;
        sy -= dy;
        sxy -= dx * dy;
      }
      if (mo === mo) {
        const d = mo - vK;
        vN--;
        vS1 -= d;
        vS2 -= d * d;
      }
    }
    const mx = ri + 0 * mi;
    const my = mi + 0 * ri;
    if (mx + my === mx + my) {
      if (kx !== kx) {
        kx = mx;
        ky = my;
      }
      const dx = mx - kx;
      const dy = my - ky;
      cn++;
      sx += dx;
      sy += dy;
      sxy += dx * dy;
    }
    if (--coLeft === 0) {
      coLeft = w;
      // every w pairs, re-sum the window exactly so that rounding cannot drift
      let rn = 0;
      let rx = 0;
      let ry = 0;
      let rxy = 0;
      for (let j = i + 1 - w; j <= i; j++) {
        const rj = r[j] as number;
        const mj = m === undefined ? rj * 0.6 : (m[j] as number);
        const qx = rj + 0 * mj;
        const qy = mj + 0 * rj;
        if (qx + qy === qx + qy) {
          const dx = qx - kx;
          const dy = qy - ky;
          rn++;
          rx += dx;
          ry += dy;
          rxy += dx * dy;
        }
      }
      cn = rn;
      sx = rx;
      sy = ry;
      sxy = rxy;
    }
    if (mi === mi) {
      if (vK !== vK) vK = mi;
      const d = mi - vK;
      vN++;
      vS1 += d;
      vS2 += d * d;
      if (mi === vPrev) vSame++;
      else vSame = 1;
      vPrev = mi;
    }
    if (--vLeft === 0) {
      vLeft = w;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - w; j <= i; j++) {
        const q = m === undefined ? (r[j] as number) * 0.6 : (m[j] as number);
        if (q === q) {
          const d = q - vK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      vN = rn;
      vS1 = r1;
      vS2 = r2;
    }
    const cov = cn < w ? NaN : (sxy - sx * sy * invW) * invW1;
    const b = cov / ((vN < w ? NaN : vSame >= vN ? 0 : (vS2 - vS1 * vS1 * invW) * invW1) + 1e-8);
    beta[i] = b;
    if (i >= w) {
      const o = beta[i - w] as number;
      if (o === o) {
        const d = o - bbK;
        bbN--;
        bbS1 -= d;
        bbS2 -= d * d;
      }
    }
    if (b === b) {
      if (bbK !== bbK) bbK = b;
      const d = b - bbK;
      bbN++;
      bbS1 += d;
      bbS2 += d * d;
      if (b === bbPrev) bbSame++;
      else bbSame = 1;
      bbPrev = b;
    }
    if (--bbLeft === 0) {
      bbLeft = w;
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = i + 1 - w; j <= i; j++) {
        const q = beta[j] as number;
        if (q === q) {
          const d = q - bbK;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      bbN = rn;
      bbS1 = r1;
      bbS2 = r2;
    }
    const betaVolVar = bbN < w ? NaN : bbSame >= bbN ? 0 : (bbS2 - bbS1 * bbS1 * invW) * invW1;
    const betaVol = betaVolVar < 0 ? 0 : Math.sqrt(betaVolVar);
    const signal = -b * (1 + betaVol);
    out[i] = signal === signal ? signal : 0;
  }
  return out;
}

/**
 * Rolling validation of signal `x` against returns `r` (see {@link ValidationState}, whose
 * arithmetic this loop repeats operation for operation): IC against `r[s+1]`, hit rate and
 * turnover-adjusted IC, into the three outputs.
 */
export function validationKernel(
  x: Float64Array,
  r: Float64Array,
  w: number,
  ic: Float64Array,
  hitRate: Float64Array,
  turnoverAdjustedIc: Float64Array,
): void {
  const len = x.length;
  const invW = 1 / w;
  const invW1 = 1 / (w - 1);
  const ratio = w / (w - 1);
  let hitCount = 0;
  let left = w;
  // hit rates are count / w: one division per possible count, not per bar
  const hitTable = new Float64Array(w + 1);
  for (let c = 0; c <= w; c++) hitTable[c] = c / w;
  let n = 0;
  let tn = 0;
  let kx = NaN;
  let ky = NaN;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let st = 0;
  let sameX = 0;
  let sameY = 0;
  let prevX = NaN;
  let prevY = NaN;
  for (let s = 0; s < len; s++) {
    const xs = x[s] as number;
    const ys = s + 1 < len ? (r[s + 1] as number) : NaN;
    const ts = Math.abs(xs - (s > 0 ? (x[s - 1] as number) : NaN));
    // masked pair (pandas masks each series by the other's NaNs), shifted by the first
    // valid values so that the sums of squares do not cancel for series far from 0
    const mx = xs + 0 * ys;
    const my = ys + 0 * xs;
    const valid = mx + my === mx + my;
    if (valid && kx !== kx) {
      kx = mx;
      ky = my;
    }
    if (s >= w) {
      const xo = x[s - w] as number;
      const yo = r[s - w + 1] as number;
      const to = Math.abs(xo - (s - w > 0 ? (x[s - w - 1] as number) : NaN));
      const omx = xo + 0 * yo;
      const omy = yo + 0 * xo;
      if (omx + omy === omx + omy) {
        const dx = omx - kx;
        const dy = omy - ky;
        n--;
        sx -= dx;
        sy -= dy;
        sxy -= dx * dy;
        sxx -= dx * dx;
        syy -= dy * dy;
      }
      if (to === to) {
        tn--;
        st -= to;
      }
      // the leaving date's hit, recomputed from its pair (no per-call buffer)
      hitCount -= xo > 0 === yo > 0 ? 1 : 0;
    }
    if (valid) {
      const dx = mx - kx;
      const dy = my - ky;
      n++;
      sx += dx;
      sy += dy;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
      if (mx === prevX) sameX++;
      else sameX = 1;
      prevX = mx;
      if (my === prevY) sameY++;
      else sameY = 1;
      prevY = my;
    }
    if (ts === ts) {
      tn++;
      st += ts;
    }
    if (--left === 0) {
      left = w;
      // every `w` steps, re-sum the window from scratch so that rounding cannot drift
      let rn = 0;
      let rtn = 0;
      let rsx = 0;
      let rsy = 0;
      let rsxy = 0;
      let rsxx = 0;
      let rsyy = 0;
      let rst = 0;
      for (let j = s + 1 - w; j <= s; j++) {
        const wx = x[j] as number;
        const wy = j + 1 < len ? (r[j + 1] as number) : NaN;
        const wt = Math.abs((x[j] as number) - (j > 0 ? (x[j - 1] as number) : NaN));
        const qx = wx + 0 * wy;
        const qy = wy + 0 * wx;
        if (qx + qy === qx + qy) {
          const dx = qx - kx;
          const dy = qy - ky;
          rn++;
          rsx += dx;
          rsy += dy;
          rsxy += dx * dy;
          rsxx += dx * dx;
          rsyy += dy * dy;
        }
        if (wt === wt) {
          rtn++;
          rst += wt;
        }
      }
      n = rn;
      tn = rtn;
      sx = rsx;
      sy = rsy;
      sxy = rsxy;
      sxx = rsxx;
      syy = rsyy;
      st = rst;
    }
    // (signal > 0) == (next > 0), NaN compares False; the 0/1 mean is exactly count / w
    hitCount += xs > 0 === ys > 0 ? 1 : 0;
    hitRate[s] = s + 1 < w ? NaN : (hitTable[hitCount] as number);
    let corr = NaN;
    if (n >= w) {
      if (sameX < n && sameY < n) {
        const meanX = sx * invW;
        const meanY = sy * invW;
        const cov = (sxy * invW - meanX * meanY) * ratio;
        const varX = (sxx - sx * meanX) * invW1;
        const varY = (syy - sy * meanY) * invW1;
        corr = cov / Math.sqrt(varX * varY);
      }
    }
    const turnover = tn >= w ? st * invW : NaN;
    ic[s] = corr;
    turnoverAdjustedIc[s] = corr / (1 + turnover * 100);
  }
}
