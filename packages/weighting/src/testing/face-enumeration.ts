/**
 * Reference solver for tests: the spec objective's global minimum by enumerating every face
 * of the box (each weight at lo, at hi or free) and solving the KKT system of the free weights
 * with the sum constraint, as `exact_global_minimum` in the shared seed reference. 3^n faces,
 * so only for small n. Returns the best feasible point and its objective (kernel form).
 */
export function faceEnumerationMinimum(
  ic: ArrayLike<number>,
  absCorr: (i: number, j: number) => number,
  lo: number,
  hi: number,
): { weights: number[]; objective: number } | null {
  const n = ic.length;
  const nPairs = (n * (n - 1)) / 2;
  const H: number[][] = [];
  for (let i = 0; i < n; i++) {
    H.push([]);
    for (let j = 0; j < n; j++) {
      (H[i] as number[]).push(
        i === j ? 0 : (0.5 * absCorr(Math.min(i, j), Math.max(i, j))) / nPairs,
      );
    }
  }
  const hij = (i: number, j: number): number => H[i]?.[j] ?? NaN;
  const objective = (w: number[]): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      v -= (ic[i] as number) * (w[i] as number);
      for (let j = 0; j < n; j++) v += 0.5 * (w[i] as number) * hij(i, j) * (w[j] as number);
    }
    return v;
  };
  let best: { weights: number[]; objective: number } | null = null;
  const total = 3 ** n;
  for (let code = 0; code < total; code++) {
    const pattern: number[] = [];
    let c = code;
    for (let i = 0; i < n; i++) {
      pattern.push(c % 3);
      c = Math.floor(c / 3);
    }
    const w = pattern.map((p) => (p === 0 ? lo : p === 1 ? hi : NaN));
    const free = pattern.flatMap((p, i) => (p === 2 ? [i] : []));
    const bound = pattern.flatMap((p, i) => (p !== 2 ? [i] : []));
    const fixedSum = bound.reduce((s, i) => s + (w[i] as number), 0);
    if (free.length === 0) {
      if (Math.abs(fixedSum - 1) > 1e-12) continue;
    } else {
      const k = free.length;
      const K: number[][] = [];
      for (let a = 0; a < k; a++) {
        const i = free[a] as number;
        let rhs = ic[i] as number;
        for (const j of bound) rhs -= hij(i, j) * (w[j] as number);
        K.push([...free.map((j) => hij(i, j)), 1, rhs]);
      }
      K.push([...free.map(() => 1), 0, 1 - fixedSum]);
      const sol = gaussSolve(K);
      if (sol === null) continue;
      free.forEach((i, a) => (w[i] = sol[a] as number));
      if (w.some((x) => x < lo - 1e-12 || x > hi + 1e-12)) continue;
    }
    const v = objective(w);
    if (best === null || v < best.objective - 1e-15) best = { weights: w, objective: v };
  }
  return best;
}

/** Gaussian elimination with partial pivoting on an augmented matrix; null when singular. */
function gaussSolve(aug: number[][]): number[] | null {
  const m = aug.length;
  for (let col = 0; col < m; col++) {
    const at = (r: number, c: number): number => aug[r]?.[c] ?? NaN;
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(at(r, col)) > Math.abs(at(piv, col))) piv = r;
    if (Math.abs(at(piv, col)) < 1e-13) return null;
    const pivotRow = aug[piv] as number[];
    aug[piv] = aug[col] as number[];
    aug[col] = pivotRow;
    for (let r = col + 1; r < m; r++) {
      const row = aug[r] as number[];
      const f = (row[col] as number) / (pivotRow[col] as number);
      for (let c = col; c <= m; c++) row[c] = (row[c] as number) - f * (pivotRow[c] as number);
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    const row = aug[r] as number[];
    let s = row[m] as number;
    for (let c = r + 1; c < m; c++) s -= (row[c] as number) * (x[c] as number);
    x[r] = s / (row[r] as number);
  }
  return x.every(Number.isFinite) ? x : null;
}
