/**
 * How a daily signal reports the bars before its first value (its warm-up, while its windows
 * fill): `'zero'` is the spec's `fillna(0)` (so "no value yet" reads as a 0); `'nan'` keeps
 * those bars NaN. After the first value both give the spec's 0 wherever a window holds a NaN.
 */
export type WarmupMode = 'zero' | 'nan';

/**
 * What a NaN bar reports before the signal's first value: 0 (`'zero'`) or NaN (`'nan'`); from
 * the first value on, 0 — the values {@link Warmup.settle} gives bar after bar. The batch
 * functions carry it through their output loop with {@link settleInto} (a settling object kept
 * per call made those loops 15 % slower).
 */
export function warmupFill(mode: WarmupMode): number {
  return mode === 'zero' ? 0 : NaN;
}

/**
 * Writes bar `i`'s reported value to `out` from its raw value and the filler `fill` (see
 * {@link warmupFill}); returns the filler of the next bar (0 from the first value on). Only a
 * NaN bar writes the filler: a value chosen between a raw number and a constant would be
 * boxed where this is not optimised.
 */
export function settleInto(out: Float64Array, i: number, raw: number, fill: number): number {
  if (raw === raw) {
    out[i] = raw;
    return 0;
  }
  out[i] = fill;
  return fill;
}

/**
 * A signal's warm-up: ready from its first value on. {@link settle} turns each raw value (NaN
 * where the spec's value is NaN) into the reported one, bar after bar, for the streaming states
 * ({@link settleInto} is the batch form).
 */
export class Warmup {
  private ready = false;
  /** What the next NaN bar reports ({@link warmupFill}'s value, 0 from the first value on). */
  private fill: number;

  /** @param mode how the bars before the first value are reported. */
  constructor(mode: WarmupMode) {
    this.fill = warmupFill(mode);
  }

  /** Whether the signal has had a value. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The reported value of the next bar from its raw value. */
  settle(raw: number): number {
    if (raw === raw) {
      this.ready = true;
      this.fill = 0;
      return raw;
    }
    return this.fill;
  }
}
