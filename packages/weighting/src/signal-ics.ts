import { ValidationError, assertArrayLike } from '@quantpipe/core';
import { createCorrelationScratch, nextReturnIcsInto } from './pearson';
import { assertNumbersOrNaN, frameShape, type SignalFrame } from './signal-frame';

/**
 * The spec's information coefficients: for every signal column,
 * `signal.corr(returns.shift(-1))`, the Pearson correlation of `signal[s]` with the next bar's
 * return `returns[s + 1]` over the complete pairs of the given slice (the slice's last row has
 * no next return). `NaN` is kept here (fewer than two pairs, or a constant column); the spec's
 * weighter turns it into 0 (see {@link dynamicCorrelationWeights}).
 *
 * @param signals signal columns aligned with `returns`.
 * @param returns simple returns of the same bars (NaN allowed, e.g. the first one).
 * @returns IC per signal name, in the frame's column order.
 * @throws ValidationError when lengths differ or a signal or return is infinite.
 */
export function signalIcs(
  signals: SignalFrame,
  returns: ArrayLike<number>,
): Record<string, number> {
  const { names, rows } = frameShape(signals);
  assertArrayLike('returns', returns);
  if (returns.length !== rows) {
    throw new ValidationError(
      'returns',
      `length ${returns.length} differs from the signals (length ${rows})`,
    );
  }
  assertNumbersOrNaN('returns', returns);
  const columns = names.map((name) => signals[name] as ArrayLike<number>);
  const ics = nextReturnIcsInto(
    columns,
    returns,
    0,
    rows,
    new Float64Array(names.length),
    createCorrelationScratch(names.length),
  );
  const out: Record<string, number> = {};
  names.forEach((name, i) => (out[name] = ics[i] as number));
  return out;
}
