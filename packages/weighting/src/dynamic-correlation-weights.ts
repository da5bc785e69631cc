import { ValidationError } from '@quantpipe/core';
import { Matrix } from 'ml-matrix';
import { optimizeSignalWeights } from './optimize-signal-weights';
import { correlationMatrixInto, createCorrelationScratch, nextReturnIcsInto } from './pearson';
import { assertNumbersOrNaN, frameShape, type SignalFrame } from './signal-frame';

/** Options of {@link dynamicCorrelationWeights}. */
export interface DynamicWeightOptions {
  /** Lower bound of every weight (spec 0.05). */
  readonly lower?: number;
  /** Upper bound of every weight (spec 0.5). */
  readonly upper?: number;
  /**
   * Not in the spec: a multiplier per signal applied to its IC before optimising (missing
   * names: 1). The composite pipeline passes health scores here.
   */
  readonly icMultipliers?: Readonly<Record<string, number>>;
}

/** Result of {@link dynamicCorrelationWeights}. */
export interface DynamicWeights {
  /** Weight per signal, in the frame's column order; inside the bounds, summing to 1. */
  readonly weights: Record<string, number>;
  /** The spec's objective at `weights`. */
  readonly objective: number;
  /** ICs of the slice (a NaN IC replaced by 0, as the spec does), before any multiplier. */
  readonly ics: Record<string, number>;
  /** ICs as used by the objective: `ics` times `icMultipliers` (equal to `ics` without them). */
  readonly effectiveIcs: Record<string, number>;
  /** `signals.corr()` as computed (NaN where a column is constant). */
  readonly corr: Matrix;
  /** Names of signals whose correlations were NaN and entered the objective as 0. */
  readonly constantSignals: string[];
}

/**
 * The spec's `DynamicCorrelationWeighter.compute_dynamic_weights` in one call:
 * `corr = signals.corr()`, `ic[col] = signals[col].corr(returns.shift(-1))` within the given
 * slice (so the slice's last row has no next return), a NaN IC becomes 0, then the weights that
 * minimise the spec's objective under `lower <= w <= upper`, `sum(w) = 1`
 * (see {@link optimizeSignalWeights}: the exact global minimum rather than SLSQP's local one).
 *
 * Deviation: a constant signal column has NaN correlations (pandas too), which would make the
 * seed's objective NaN; here they count as 0 (no diversification penalty) and the signal is
 * listed in `constantSignals`.
 *
 * No look-ahead beyond the slice: pass only rows up to the decision time, and the IC uses the
 * pairs (signal[s], return[s + 1]) inside the slice.
 *
 * @param signals signal columns over the slice.
 * @param returns simple returns over the same rows.
 * @param baseWeights the spec's start point (missing names default to 1/n); see
 *   {@link optimizeSignalWeights} for its role.
 * @throws ValidationError for misaligned inputs or infeasible bounds.
 */
export function dynamicCorrelationWeights(
  signals: SignalFrame,
  returns: ArrayLike<number>,
  baseWeights: Readonly<Record<string, number>> = {},
  options: DynamicWeightOptions = {},
): DynamicWeights {
  const { names, rows } = frameShape(signals);
  if (returns.length !== rows) {
    throw new ValidationError(
      'returns',
      `length ${returns.length} differs from the signals (length ${rows})`,
    );
  }
  assertNumbersOrNaN('returns', returns);
  const n = names.length;
  const columns = names.map((name) => signals[name] as ArrayLike<number>);
  const work = createCorrelationScratch(n);
  const corrValues = correlationMatrixInto(columns, 0, rows, new Float64Array(n * n), work);
  const corr = new Matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) corr.set(i, j, corrValues[i * n + j] as number);
  const icValues = nextReturnIcsInto(columns, returns, 0, rows, new Float64Array(n), work);
  const constant = new Uint8Array(n);
  cleanWeightInputs(corrValues, icValues, constant);
  const ics: Record<string, number> = {};
  const effectiveIcs: Record<string, number> = {};
  names.forEach((name, i) => {
    ics[name] = icValues[i] as number;
    const k = options.icMultipliers?.[name] ?? 1;
    if (typeof k !== 'number' || !Number.isFinite(k)) {
      throw new ValidationError(
        `icMultipliers.${name}`,
        `expected a finite number, got ${String(k)}`,
      );
    }
    effectiveIcs[name] = options.icMultipliers === undefined ? ics[name] : ics[name] * k;
  });
  const cleaned: number[][] = [];
  for (let i = 0; i < n; i++) cleaned.push(Array.from(corrValues.subarray(i * n, i * n + n)));
  const { weights, objective } = optimizeSignalWeights({
    names,
    ics: effectiveIcs,
    corr: cleaned,
    baseWeights,
    ...(options.lower === undefined ? {} : { lower: options.lower }),
    ...(options.upper === undefined ? {} : { upper: options.upper }),
  });
  return {
    weights,
    objective,
    ics,
    effectiveIcs,
    corr,
    constantSignals: names.filter((_, i) => constant[i] === 1),
  };
}

/**
 * The spec's cleaning of the weighter's inputs, in place: a NaN IC becomes 0, a NaN
 * correlation becomes 0, and a column whose self-correlation is NaN (it is constant) is flagged
 * in `constant`.
 */
export function cleanWeightInputs(
  corr: Float64Array,
  ics: Float64Array,
  constant: Uint8Array,
): void {
  const n = ics.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(ics[i])) ics[i] = 0;
    // A column correlates NaN with itself exactly when it is constant.
    constant[i] = Number.isNaN(corr[i * n + i]) ? 1 : 0;
    for (let j = 0; j < n; j++) if (Number.isNaN(corr[i * n + j])) corr[i * n + j] = 0;
  }
}
