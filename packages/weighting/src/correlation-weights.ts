import { ValidationError } from '@quantpipe/core';
import { createVertexSearchWorkspace, type VertexSearchWorkspace } from './bound-vertex-search';
import { cleanWeightInputs } from './dynamic-correlation-weights';
import {
  assertWeightBounds,
  interactionCoefficient,
  solveWeightsInto,
} from './optimize-signal-weights';
import {
  correlationMatrixInto,
  createCorrelationScratch,
  nextReturnIcsInto,
  type CorrelationScratch,
} from './pearson';
import { assertNumbersOrNaN } from './signal-frame';

/** Settings of a {@link CorrelationWeightsWorkspace}. */
export interface CorrelationWeightsOptions {
  /** Lower bound of every weight (spec 0.05). */
  readonly lower?: number;
  /** Upper bound of every weight (spec 0.5). */
  readonly upper?: number;
  /** The start point, in column order (default 1/n each); see `optimizeSignalWeights`. */
  readonly baseWeights?: ArrayLike<number>;
}

/**
 * Settings and buffers of {@link correlationWeightsInto} for frames of `signals` columns,
 * reused across calls (one per thread). After a call, `corr` and `ics` hold the inputs the
 * optimiser saw (NaN replaced by 0) and `constant` flags the constant columns.
 */
export class CorrelationWeightsWorkspace {
  readonly lower: number;
  readonly upper: number;
  /** Base weights in column order. */
  readonly base: Float64Array;
  /** Correlations of the last call, n×n row-major, NaN replaced by 0. */
  readonly corr: Float64Array;
  /** ICs of the last call, NaN replaced by 0. */
  readonly ics: Float64Array;
  /** 1 for each column that was constant over the last call's rows. */
  readonly constant: Uint8Array;
  /** @internal the objective's interaction coefficients */
  readonly q: Float64Array;
  /** @internal */
  readonly work: CorrelationScratch;
  /** @internal */
  readonly search: VertexSearchWorkspace;

  /**
   * @param signals number of signal columns (>= 1).
   * @throws ValidationError for a bad count, bounds that n weights cannot meet, or base weights
   *   of the wrong length or not finite.
   */
  constructor(
    readonly signals: number,
    options: CorrelationWeightsOptions = {},
  ) {
    if (!Number.isInteger(signals) || signals < 1)
      throw new ValidationError('signals', `expected an integer >= 1, got ${String(signals)}`);
    this.lower = options.lower ?? 0.05;
    this.upper = options.upper ?? 0.5;
    assertWeightBounds(this.lower, this.upper, signals);
    this.base = new Float64Array(signals).fill(1 / signals);
    if (options.baseWeights !== undefined) {
      if (options.baseWeights.length !== signals)
        throw new ValidationError('baseWeights', `expected ${signals} weights`);
      for (let i = 0; i < signals; i++) {
        const w = options.baseWeights[i];
        if (typeof w !== 'number' || !Number.isFinite(w))
          throw new ValidationError(`baseWeights[${i}]`, `expected a finite number, got ${w}`);
        this.base[i] = w;
      }
    }
    this.corr = new Float64Array(signals * signals);
    this.ics = new Float64Array(signals);
    this.constant = new Uint8Array(signals);
    this.q = new Float64Array(signals * signals);
    this.work = createCorrelationScratch(signals);
    this.search = createVertexSearchWorkspace(signals);
  }
}

/**
 * `dynamicCorrelationWeights` for columns and a row range, without building frames,
 * records or matrices: the same kernels, so the weights are the same bit for bit
 * (`weights[name]` there is `out[i]` here for the i-th column). For callers that re-estimate
 * often, e.g. every few bars over a trailing window of long series. No IC multipliers.
 *
 * @param columns signal columns (typed arrays or arrays), each at least `to` long.
 * @param returns simple returns aligned with the columns.
 * @param from first row of the window.
 * @param to end of the window (exclusive); the IC pairs `column[s]` with `returns[s + 1]`
 *   for `s + 1 < to`.
 * @param out receives the weights in column order.
 * @throws ValidationError for a bad range, too short or infinite inputs, or no feasible point.
 */
export function correlationWeightsInto(
  columns: readonly ArrayLike<number>[],
  returns: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  ws: CorrelationWeightsWorkspace,
): Float64Array {
  const n = ws.signals;
  if (columns.length !== n)
    throw new ValidationError('columns', `expected ${n} columns, got ${columns.length}`);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from)
    throw new ValidationError('from', `expected 0 <= from <= to, got [${from}, ${to})`);
  if (out.length < n) throw new ValidationError('out', `expected room for ${n} weights`);
  let anyNaN = false;
  for (let c = 0; c < n; c++) {
    const col = columns[c] as ArrayLike<number>;
    if (col.length < to)
      throw new ValidationError(`columns[${c}]`, `length ${col.length} is below ${to}`);
    if (assertNumbersOrNaN(`columns[${c}]`, col, from, to)) anyNaN = true;
  }
  if (returns.length < to)
    throw new ValidationError('returns', `length ${returns.length} is below ${to}`);
  assertNumbersOrNaN('returns', returns, from, to);
  correlationMatrixInto(columns, from, to, ws.corr, ws.work, anyNaN);
  nextReturnIcsInto(columns, returns, from, to, ws.ics, ws.work, anyNaN);
  cleanWeightInputs(ws.corr, ws.ics, ws.constant);
  const nPairs = (n * (n - 1)) / 2;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const coef = interactionCoefficient(ws.corr[i * n + j] as number, nPairs);
      ws.q[i * n + j] = coef;
      ws.q[j * n + i] = coef;
    }
  }
  return solveWeightsInto(ws.ics, ws.q, ws.lower, ws.upper, ws.base, out, ws.search);
}
