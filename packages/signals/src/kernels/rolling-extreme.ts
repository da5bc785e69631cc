import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/**
 * Rolling maximum (or minimum) with a monotonic deque, O(n). NaN until the window is full and
 * whenever it holds a NaN (pandas' min_periods = window).
 */
function rollingExtreme(values: ArrayLike<number>, windowBars: number, max: boolean): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  const n = x.length;
  const out = new Float64Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let lastNaN = -1;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v !== v) {
      lastNaN = i;
    } else {
      // keep the deque monotonic: drop values the new one dominates
      if (max) while (tail > head && (x[deque[tail - 1] as number] as number) <= v) tail--;
      else while (tail > head && (x[deque[tail - 1] as number] as number) >= v) tail--;
      deque[tail++] = i;
    }
    while (tail > head && (deque[head] as number) <= i - windowBars) head++;
    out[i] =
      i + 1 < windowBars || i - lastNaN < windowBars ? NaN : (x[deque[head] as number] as number);
  }
  return out;
}

/**
 * Rolling maximum over `windowBars` values, as pandas' `rolling(window).max()`.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer >= 2).
 */
export function rollingMax(values: ArrayLike<number>, windowBars: number): Float64Array {
  return rollingExtreme(values, windowBars, true);
}

/**
 * Rolling minimum over `windowBars` values, as pandas' `rolling(window).min()`.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer >= 2).
 */
export function rollingMin(values: ArrayLike<number>, windowBars: number): Float64Array {
  return rollingExtreme(values, windowBars, false);
}
