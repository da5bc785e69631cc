import { Matrix } from 'ml-matrix';
import { correlationMatrixInto, createCorrelationScratch } from './pearson';
import { frameShape, type SignalFrame } from './signal-frame';

/**
 * The spec's signal correlation matrix, `signals_df.corr()`: Pearson over the complete pairs
 * of every two columns, computed as pandas does (Welford updates, min_periods 1). Rows and
 * columns follow the frame's column order. An entry is `NaN` when a column is constant over
 * the complete pairs (pandas does the same).
 *
 * @returns a symmetric n×n ml-matrix `Matrix`.
 * @throws ValidationError when column lengths differ or a value is infinite.
 */
export function signalCorrelation(signals: SignalFrame): Matrix {
  const { names, rows } = frameShape(signals);
  const n = names.length;
  const columns = names.map((name) => signals[name] as ArrayLike<number>);
  const values = correlationMatrixInto(
    columns,
    0,
    rows,
    new Float64Array(n * n),
    createCorrelationScratch(n),
  );
  const corr = new Matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) corr.set(i, j, values[i * n + j] as number);
  return corr;
}
