/**
 * How a daily signal reports the bars before its first value (its warm-up, while its windows
 * fill): `'zero'` is the spec's `fillna(0)` (so "no value yet" reads as a 0); `'nan'` keeps
 * those bars NaN. After the first value both give the spec's 0 wherever a window holds a NaN.
 */
export type WarmupMode = 'zero' | 'nan';

/** The signal at one bar from its raw value (NaN where undefined) once `ready` is known. */
export function settleValue(raw: number, ready: boolean, mode: WarmupMode): number {
  return raw === raw ? raw : ready || mode === 'zero' ? 0 : NaN;
}

/**
 * Replaces the NaN of a raw signal series in place with {@link settleValue} (`ready` from the
 * first non-NaN value on) and returns it.
 */
export function settleSignal(values: Float64Array, mode: WarmupMode): Float64Array {
  let ready = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    ready = ready || v === v;
    values[i] = settleValue(v, ready, mode);
  }
  return values;
}
