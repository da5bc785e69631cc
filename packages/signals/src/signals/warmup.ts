/**
 * How a daily signal reports the bars before its first value (its warm-up, while its windows
 * fill): `'zero'` is the spec's `fillna(0)` (so "no value yet" reads as a 0); `'nan'` keeps
 * those bars NaN. After the first value both give the spec's 0 wherever a window holds a NaN.
 */
export type WarmupMode = 'zero' | 'nan';

/**
 * A signal's warm-up: ready from its first value on. {@link settle} turns each raw value (NaN
 * where the spec's value is NaN) into the reported one, bar after bar, for the batch functions
 * and the streaming states alike.
 */
export class Warmup {
  private ready = false;
  private readonly mode: WarmupMode;

  /** @param mode how the bars before the first value are reported. */
  constructor(mode: WarmupMode) {
    this.mode = mode;
  }

  /** Whether the signal has had a value. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The reported value of the next bar from its raw value. */
  settle(raw: number): number {
    if (raw === raw) {
      this.ready = true;
      return raw;
    }
    return this.ready || this.mode === 'zero' ? 0 : NaN;
  }
}
