/** Settings shared by the fuzz runner and the test that starts it. */

/** Base seed: every run draws the same inputs (each target mixes in a hash of its name). */
export const FUZZ_SEED = 20261124;

/** A call that takes longer than this fails, even if it returns. */
export const CALL_BOUND_MS = 2000;

/** A call still running after this long is a hang: the runner process is killed. */
export const HANG_MS = 15_000;

/** The seed of one target: {@link FUZZ_SEED} mixed with a hash of its name (FNV-1a). */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (FUZZ_SEED ^ h) >>> 0;
}

/** What the runner reports for one target. */
export interface TargetResult {
  readonly target: string;
  /** Calls made. */
  readonly calls: number;
  /** Calls that threw a QuantpipeError (a typed refusal: accepted). */
  readonly typedErrors: number;
  /** Calls that broke the contract, first few described. */
  readonly failures: readonly string[];
  readonly failureCount: number;
  /** The slowest call, in milliseconds. */
  readonly maxCallMs: number;
}
