import { quantileKernel } from './window-kernels';

/** Extra order statistics tracked beyond the needed ones, so that refills are rare. */
const SLACK = 8;

/**
 * A low quantile and a high quantile of a rolling window (TailRisk's 5% and 95% over 60 bars)
 * without keeping the whole window sorted. Each tail tracks between `k` and `k + SLACK` of the
 * smallest (resp. largest) values of the window — always a prefix of the window's order (value,
 * then index) — and is rebuilt by one scan of the window only when it shrinks below the `k`
 * order statistics the interpolation needs. Results equal `quantileKernel`'s bit for bit (the
 * same order statistics, the same interpolation arithmetic; -0 is read as +0 by both). Falls
 * back to `quantileKernel` when the tails would overlap (tiny windows). Inputs are trusted.
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
  const k = fLow === 0 ? iLow + 1 : iLow + 2; // ascending ranks 0..k-1 are needed
  const m = w - iHigh; // ascending ranks iHigh..w-1 are needed: the m largest
  const capLow = Math.min(k + SLACK, w);
  const capHigh = Math.min(m + SLACK, w);
  if (capLow + capHigh > w || qLow > qHigh) {
    quantileKernel(x, w, qLow, outLow, qHigh, outHigh);
    return;
  }
  const n = x.length;
  // low tail ascending, high tail descending; values normalised (-0 -> +0)
  const lowV = new Float64Array(capLow);
  const lowI = new Int32Array(capLow);
  const highV = new Float64Array(capHigh);
  const highI = new Int32Array(capHigh);
  // 1 (low) / 2 (high) while an index is tracked: most leaving indices are in neither tail
  const tracked = new Uint8Array(n);
  let lowSize = 0;
  let highSize = 0;
  let nanCount = 0;
  let dirty = true;

  for (let i = 0; i < n; i++) {
    const raw = x[i] as number;
    if (raw !== raw) nanCount++;
    if (i >= w) {
      const o = i - w;
      const old = x[o] as number;
      if (old !== old) nanCount--;
      else if (!dirty && tracked[o] === 1) {
        for (let p = 0; p < lowSize; p++) {
          if (lowI[p] === o) {
            lowSize--;
            for (; p < lowSize; p++) {
              lowV[p] = lowV[p + 1] as number;
              lowI[p] = lowI[p + 1] as number;
            }
            break;
          }
        }
      } else if (!dirty && tracked[o] === 2) {
        for (let p = 0; p < highSize; p++) {
          if (highI[p] === o) {
            highSize--;
            for (; p < highSize; p++) {
              highV[p] = highV[p + 1] as number;
              highI[p] = highI[p + 1] as number;
            }
            break;
          }
        }
      }
    }
    if (nanCount > 0 || i + 1 < w) {
      dirty = true;
      outLow[i] = NaN;
      outHigh[i] = NaN;
      continue;
    }
    const v = raw === 0 ? 0 : raw;
    // The newest index ranks after every equal value (order: value, then index). A tail only
    // takes it when it beats the tail's last entry, so each tail stays a prefix of the order.
    if (!dirty) {
      if (lowSize > 0 && v < (lowV[lowSize - 1] as number)) {
        let p = lowSize;
        if (lowSize < capLow) lowSize++;
        else tracked[lowI[--p] as number] = 0;
        while (p > 0 && (lowV[p - 1] as number) > v) {
          lowV[p] = lowV[p - 1] as number;
          lowI[p] = lowI[p - 1] as number;
          p--;
        }
        lowV[p] = v;
        lowI[p] = i;
        tracked[i] = 1;
      }
      if (highSize > 0 && v >= (highV[highSize - 1] as number)) {
        let p = highSize;
        if (highSize < capHigh) highSize++;
        else tracked[highI[--p] as number] = 0;
        while (p > 0 && (highV[p - 1] as number) <= v) {
          highV[p] = highV[p - 1] as number;
          highI[p] = highI[p - 1] as number;
          p--;
        }
        highV[p] = v;
        highI[p] = i;
        tracked[i] = 2;
      }
    }
    if (dirty || lowSize < k || highSize < m) {
      // rebuild both tails from the window, scanning in index order
      for (let p = 0; p < lowSize; p++) tracked[lowI[p] as number] = 0;
      for (let p = 0; p < highSize; p++) tracked[highI[p] as number] = 0;
      lowSize = 0;
      highSize = 0;
      for (let j = i + 1 - w; j <= i; j++) {
        const r = x[j] as number;
        const u = r === 0 ? 0 : r;
        if (lowSize < capLow || u < (lowV[capLow - 1] as number)) {
          let p = lowSize < capLow ? lowSize++ : capLow - 1;
          while (p > 0 && (lowV[p - 1] as number) > u) {
            lowV[p] = lowV[p - 1] as number;
            lowI[p] = lowI[p - 1] as number;
            p--;
          }
          lowV[p] = u;
          lowI[p] = j;
        }
        if (highSize < capHigh || u >= (highV[capHigh - 1] as number)) {
          let p = highSize < capHigh ? highSize++ : capHigh - 1;
          while (p > 0 && (highV[p - 1] as number) <= u) {
            highV[p] = highV[p - 1] as number;
            highI[p] = highI[p - 1] as number;
            p--;
          }
          highV[p] = u;
          highI[p] = j;
        }
      }
      for (let p = 0; p < lowSize; p++) tracked[lowI[p] as number] = 1;
      for (let p = 0; p < highSize; p++) tracked[highI[p] as number] = 2;
      dirty = false;
    }
    const a = lowV[iLow] as number;
    outLow[i] = fLow === 0 ? a : a + ((lowV[iLow + 1] as number) - a) * fLow;
    // ascending rank r sits at highV[w - 1 - r]
    const b = highV[w - 1 - iHigh] as number;
    outHigh[i] = fHigh === 0 ? b : b + ((highV[w - 2 - iHigh] as number) - b) * fHigh;
  }
}
