/**
 * The two Pearson correlations of the weighting, each written once as a kernel over the columns
 * of a row-major matrix (`values[row * k + column]`, `k` columns), using the rows where every
 * column is non-NaN. For a pair of columns that is exactly "the complete pairs"; for more
 * columns it equals the pairwise result whenever no column has a NaN in the rows used (the
 * callers check that, else they call the kernel pair by pair). The kernels allocate nothing.
 */

/**
 * Welford correlations of every pair of the `k` columns, exactly as pandas' `DataFrame.corr()`
 * (`libalgos.nancorr`, min_periods 1), over the rows `[0, rows)` complete in every column:
 * `out[i * k + j]` (i >= j; the upper triangle is mirrored) is `NaN` when no row remains or a
 * column is constant. The updates of column c are those of a pairwise Welford loop, so the
 * result of each pair is that loop's bit for bit: `mean += (1/nobs) d`, `ssq += (v - mean) d`,
 * `cov_ij += (v_i - mean_i) d_j` (d = v - the mean before the update).
 *
 * @param scratch at least `4 * k` numbers (means, squares, the row's two differences).
 */
export function welfordCorrelationsInto(
  values: Float64Array,
  rows: number,
  k: number,
  out: Float64Array,
  scratch: Float64Array,
): Float64Array {
  const mean = scratch.subarray(0, k).fill(0);
  const ssq = scratch.subarray(k, 2 * k).fill(0);
  const before = scratch.subarray(2 * k, 3 * k);
  const after = scratch.subarray(3 * k, 4 * k);
  out.fill(0, 0, k * k);
  let nobs = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let complete = true;
    for (let c = 0; c < k; c++) {
      const v = values[base + c] as number;
      if (v !== v) {
        complete = false;
        break;
      }
    }
    if (!complete) continue;
    nobs += 1;
    const inv = 1 / nobs;
    for (let c = 0; c < k; c++) {
      const v = values[base + c] as number;
      const d = v - (mean[c] as number);
      mean[c] = (mean[c] as number) + inv * d;
      const e = v - (mean[c] as number);
      ssq[c] = (ssq[c] as number) + e * d;
      before[c] = d;
      after[c] = e;
    }
    for (let i = 1; i < k; i++) {
      const e = after[i] as number;
      const row = i * k;
      for (let j = 0; j < i; j++)
        out[row + j] = (out[row + j] as number) + e * (before[j] as number);
    }
  }
  for (let i = 0; i < k; i++) {
    // The diagonal's co-moment is the column's own sum of squares (the same updates).
    out[i * k + i] = ssq[i] as number;
    for (let j = 0; j <= i; j++) {
      const divisor = Math.sqrt((ssq[i] as number) * (ssq[j] as number));
      const r = nobs < 1 ? NaN : divisor !== 0 ? (out[i * k + j] as number) / divisor : NaN;
      out[i * k + j] = r;
      out[j * k + i] = r;
    }
  }
  return out;
}

/**
 * Pearson correlation of each of the `k` columns with the next rows' `target`, aligned on the
 * same rows from `offset` (`column[s]` with `target[offset + s + lag]`, pandas
 * `target.shift(-lag)` within the window), over the rows `s < rows - lag` where the target and every column are non-NaN, as pandas' `Series.corr`
 * (which calls `numpy.corrcoef` on the complete pairs): two-pass means, sample covariance,
 * each standard deviation divided out separately, clipped to [-1, 1]. `out[c]` is `NaN` when
 * fewer than 2 rows remain or a series is constant.
 *
 * @param scratch at least `3 * k` numbers.
 */
export function nextRowCorrelationsInto(
  values: Float64Array,
  rows: number,
  k: number,
  target: ArrayLike<number>,
  offset: number,
  lag: number,
  out: Float64Array,
  scratch: Float64Array,
): Float64Array {
  const sum = scratch.subarray(0, k).fill(0);
  const sxx = scratch.subarray(k, 2 * k).fill(0);
  const sxy = scratch.subarray(2 * k, 3 * k).fill(0);
  // the window's last `lag` rows have no next value inside the window
  const end = Math.min(rows, target.length - offset) - lag;
  let n = 0;
  let sumB = 0;
  for (let s = 0; s < end; s++) {
    const y = target[offset + s + lag] as number;
    if (!usable(values, s * k, k, y)) continue;
    n += 1;
    for (let c = 0; c < k; c++) sum[c] = (sum[c] as number) + (values[s * k + c] as number);
    sumB += y;
  }
  if (n < 2) return out.fill(NaN, 0, k);
  for (let c = 0; c < k; c++) sum[c] = (sum[c] as number) / n;
  const mean = sum;
  const meanB = sumB / n;
  let syy = 0;
  for (let s = 0; s < end; s++) {
    const y = target[offset + s + lag] as number;
    if (!usable(values, s * k, k, y)) continue;
    const dy = y - meanB;
    syy += dy * dy;
    for (let c = 0; c < k; c++) {
      const dx = (values[s * k + c] as number) - (mean[c] as number);
      sxx[c] = (sxx[c] as number) + dx * dx;
      sxy[c] = (sxy[c] as number) + dx * dy;
    }
  }
  const inv = 1 / (n - 1);
  for (let c = 0; c < k; c++) {
    const r =
      ((sxy[c] as number) * inv) / Math.sqrt((sxx[c] as number) * inv) / Math.sqrt(syy * inv);
    out[c] = Number.isNaN(r) ? NaN : Math.min(1, Math.max(-1, r));
  }
  return out;
}

/** Whether the target and every column of a row are non-NaN. */
function usable(values: Float64Array, base: number, k: number, y: number): boolean {
  if (y !== y) return false;
  for (let c = 0; c < k; c++) {
    const v = values[base + c] as number;
    if (v !== v) return false;
  }
  return true;
}

/** Whether any of `values[from, to)` is NaN. */
export function hasNaN(values: ArrayLike<number>, from = 0, to = values.length): boolean {
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v !== v) return true;
  }
  return false;
}

/**
 * Copies `columns[c][from + r]` to `out[r * k + c]` (row-major) for `r < to - from`; `out`
 * grows when too short. Returns the matrix holding the rows.
 */
export function rowMajor(
  columns: readonly ArrayLike<number>[],
  from: number,
  to: number,
  out?: Float64Array,
): Float64Array {
  const k = columns.length;
  const rows = to - from;
  const m = out !== undefined && out.length >= rows * k ? out : new Float64Array(rows * k);
  for (let c = 0; c < k; c++) {
    const col = columns[c] as ArrayLike<number>;
    for (let r = 0; r < rows; r++) m[r * k + c] = col[from + r] as number;
  }
  return m;
}

/** Reusable buffers of the frame-level correlations (grown on demand). */
export interface CorrelationScratch {
  values: Float64Array;
  readonly scratch: Float64Array;
  readonly pair: Float64Array;
}

/** Buffers for frames of up to `k` columns (the row buffer grows with the rows). */
export function createCorrelationScratch(k: number): CorrelationScratch {
  return {
    values: new Float64Array(0),
    scratch: new Float64Array(4 * Math.max(k, 2)),
    pair: new Float64Array(4),
  };
}

/**
 * `signals.corr()` of the columns over rows `[from, to)` into `out` (k×k row-major): one pass
 * over all columns when none has a NaN there (then every pair's complete rows are all rows),
 * else pair by pair over each pair's complete rows.
 */
export function correlationMatrixInto(
  columns: readonly ArrayLike<number>[],
  from: number,
  to: number,
  out: Float64Array,
  work: CorrelationScratch,
): Float64Array {
  const k = columns.length;
  const rows = to - from;
  if (!columns.some((col) => hasNaN(col, from, to))) {
    work.values = rowMajor(columns, from, to, work.values);
    return welfordCorrelationsInto(work.values, rows, k, out, work.scratch);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      // entry (1, 0) of the pair [b, a] is the correlation of (a, b)
      work.values = rowMajor(
        [columns[j] as ArrayLike<number>, columns[i] as ArrayLike<number>],
        from,
        to,
        work.values,
      );
      const r = welfordCorrelationsInto(work.values, rows, 2, work.pair, work.scratch)[2] as number;
      out[i * k + j] = r;
      out[j * k + i] = r;
    }
  }
  return out;
}

/**
 * The information coefficients of the columns over rows `[from, to)`:
 * `column[s]` against `returns[s + 1]` within the rows (the last row has no next return), into
 * `out` (length k): one pass when no column has a NaN there (the complete rows then depend on
 * the returns only), else column by column.
 */
export function nextReturnIcsInto(
  columns: readonly ArrayLike<number>[],
  returns: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  work: CorrelationScratch,
): Float64Array {
  const k = columns.length;
  const rows = to - from;
  if (!columns.some((col) => hasNaN(col, from, to))) {
    work.values = rowMajor(columns, from, to, work.values);
    return nextRowCorrelationsInto(work.values, rows, k, returns, from, 1, out, work.scratch);
  }
  for (let c = 0; c < k; c++) {
    work.values = rowMajor([columns[c] as ArrayLike<number>], from, to, work.values);
    out[c] = nextRowCorrelationsInto(
      work.values,
      rows,
      1,
      returns,
      from,
      1,
      work.pair,
      work.scratch,
    )[0] as number;
  }
  return out;
}
