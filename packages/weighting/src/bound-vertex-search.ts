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
 * Among minimisers tied within 1e-14 the one nearest to `base` (L1) is returned for n <= 8;
 * for larger n (pruned search) the first one found.
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
  const k = n - 1;
  const delta = hi - lo;
  const delta2 = delta * delta;
  const { marginal, others, chosen, bestPattern, values, smallest, candidate } = ws;
  const prune = n > 8;
  // With pruning (n > 8) only strict improvements are kept, so a flat objective cannot defeat
  // the bound: ties then go to the first point found instead of the one nearest `base`.
  const slack = prune ? -TIE_TOLERANCE : TIE_TOLERANCE;
  let best = Infinity;
  let bestDistance = Infinity;
  let found = false;

  /** Offers the point (f free at gamma, `others[chosen[0..m)]` at hi) with objective v. */
  const consider = (v: number, f: number, gamma: number, m: number): void => {
    if (!(v < best + TIE_TOLERANCE)) return;
    for (let i = 0; i < n; i++) candidate[i] = lo;
    candidate[f] = gamma;
    for (let d = 0; d < m; d++) candidate[others[chosen[d] as number] as number] = hi;
    let dist = 0;
    for (let i = 0; i < n; i++) dist += Math.abs((candidate[i] as number) - (base[i] as number));
    if (v < best - TIE_TOLERANCE || dist < bestDistance) {
      best = Math.min(best, v);
      bestDistance = dist;
      found = true;
      for (let i = 0; i < n; i++) bestPattern[i] = 0;
      bestPattern[f] = 2;
      for (let d = 0; d < m; d++) bestPattern[others[chosen[d] as number] as number] = 1;
    }
  };

  /**
   * Fills `others` (every index but f, by increasing marginal cost) and the depth-0 marginal
   * costs of moving each from lo to hi, at the point "all at lo, w_f = gamma"; returns f there.
   */
  const root = (f: number, gamma: number): number => {
    let c = 0;
    for (let i = 0; i < n; i++) if (i !== f) others[c++] = i;
    let f0 = -(ic[f] as number) * gamma;
    for (let i = 0; i < n; i++) if (i !== f) f0 -= (ic[i] as number) * lo;
    for (let i = 0; i < n; i++) {
      const wi = i === f ? gamma : lo;
      for (let j = i + 1; j < n; j++) f0 += (q[i * n + j] as number) * wi * (j === f ? gamma : lo);
    }
    for (let t = 0; t < k; t++) {
      const i = others[t] as number;
      let g = -(ic[i] as number);
      for (let j = 0; j < n; j++)
        if (j !== i) g += (q[i * n + j] as number) * (j === f ? gamma : lo);
      marginal[t] = delta * g;
    }
    // Insertion sort by marginal (k <= 31): promising candidates first tightens pruning.
    for (let t = 1; t < k; t++) {
      const mt = marginal[t] as number;
      const ot = others[t] as number;
      let p = t;
      while (p > 0 && (marginal[p - 1] as number) > mt) {
        marginal[p] = marginal[p - 1] as number;
        others[p] = others[p - 1] as number;
        p--;
      }
      marginal[p] = mt;
      others[p] = ot;
    }
    return f0;
  };

  for (let m = 0; m < n; m++) {
    let gamma = 1 - (m * hi + (n - 1 - m) * lo);
    if (gamma < lo - SUM_TOLERANCE || gamma > hi + SUM_TOLERANCE) continue;
    gamma = Math.min(hi, Math.max(lo, gamma));

    if (prune && m > 1) {
      // Incumbent first: greedy choice plus 1-swap improvement for every free index, so the
      // exhaustive pass below starts with a tight bound.
      for (let f = 0; f < n; f++) {
        const f0 = root(f, gamma);
        values[0] = greedySwap(f0, m, k, n, delta2, q, others, marginal, chosen, smallest);
        consider(values[0] as number, f, gamma, m);
      }
    }

    for (let f = 0; f < n; f++) {
      values[0] = root(f, gamma);
      let depth = 0;
      chosen[0] = -1;
      if (m === 0) {
        consider(values[0] as number, f, gamma, 0);
        continue;
      }
      while (depth >= 0) {
        const next = (chosen[depth] as number) + 1;
        const remaining = m - depth; // choices still to make, including this one
        const row = depth * n;
        if (next > k - remaining) {
          depth -= 1;
          continue;
        }
        if (remaining === 1) {
          // Last choice: every leaf directly, no descent.
          const v0 = values[depth] as number;
          for (let t = next; t < k; t++) {
            const v = v0 + (marginal[row + t] as number);
            if (v < best + slack) {
              chosen[depth] = t;
              consider(v, f, gamma, m);
            }
          }
          depth -= 1;
          continue;
        }
        chosen[depth] = next;
        if (prune) {
          // Lower bound: current value plus the `remaining` smallest marginals from `next` on
          // (valid because interactions only add cost); later `next` only shrink the choice.
          const lb =
            (values[depth] as number) +
            sumOfSmallest(marginal, row + next, k - next, remaining, smallest);
          if (lb > best + slack) {
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

/**
 * Heuristic incumbent for one free index: greedily picks the `m` candidates with the smallest
 * marginal cost (updating costs after each pick), then applies improving 1-swaps. Leaves the
 * chosen positions in `chosen[0..m)` and returns the objective. Uses `scratch` (length >= n)
 * for the marginal costs with respect to the chosen set.
 */
function greedySwap(
  f0: number,
  m: number,
  k: number,
  n: number,
  delta2: number,
  q: Float64Array,
  others: Int32Array,
  rootMarginal: Float64Array,
  chosen: Int32Array,
  scratch: Float64Array,
): number {
  // g[t]: cost of moving others[t] to hi given the chosen set (excluding itself).
  const g = scratch;
  for (let t = 0; t < k; t++) g[t] = rootMarginal[t] as number;
  const inSet = new Uint8Array(k);
  let value = f0;
  const add = (t: number, sign: number): void => {
    const i = others[t] as number;
    for (let u = 0; u < k; u++) {
      if (u !== t)
        g[u] = (g[u] as number) + sign * delta2 * (q[i * n + (others[u] as number)] as number);
    }
  };
  for (let d = 0; d < m; d++) {
    let pick = -1;
    for (let t = 0; t < k; t++) {
      if (inSet[t] === 0 && (pick < 0 || (g[t] as number) < (g[pick] as number))) pick = t;
    }
    inSet[pick] = 1;
    value += g[pick] as number;
    add(pick, 1);
  }
  for (let pass = 0; pass < 4 * k; pass++) {
    let bestGain = -1e-15;
    let out = -1;
    let into = -1;
    for (let a = 0; a < k; a++) {
      if (inSet[a] === 0) continue;
      const ia = others[a] as number;
      for (let b = 0; b < k; b++) {
        if (inSet[b] === 1) continue;
        const gain =
          (g[b] as number) -
          delta2 * (q[ia * n + (others[b] as number)] as number) -
          (g[a] as number);
        if (gain < bestGain) {
          bestGain = gain;
          out = a;
          into = b;
        }
      }
    }
    if (out < 0) break;
    value -= g[out] as number;
    inSet[out] = 0;
    add(out, -1);
    value += g[into] as number;
    inSet[into] = 1;
    add(into, 1);
  }
  let d = 0;
  for (let t = 0; t < k; t++) if (inSet[t] === 1) chosen[d++] = t;
  return value;
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
