import { Matrix } from 'ml-matrix';
import { welfordCorrelation } from './pearson';
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
  const { names } = frameShape(signals);
  const n = names.length;
  const corr = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    const a = signals[names[i] as string] as ArrayLike<number>;
    for (let j = 0; j <= i; j++) {
      const r = welfordCorrelation(a, signals[names[j] as string] as ArrayLike<number>);
      corr.set(i, j, r);
      corr.set(j, i, r);
    }
  }
  return corr;
}
