/**
 * The two Pearson correlations of the weighting, each written once as a kernel over columns
 * and a list of the rows to use: for a pair of columns (or one column and the returns) the
 * rows where both are non-NaN, which is exactly pandas' "complete pairs"; for more columns,
 * rows complete in all of them, which gives every pair's result whenever no column has a NaN
 * in the window (the frame-level functions below check that, else go pair by pair).
 *
 * Each column's running mean is one chain of dependent operations, so the kernels run column
 * by column (a few at a time, for overlap) over the rows, keeping the per-row terms, then form
 * the co-moments as dot products in row order: the operations, and their order, are those of
 * a pairwise loop, so the results are the same bit for bit. The kernels allocate nothing but
 * the scratch they grow.
 */

/** Reusable buffers of the correlation kernels (grown on demand). */
export interface CorrelationScratch {
  /** Per column and row: the difference to the mean before the update (`k * rows`). */
  before: Float64Array;
  /** Per column and row: the difference to the mean after the update. */
  after: Float64Array;
  /** `1 / (t + 1)`: Welford's weights. */
  inverse: Float64Array;
  /** Rows used, as indices into the columns. */
  rows: Int32Array;
  /** Per used row: the target's difference to its mean. */
  target: Float64Array;
  /** Per column: sums and sums of squares. */
  readonly moments: Float64Array;
  /** Results of a pair (2×2) or a single column. */
  readonly pair: Float64Array;
}

/** Buffers for frames of up to `k` columns (the row buffers grow with the rows). */
export function createCorrelationScratch(k: number): CorrelationScratch {
  return {
    before: new Float64Array(0),
    after: new Float64Array(0),
    inverse: new Float64Array(0),
    rows: new Int32Array(0),
    target: new Float64Array(0),
    moments: new Float64Array(3 * Math.max(k, 2)),
    pair: new Float64Array(4),
  };
}

function ensureRows(work: CorrelationScratch, k: number, rows: number): void {
  if (work.rows.length < rows) {
    work.rows = new Int32Array(rows);
    work.target = new Float64Array(rows);
    const inverse = new Float64Array(rows);
    for (let t = 0; t < rows; t++) inverse[t] = 1 / (t + 1);
    work.inverse = inverse;
  }
  if (work.before.length < k * rows) {
    work.before = new Float64Array(k * rows);
    work.after = new Float64Array(k * rows);
  }
}

/**
 * Welford correlations of every pair of the `k` columns over the rows `work.rows[0, count)`,
 * exactly as pandas' `DataFrame.corr()` (`libalgos.nancorr`, min_periods 1): per column
 * `d = v - mean`, `mean += (1/nobs) d`, `ssq += (v - mean) d`, and per pair
 * `cov_ij += (v_i - mean_i) d_j`; `out[i * k + j] = cov_ij / sqrt(ssq_i ssq_j)` (symmetric;
 * `NaN` when no row remains or a column is constant).
 */
function welfordCorrelations(
  columns: readonly ArrayLike<number>[],
  k: number,
  count: number,
  out: Float64Array,
  work: CorrelationScratch,
): Float64Array {
  const { before, after, inverse, rows, moments } = work;
  // Four columns at a time: each running mean is a chain of dependent operations, and four
  // independent chains overlap.
  for (let c = 0; c < k; c += 4) {
    const g = Math.min(4, k - c);
    const x0 = columns[c] as ArrayLike<number>;
    const x1 = columns[Math.min(c + 1, k - 1)] as ArrayLike<number>;
    const x2 = columns[Math.min(c + 2, k - 1)] as ArrayLike<number>;
    const x3 = columns[Math.min(c + 3, k - 1)] as ArrayLike<number>;
    const b0 = c * count;
    const b1 = b0 + count;
    const b2 = b1 + count;
    const b3 = b2 + count;
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < count; t++) {
      const r = rows[t] as number;
      const w = inverse[t] as number;
      const v0 = x0[r] as number;
      const d0 = v0 - m0;
      m0 += w * d0;
      const e0 = v0 - m0;
      s0 += e0 * d0;
      before[b0 + t] = d0;
      after[b0 + t] = e0;
      if (g > 1) {
        const v = x1[r] as number;
        const d = v - m1;
        m1 += w * d;
        const e = v - m1;
        s1 += e * d;
        before[b1 + t] = d;
        after[b1 + t] = e;
      }
      if (g > 2) {
        const v = x2[r] as number;
        const d = v - m2;
        m2 += w * d;
        const e = v - m2;
        s2 += e * d;
        before[b2 + t] = d;
        after[b2 + t] = e;
      }
      if (g > 3) {
        const v = x3[r] as number;
        const d = v - m3;
        m3 += w * d;
        const e = v - m3;
        s3 += e * d;
        before[b3 + t] = d;
        after[b3 + t] = e;
      }
    }
    moments[c] = s0;
    if (g > 1) moments[c + 1] = s1;
    if (g > 2) moments[c + 2] = s2;
    if (g > 3) moments[c + 3] = s3;
  }
  for (let i = 0; i < k; i++) {
    // The diagonal's co-moment is the column's own sum of squares (the same updates).
    out[i * k + i] = moments[i] as number;
    const ei = i * count;
    for (let j = 0; j < i; j += 4) {
      const g = Math.min(4, i - j);
      const d0 = j * count;
      const d1 = d0 + count;
      const d2 = d1 + count;
      const d3 = d2 + count;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let t = 0; t < count; t++) {
        const e = after[ei + t] as number;
        a0 += e * (before[d0 + t] as number);
        if (g > 1) a1 += e * (before[d1 + t] as number);
        if (g > 2) a2 += e * (before[d2 + t] as number);
        if (g > 3) a3 += e * (before[d3 + t] as number);
      }
      out[i * k + j] = a0;
      if (g > 1) out[i * k + j + 1] = a1;
      if (g > 2) out[i * k + j + 2] = a2;
      if (g > 3) out[i * k + j + 3] = a3;
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      const divisor = Math.sqrt((moments[i] as number) * (moments[j] as number));
      const r = count < 1 ? NaN : divisor !== 0 ? (out[i * k + j] as number) / divisor : NaN;
      out[i * k + j] = r;
      out[j * k + i] = r;
    }
  }
  return out;
}

/**
 * Pearson correlation of each of the `k` columns with `target`, pairing `column[r]` with
 * `target[r + lag]` over the rows `work.rows[0, count)` (pandas' `target.shift(-lag)`), as
 * pandas' `Series.corr` (`numpy.corrcoef` on the complete pairs): two-pass means, sample
 * covariance, each standard deviation divided out separately, clipped to [-1, 1]; `NaN` when
 * fewer than 2 rows remain or a series is constant.
 */
function nextRowCorrelations(
  columns: readonly ArrayLike<number>[],
  k: number,
  target: ArrayLike<number>,
  lag: number,
  count: number,
  out: Float64Array,
  work: CorrelationScratch,
): Float64Array {
  const { rows, moments } = work;
  if (count < 2) return out.fill(NaN, 0, k);
  const dys = work.target;
  let sumB = 0;
  for (let t = 0; t < count; t++) sumB += target[(rows[t] as number) + lag] as number;
  const meanB = sumB / count;
  let syy = 0;
  for (let t = 0; t < count; t++) {
    const dy = (target[(rows[t] as number) + lag] as number) - meanB;
    dys[t] = dy;
    syy += dy * dy;
  }
  // two columns at a time: their sums are independent chains that overlap
  for (let c = 0; c < k; c += 2) {
    const two = c + 1 < k;
    const x = columns[c] as ArrayLike<number>;
    const y = (two ? columns[c + 1] : x) as ArrayLike<number>;
    let sumX = 0;
    let sumY = 0;
    for (let t = 0; t < count; t++) {
      const r = rows[t] as number;
      sumX += x[r] as number;
      if (two) sumY += y[r] as number;
    }
    const meanX = sumX / count;
    const meanY = sumY / count;
    let sxx = 0;
    let sxy = 0;
    let syy2 = 0;
    let sxy2 = 0;
    for (let t = 0; t < count; t++) {
      const r = rows[t] as number;
      const dt = dys[t] as number;
      const dx = (x[r] as number) - meanX;
      sxx += dx * dx;
      sxy += dx * dt;
      if (two) {
        const dy = (y[r] as number) - meanY;
        syy2 += dy * dy;
        sxy2 += dy * dt;
      }
    }
    moments[c] = sxx;
    moments[k + c] = sxy;
    if (two) {
      moments[c + 1] = syy2;
      moments[k + c + 1] = sxy2;
    }
  }
  const inv = 1 / (count - 1);
  const sy = Math.sqrt(syy * inv);
  for (let c = 0; c < k; c++) {
    const r = ((moments[k + c] as number) * inv) / Math.sqrt((moments[c] as number) * inv) / sy;
    out[c] = Number.isNaN(r) ? NaN : Math.min(1, Math.max(-1, r));
  }
  return out;
}

/** Whether any of `values[from, to)` is NaN. */
export function hasNaN(values: ArrayLike<number>, from = 0, to = values.length): boolean {
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v !== v) return true;
  }
  return false;
}

/** Lists in `work.rows` the rows of `[from, to)` where every column is non-NaN; their count. */
function completeRows(
  columns: readonly ArrayLike<number>[],
  from: number,
  to: number,
  work: CorrelationScratch,
): number {
  const rows = work.rows;
  let count = 0;
  for (let r = from; r < to; r++) {
    let complete = true;
    for (const col of columns) {
      const v = col[r] as number;
      if (v !== v) {
        complete = false;
        break;
      }
    }
    if (complete) rows[count++] = r;
  }
  return count;
}

/**
 * `signals.corr()` of the columns over rows `[from, to)` into `out` (k×k row-major): one pass
 * over all columns when none has a NaN there (then every pair's complete rows are all rows),
 * else pair by pair over each pair's complete rows. `anyNaN`: whether a column has a NaN in
 * the rows (found out here unless the caller knows).
 */
export function correlationMatrixInto(
  columns: readonly ArrayLike<number>[],
  from: number,
  to: number,
  out: Float64Array,
  work: CorrelationScratch,
  anyNaN = columns.some((col) => hasNaN(col, from, to)),
): Float64Array {
  const k = columns.length;
  ensureRows(work, Math.max(k, 2), to - from);
  if (!anyNaN) {
    const rows = work.rows;
    for (let r = from; r < to; r++) rows[r - from] = r;
    return welfordCorrelations(columns, k, to - from, out, work);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      // entry (1, 0) of the pair [b, a] is the correlation of (a, b)
      const pair = [columns[j] as ArrayLike<number>, columns[i] as ArrayLike<number>];
      const count = completeRows(pair, from, to, work);
      const r = welfordCorrelations(pair, 2, count, work.pair, work)[2] as number;
      out[i * k + j] = r;
      out[j * k + i] = r;
    }
  }
  return out;
}

/**
 * The information coefficients of the columns over rows `[from, to)`: `column[s]` against
 * `returns[s + 1]` within the rows (the last row has no next return), into `out` (length k):
 * one pass when no column has a NaN there (the complete rows then depend on the returns
 * only), else column by column. `anyNaN` as for {@link correlationMatrixInto}.
 */
export function nextReturnIcsInto(
  columns: readonly ArrayLike<number>[],
  returns: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  work: CorrelationScratch,
  anyNaN = columns.some((col) => hasNaN(col, from, to)),
): Float64Array {
  const k = columns.length;
  const end = Math.max(from, Math.min(to, returns.length) - 1);
  ensureRows(work, Math.max(k, 2), to - from);
  const usable = (cols: readonly ArrayLike<number>[]): number => {
    const rows = work.rows;
    let count = 0;
    for (let r = from; r < end; r++) {
      const y = returns[r + 1] as number;
      if (y !== y) continue;
      let complete = true;
      for (const col of cols) {
        const v = col[r] as number;
        if (v !== v) {
          complete = false;
          break;
        }
      }
      if (complete) rows[count++] = r;
    }
    return count;
  };
  if (!anyNaN) return nextRowCorrelations(columns, k, returns, 1, usable([]), out, work);
  for (let c = 0; c < k; c++) {
    const single = [columns[c] as ArrayLike<number>];
    out[c] = nextRowCorrelations(
      single,
      1,
      returns,
      1,
      usable(single),
      work.pair,
      work,
    )[0] as number;
  }
  return out;
}
