import { quantileKernel } from './window-kernels';

/**
 * A low quantile and a high quantile of a rolling window (TailRisk's 5% and 95% over 60 bars)
 * without keeping the whole window sorted: only the `k` smallest and `m` largest values the two
 * interpolations need are tracked (by index, ordered by value then index). When a tracked value
 * leaves, the missing one is found with one scan of the window, which happens on about
 * (k + m) / window of the steps. Results equal `quantileKernel`'s (the same order statistics
 * and the same interpolation arithmetic); -0 is read as +0 by both. Falls back to
 * `quantileKernel` when the tails would overlap (tiny windows). Inputs are trusted.
 */
export function tailQuantilesKernel(
  x: Float64Array,
  w: number,
  qLow: number,
  outLow: Float64Array,
  qHigh: number,
  outHigh: Float64Array,
): void {
  const hLow = qLow * (w - 1);
  const iLow = Math.floor(hLow);
  const fLow = hLow - iLow;
  const hHigh = qHigh * (w - 1);
  const iHigh = Math.floor(hHigh);
  const fHigh = hHigh - iHigh;
  const k = Math.min(w, fLow === 0 ? iLow + 1 : iLow + 2); // ranks 0..k-1
  const m = w - iHigh; // ranks iHigh..w-1
  if (k + m > w || qLow > qHigh) {
    quantileKernel(x, w, qLow, outLow, qHigh, outHigh);
    return;
  }
  const n = x.length;
  const lowIdx = new Int32Array(k); // ascending by (value, index)
  const highIdx = new Int32Array(m); // descending by (value, index)
  const inLow = new Uint8Array(n);
  const inHigh = new Uint8Array(n);
  let lowSize = 0;
  let highSize = 0;
  let nanCount = 0;
  let dirty = true;

  const val = (j: number): number => {
    const v = x[j] as number;
    return v === 0 ? 0 : v;
  };
  // (a, ia) < (b, ib) in the total order: value, then index
  const less = (a: number, ia: number, b: number, ib: number): boolean =>
    a < b || (a === b && ia < ib);

  const insertLow = (j: number, v: number): void => {
    let p = lowSize;
    while (p > 0) {
      const q = lowIdx[p - 1] as number;
      if (!less(v, j, val(q), q)) break;
      if (p < k) lowIdx[p] = q;
      else inLow[q] = 0; // pushed out of a full tail
      p--;
    }
    if (p < k) {
      lowIdx[p] = j;
      inLow[j] = 1;
      if (lowSize < k) lowSize++;
    }
  };
  const insertHigh = (j: number, v: number): void => {
    let p = highSize;
    while (p > 0) {
      const q = highIdx[p - 1] as number;
      if (!less(val(q), q, v, j)) break;
      if (p < m) highIdx[p] = q;
      else inHigh[q] = 0;
      p--;
    }
    if (p < m) {
      highIdx[p] = j;
      inHigh[j] = 1;
      if (highSize < m) highSize++;
    }
  };
  const removeFrom = (idx: Int32Array, size: number, j: number): void => {
    let p = 0;
    while ((idx[p] as number) !== j) p++;
    for (; p + 1 < size; p++) idx[p] = idx[p + 1] as number;
  };

  for (let i = 0; i < n; i++) {
    const raw = x[i] as number;
    if (raw !== raw) nanCount++;
    if (i >= w) {
      const o = i - w;
      const old = x[o] as number;
      if (old !== old) nanCount--;
      else if (!dirty) {
        if (inLow[o] === 1) {
          removeFrom(lowIdx, lowSize, o);
          lowSize--;
          inLow[o] = 0;
        }
        if (inHigh[o] === 1) {
          removeFrom(highIdx, highSize, o);
          highSize--;
          inHigh[o] = 0;
        }
      }
    }
    if (nanCount > 0 || i + 1 < w) {
      dirty = true;
      outLow[i] = NaN;
      outHigh[i] = NaN;
      continue;
    }
    const start = i + 1 - w;
    if (dirty) {
      // rebuild both tails from the window
      for (let p = 0; p < lowSize; p++) inLow[lowIdx[p] as number] = 0;
      for (let p = 0; p < highSize; p++) inHigh[highIdx[p] as number] = 0;
      lowSize = 0;
      highSize = 0;
      for (let j = start; j <= i; j++) {
        const v = val(j);
        insertLow(j, v);
        insertHigh(j, v);
      }
      dirty = false;
    } else {
      const v = val(i);
      if (lowSize === k) {
        const q = lowIdx[k - 1] as number;
        if (less(v, i, val(q), q)) insertLow(i, v);
      }
      if (highSize === m) {
        const q = highIdx[m - 1] as number;
        if (less(val(q), q, v, i)) insertHigh(i, v);
      }
      if (lowSize < k) {
        // a tracked value left: the next smallest untracked value of the window joins
        let best = -1;
        let bestV = 0;
        for (let j = start; j <= i; j++) {
          if (inLow[j] === 1) continue;
          const v2 = val(j);
          if (best < 0 || less(v2, j, bestV, best)) {
            best = j;
            bestV = v2;
          }
        }
        insertLow(best, bestV);
      }
      if (highSize < m) {
        let best = -1;
        let bestV = 0;
        for (let j = start; j <= i; j++) {
          if (inHigh[j] === 1) continue;
          const v2 = val(j);
          if (best < 0 || less(bestV, best, v2, j)) {
            best = j;
            bestV = v2;
          }
        }
        insertHigh(best, bestV);
      }
    }
    const a = val(lowIdx[iLow] as number);
    outLow[i] = fLow === 0 ? a : a + (val(lowIdx[iLow + 1] as number) - a) * fLow;
    // rank r (ascending) sits at highIdx[w - 1 - r]
    const b = val(highIdx[w - 1 - iHigh] as number);
    outHigh[i] = fHigh === 0 ? b : b + (val(highIdx[w - 2 - iHigh] as number) - b) * fHigh;
  }
}
