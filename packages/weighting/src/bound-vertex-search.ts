/**
 * Exact global minimiser of the spec's weighting objective
 *
 *     f(w) = -ic·w + sum_{i<j} q_ij w_i w_j,   q_ij = 0.5 |corr_ij| / n_pairs >= 0,
 *     subject to sum(w) = 1 and lo <= w_i <= hi.
 *
 * Why it is enough to search points with at most one weight strictly inside its bounds:
 * take any minimiser w* with two interior weights i and j. Along d = e_i - e_j (which keeps
 * the sum) f(w* + t d) = f(w*) + t g·d - t^2 q_ij. A minimum in the interior of that segment
 * needs g·d = 0 and -q_ij >= 0, i.e. q_ij = 0: f is then constant along d, so moving until i
 * or j reaches a bound gives another minimiser with one interior weight fewer. Repeating, some
 * global minimiser has every weight at a bound except at most one, which the sum fixes.
 *
 * So the search picks the free index f and the set S of weights at `hi` (the others at `lo`);
 * the sum gives w_f = 1 - |S| hi - (n - 1 - |S|) lo, which must lie in [lo, hi] — that fixes
 * |S| to one value (two at a vertex). Subsets of that size are enumerated depth-first with
 * incremental marginal costs, pruned by a lower bound that is valid because every q_ij >= 0
 * (adding weights can only add interaction cost). The result is the exact global minimum:
 * n * C(n - 1, |S|) candidates at most (20 for n = 5), before pruning.
 *
 * This is a numeric kernel on preallocated typed arrays; callers validate inputs.
 */

/** Absolute tolerance under which two objective values count as a tie. */
const TIE_TOLERANCE = 1e-14;
/** Tolerance on the sum constraint when deciding which |S| are feasible. */
const SUM_TOLERANCE = 1e-12;

/** Scratch space for {@link boundVertexSearch}; reusable across calls of the same size. */
export interface VertexSearchWorkspace {
  readonly n: number;
  /** Marginal cost of adding each candidate, one row of length n per depth (0..n). */
  readonly marginal: Float64Array;
  /** Candidate indices (all but the free one). */
  readonly others: Int32Array;
  /** Chosen positions in `others` per depth. */
  readonly chosen: Int32Array;
  /** Best pattern: 0 = lo, 1 = hi, 2 = free. */
  readonly bestPattern: Int8Array;
  /** Objective value after each depth of choices. */
  readonly values: Float64Array;
  /** Scratch for the pruning bound. */
  readonly smallest: Float64Array;
  /** Scratch weights for tie-breaks. */
  readonly candidate: Float64Array;
}

/** Allocates a workspace for problems with `n` signals. */
export function createVertexSearchWorkspace(n: number): VertexSearchWorkspace {
  return {
    n,
    marginal: new Float64Array((n + 1) * n),
    others: new Int32Array(n),
    chosen: new Int32Array(n + 1),
    bestPattern: new Int8Array(n),
    values: new Float64Array(n + 1),
    smallest: new Float64Array(n),
    candidate: new Float64Array(n),
  };
}

/**
 * Finds the global minimiser. `q` is n×n row-major, symmetric, zero diagonal, entries >= 0.
 * Among minimisers tied within 1e-14 the one nearest to `base` (L1) is returned.
 * Writes the weights into `out` (sum exactly 1 up to rounding, bounds hold exactly) and returns
 * false when no feasible point exists.
 */
export function boundVertexSearch(
  ic: Float64Array,
  q: Float64Array,
  lo: number,
  hi: number,
  base: Float64Array,
  out: Float64Array,
  ws: VertexSearchWorkspace,
): boolean {
  const n = ws.n;
  const delta = hi - lo;
  const delta2 = delta * delta;
  const { marginal, others, chosen, bestPattern, values, smallest, candidate } = ws;
  const prune = n > 8;
  let best = Infinity;
  let bestDistance = Infinity;
  let found = false;

  for (let m = 0; m < n; m++) {
    let gamma = 1 - (m * hi + (n - 1 - m) * lo);
    if (gamma < lo - SUM_TOLERANCE || gamma > hi + SUM_TOLERANCE) continue;
    gamma = Math.min(hi, Math.max(lo, gamma));
    const k = n - 1;
    for (let f = 0; f < n; f++) {
      // Base point: every weight at lo, w_f = gamma.
      let c = 0;
      for (let i = 0; i < n; i++) if (i !== f) others[c++] = i;
      let f0 = -(ic[f] as number) * gamma;
      for (let i = 0; i < n; i++) if (i !== f) f0 -= (ic[i] as number) * lo;
      for (let i = 0; i < n; i++) {
        const wi = i === f ? gamma : lo;
        for (let j = i + 1; j < n; j++)
          f0 += (q[i * n + j] as number) * wi * (j === f ? gamma : lo);
      }
      // Marginal cost at depth 0 of moving candidate t from lo to hi.
      for (let t = 0; t < k; t++) {
        const i = others[t] as number;
        let g = -(ic[i] as number);
        for (let j = 0; j < n; j++)
          if (j !== i) g += (q[i * n + j] as number) * (j === f ? gamma : lo);
        marginal[t] = delta * g;
      }
      // Depth-first enumeration of m-subsets of `others`.
      let depth = 0;
      values[0] = f0;
      chosen[0] = -1;
      while (depth >= 0) {
        if (depth === m) {
          const v = values[depth] as number;
          if (v < best + TIE_TOLERANCE) {
            // Build the pattern's weights for the tie-break distance.
            for (let i = 0; i < n; i++) candidate[i] = lo;
            candidate[f] = gamma;
            for (let d = 0; d < m; d++) candidate[others[chosen[d] as number] as number] = hi;
            let dist = 0;
            for (let i = 0; i < n; i++)
              dist += Math.abs((candidate[i] as number) - (base[i] as number));
            if (v < best - TIE_TOLERANCE || dist < bestDistance) {
              best = Math.min(best, v);
              bestDistance = dist;
              found = true;
              for (let i = 0; i < n; i++) bestPattern[i] = 0;
              bestPattern[f] = 2;
              for (let d = 0; d < m; d++) bestPattern[others[chosen[d] as number] as number] = 1;
            }
          }
          depth -= 1;
          continue;
        }
        // Advance the choice at this depth.
        const next = (chosen[depth] as number) + 1;
        const remaining = m - depth; // choices still to make, including this one
        if (next > k - remaining) {
          depth -= 1;
          continue;
        }
        chosen[depth] = next;
        const row = depth * n;
        if (prune && remaining > 1) {
          // Lower bound: current value plus the `remaining` smallest marginals from `next` on.
          const lb =
            (values[depth] as number) +
            sumOfSmallest(marginal, row + next, k - next, remaining, smallest);
          if (lb > best + TIE_TOLERANCE) {
            depth -= 1;
            continue;
          }
        }
        values[depth + 1] = (values[depth] as number) + (marginal[row + next] as number);
        const i = others[next] as number;
        const nextRow = row + n;
        for (let u = next + 1; u < k; u++) {
          marginal[nextRow + u] =
            (marginal[row + u] as number) + delta2 * (q[i * n + (others[u] as number)] as number);
        }
        depth += 1;
        chosen[depth] = next;
      }
    }
  }
  if (!found) return false;

  // Weights: bounds exactly, the free weight takes what the sum leaves (then clamped).
  let free = -1;
  let sumOthers = 0;
  for (let i = 0; i < n; i++) {
    const p = bestPattern[i];
    if (p === 2) free = i;
    else {
      out[i] = p === 1 ? hi : lo;
      sumOthers += out[i] as number;
    }
  }
  out[free] = Math.min(hi, Math.max(lo, 1 - sumOthers));
  return true;
}

/** Sum of the `count` smallest of `len` values starting at `offset` (selection by insertion). */
function sumOfSmallest(
  values: Float64Array,
  offset: number,
  len: number,
  count: number,
  buf: Float64Array,
): number {
  let total = 0;
  if (count >= len) {
    for (let t = 0; t < len; t++) total += values[offset + t] as number;
    return total;
  }
  let size = 0;
  for (let t = 0; t < len; t++) {
    const v = values[offset + t] as number;
    if (size < count) {
      let p = size++;
      while (p > 0 && (buf[p - 1] as number) > v) {
        buf[p] = buf[p - 1] as number;
        p--;
      }
      buf[p] = v;
    } else if (v < (buf[count - 1] as number)) {
      let p = count - 1;
      while (p > 0 && (buf[p - 1] as number) > v) {
        buf[p] = buf[p - 1] as number;
        p--;
      }
      buf[p] = v;
    }
  }
  for (let t = 0; t < count; t++) total += buf[t] as number;
  return total;
}
