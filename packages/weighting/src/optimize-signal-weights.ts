import { ValidationError } from '@quantpipe/core';
import type { Matrix } from 'ml-matrix';
import {
  boundVertexSearch,
  createVertexSearchWorkspace,
  type VertexSearchWorkspace,
} from './bound-vertex-search';
import { signalWeightObjective } from './signal-objective';

/** A square correlation matrix: an ml-matrix `Matrix` or rows of numbers. */
export type CorrelationInput = Matrix | readonly (readonly number[])[];

/** Input of {@link optimizeSignalWeights}. */
export interface SignalWeightProblem {
  /** Signal names; their order is the order of `ics`, `corr` rows and columns. */
  readonly names: readonly string[];
  /** Information coefficient per signal: an array in `names` order or a record by name. */
  readonly ics: readonly number[] | Readonly<Record<string, number>>;
  /** Signal correlation matrix (n×n, symmetric within 1e-9; the diagonal is not used). */
  readonly corr: CorrelationInput;
  /**
   * The spec's start point (`base_weights`, missing names default to 1/n). The optimiser is
   * global, so these only choose among minimisers whose objectives tie within 1e-14: of the
   * searched points (all weights at a bound but at most one), the one nearest (L1) to the base
   * weights is returned.
   */
  readonly baseWeights?: readonly number[] | Readonly<Record<string, number>>;
  /** Lower bound of every weight (spec 0.05). */
  readonly lower?: number;
  /** Upper bound of every weight (spec 0.5). */
  readonly upper?: number;
}

/** Result of {@link optimizeSignalWeights}. */
export interface SignalWeights {
  /** Weight per signal name, in `names` order; inside the bounds, summing to 1 within 1e-12. */
  readonly weights: Record<string, number>;
  /** The spec's objective at `weights`, evaluated in the seed's order. */
  readonly objective: number;
}

/** Largest number of signals accepted (the search is exponential in the worst case). */
export const MAX_OPTIMISED_SIGNALS = 32;

function readCorr(corr: CorrelationInput): (i: number, j: number) => number {
  if (Array.isArray(corr)) {
    const rows = corr as readonly (readonly number[])[];
    return (i, j) => rows[i]?.[j] as number;
  }
  const m = corr as Matrix;
  return (i, j) => m.get(i, j);
}

function corrShape(corr: CorrelationInput): [number, number[]] {
  if (Array.isArray(corr)) {
    const rows = corr as readonly (readonly number[])[];
    return [rows.length, rows.map((r) => (Array.isArray(r) ? r.length : -1))];
  }
  const m = corr as Matrix;
  if (m === null || typeof m !== 'object' || typeof m.get !== 'function') return [-1, []];
  return [m.rows, new Array<number>(m.rows).fill(m.columns)];
}

function valueFor(
  source: readonly number[] | Readonly<Record<string, number>>,
  names: readonly string[],
  i: number,
  fallback: number | undefined,
  argument: string,
): number {
  const name = names[i] as string;
  let v: number | undefined;
  if (Array.isArray(source)) v = (source as readonly number[])[i];
  else v = (source as Readonly<Record<string, number>>)[name];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ValidationError(`${argument}.${name}`, 'missing');
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ValidationError(`${argument}.${name}`, `expected a finite number, got ${String(v)}`);
  }
  return v;
}

/**
 * Throws a ValidationError unless `[lower, upper]` are finite bounds that `n` weights summing
 * to 1 can meet: `lower` when `lower·n > 1`, `upper` when `upper·n < 1` or `upper < lower`.
 */
export function assertWeightBounds(lower: number, upper: number, n: number): void {
  if (!Number.isFinite(lower))
    throw new ValidationError('lower', `expected a finite number, got ${lower}`);
  if (!Number.isFinite(upper))
    throw new ValidationError('upper', `expected a finite number, got ${upper}`);
  if (upper < lower) throw new ValidationError('upper', `upper ${upper} is below lower ${lower}`);
  if (lower * n > 1 + 1e-12) {
    throw new ValidationError('lower', `infeasible: lower ${lower} × ${n} signals > 1`);
  }
  if (upper * n < 1 - 1e-12) {
    throw new ValidationError('upper', `infeasible: upper ${upper} × ${n} signals < 1`);
  }
}

/** The objective's interaction coefficient of a pair, `q_ij = 0.5 |corr_ij| / n_pairs`. */
export function interactionCoefficient(corr: number, nPairs: number): number {
  return (0.5 * Math.abs(corr)) / nPairs;
}

/**
 * The global minimiser into `out` (see {@link optimizeSignalWeights}) from the kernel's dense
 * inputs.
 * @throws ValidationError when no feasible point exists.
 */
export function solveWeightsInto(
  ic: Float64Array,
  q: Float64Array,
  lower: number,
  upper: number,
  base: Float64Array,
  out: Float64Array,
  ws: VertexSearchWorkspace,
): Float64Array {
  if (!boundVertexSearch(ic, q, lower, upper, base, out, ws)) {
    throw new ValidationError(
      'lower',
      `no feasible weights for bounds [${lower}, ${upper}] and ${ws.n} signals`,
    );
  }
  return out;
}

/**
 * Validated, dense form of a {@link SignalWeightProblem}, ready for the kernel.
 * Exposed for benchmarks and for callers that solve many problems of one shape.
 */
export interface PreparedSignalWeightProblem {
  /** Signal names, in column order. */
  readonly names: readonly string[];
  /** Number of signals. */
  readonly n: number;
  /** ICs in column order. */
  readonly ic: Float64Array;
  /** Upper-triangle |corr| (n×n row-major; only i < j filled). */
  readonly absCorr: Float64Array;
  /** Kernel coefficients q_ij = 0.5 |corr_ij| / n_pairs, symmetric, zero diagonal. */
  readonly q: Float64Array;
  /** Base weights in column order (1/n where not given). */
  readonly base: Float64Array;
  /** Lower bound of every weight. */
  readonly lower: number;
  /** Upper bound of every weight. */
  readonly upper: number;
}

/**
 * Validates a problem and converts it to typed arrays.
 * @throws ValidationError for empty or duplicate names, a missing or non-finite IC
 *   (`ics.<name>`), a correlation matrix that is not n×n, has non-finite off-diagonal entries or
 *   is not symmetric (`corr`), bad or infeasible bounds (`lower` when lower·n > 1, `upper` when
 *   upper·n < 1 or upper < lower), or a non-finite base weight.
 */
export function prepareSignalWeightProblem(
  problem: SignalWeightProblem,
): PreparedSignalWeightProblem {
  if (problem === null || typeof problem !== 'object')
    throw new ValidationError('problem', 'expected { names, ics, corr }');
  const { names, ics, corr, baseWeights = {}, lower = 0.05, upper = 0.5 } = problem;
  if (!Array.isArray(names) || names.length === 0) {
    throw new ValidationError('names', 'expected at least one signal name');
  }
  const n = names.length;
  if (n > MAX_OPTIMISED_SIGNALS) {
    throw new ValidationError('names', `at most ${MAX_OPTIMISED_SIGNALS} signals, got ${n}`);
  }
  if (new Set(names).size !== n) throw new ValidationError('names', 'duplicate signal names');
  assertWeightBounds(lower, upper, n);
  if (ics === null || typeof ics !== 'object')
    throw new ValidationError('ics', 'expected an array or record');
  if (Array.isArray(ics) && ics.length !== n) {
    throw new ValidationError('ics', `length ${ics.length} differs from names (length ${n})`);
  }
  const [rows, cols] = corrShape(corr);
  if (rows !== n || cols.some((c) => c !== n)) {
    throw new ValidationError(
      'corr',
      `expected a ${n}×${n} square matrix, got ${rows} rows of lengths ${cols.join(',')}`,
    );
  }
  if (Array.isArray(baseWeights) && baseWeights.length !== n) {
    throw new ValidationError(
      'baseWeights',
      `length ${baseWeights.length} differs from names (length ${n})`,
    );
  }
  const at = readCorr(corr);
  const ic = new Float64Array(n);
  const base = new Float64Array(n);
  const absCorr = new Float64Array(n * n);
  const q = new Float64Array(n * n);
  const nPairs = (n * (n - 1)) / 2;
  for (let i = 0; i < n; i++) {
    ic[i] = valueFor(ics, names, i, undefined, 'ics');
    base[i] = valueFor(baseWeights, names, i, 1 / n, 'baseWeights');
    for (let j = i + 1; j < n; j++) {
      const a = at(i, j);
      const b = at(j, i);
      if (
        typeof a !== 'number' ||
        !Number.isFinite(a) ||
        typeof b !== 'number' ||
        !Number.isFinite(b)
      ) {
        throw new ValidationError(
          `corr[${i}][${j}]`,
          `expected finite correlations, got ${String(a)} and ${String(b)}`,
        );
      }
      if (Math.abs(a - b) > 1e-9) {
        throw new ValidationError(
          'corr',
          `not symmetric: corr[${i}][${j}] = ${a} but corr[${j}][${i}] = ${b}`,
        );
      }
      absCorr[i * n + j] = Math.abs(a);
      const coef = interactionCoefficient(a, nPairs);
      q[i * n + j] = coef;
      q[j * n + i] = coef;
    }
  }
  return { names, n, ic, absCorr, q, base, lower, upper };
}

/**
 * Solves a prepared problem into `out` (length n) and returns the objective at the result.
 * No validation and no allocation beyond a small workspace; see {@link optimizeSignalWeights}.
 */
export function solvePreparedSignalWeights(
  p: PreparedSignalWeightProblem,
  out: Float64Array,
): number {
  solveWeightsInto(p.ic, p.q, p.lower, p.upper, p.base, out, createVertexSearchWorkspace(p.n));
  const n = p.n;
  return signalWeightObjective(out, p.ic, (i, j) => p.absCorr[i * n + j] as number);
}

/**
 * The spec's correlation-aware signal weights (section 4.1): minimise
 * `-sum_i w_i ic_i + 0.5 * (sum_{i<j} w_i w_j |corr_ij|) / n_pairs` subject to `sum(w) = 1` and
 * `lower <= w_i <= upper`.
 *
 * Unlike the seed's SLSQP (a local method that can stop short), this returns the exact global
 * minimum: the objective's curvature along any direction e_i - e_j is -|corr_ij| / n_pairs <= 0,
 * so some global minimiser has all weights at a bound but at most one, and those points are
 * searched exhaustively with branch-and-bound pruning (see `bound-vertex-search.ts`). For five
 * signals that is 20 candidates; for 20 signals at most 20·C(19, k) before pruning. Bounds hold
 * exactly and the sum is 1 within rounding (the free weight is `1 - sum of the others`).
 *
 * @throws ValidationError (see {@link prepareSignalWeightProblem}) naming the bad input.
 */
export function optimizeSignalWeights(problem: SignalWeightProblem): SignalWeights {
  const prepared = prepareSignalWeightProblem(problem);
  const out = new Float64Array(prepared.n);
  const objective = solvePreparedSignalWeights(prepared, out);
  const weights: Record<string, number> = {};
  prepared.names.forEach((name, i) => {
    weights[name] = out[i] as number;
  });
  return { weights, objective };
}
