// Deterministic random inputs for the bit-identity checks: a seeded generator (independent of
// fast-check's version) producing series with NaN gaps, constant runs (0, -0, tiny values),
// huge and tiny magnitudes, infinities and series far from 0.

/** One of `choices`, uniformly. */
export function pick<T>(rand: () => number, choices: readonly T[]): T {
  return choices[Math.floor(rand() * choices.length)] as T;
}

/** An integer in [min, max]. */
export function integer(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

const SCALES = [0.01, 0.05, 0.2, 1e-8, 1e3, 1e-150, 1e150];
const CONSTANTS = [0, -0, 0.01, -0.02, 1e-300, 5e-324, 3];
const EXTREMES = [1e300, -1e300, 1e-300, -5e-324, 1e150, -1e-150, 1.7976931348623157e308];

/** Options of {@link randomSeries}. */
export interface RandomSeriesOptions {
  /** Include ±Infinity (default true). */
  readonly infinities?: boolean;
  /** Rare gaps: runs of NaN, extremes and infinities become 30x less frequent (default false). */
  readonly clean?: boolean;
}

/**
 * A series of `n` values made of runs: noise at a random scale (sometimes around a level far
 * from 0), constant runs, NaN runs, single extreme values and ±Infinity.
 */
export function randomSeries(
  rand: () => number,
  n: number,
  options: RandomSeriesOptions = {},
): number[] {
  const infinities = options.infinities ?? true;
  const out: number[] = [];
  while (out.length < n) {
    // a clean series draws the rare kinds (NaN runs, extremes, infinities) 30x less often
    const draw = rand();
    const kind =
      options.clean === true && draw >= 0.62 && draw < 0.83 && rand() > 1 / 30 ? 0.9 : draw;
    const len = integer(rand, 1, 14);
    if (kind < 0.5) {
      const scale = pick(rand, SCALES);
      const level = rand() < 0.15 ? pick(rand, [1e6, -3e4, 1e12]) : 0;
      for (let i = 0; i < len; i++) out.push(level + (rand() * 2 - 1) * scale);
    } else if (kind < 0.62) {
      const c = pick(rand, CONSTANTS);
      for (let i = 0; i < len; i++) out.push(c);
    } else if (kind < 0.72) {
      for (let i = 0; i < Math.min(len, 4); i++) out.push(Number.NaN);
    } else if (kind < 0.8) {
      out.push(pick(rand, EXTREMES) * (0.5 + rand()));
    } else if (kind < 0.83 && infinities) {
      out.push(rand() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    } else {
      for (let i = 0; i < len; i++) out.push((rand() * 2 - 1) * 0.03);
    }
  }
  return out.slice(0, n);
}

/** Strictly positive finite closes of `n` bars: a random walk with flat runs, any magnitude (2^-664 to 2^664 to start). */
export function randomCloses(rand: () => number, n: number): number[] {
  // 2^e by exact doublings rather than `10 ** x`: pow's last bit differs between V8 versions,
  // and these inputs feed recorded digests
  const exponent = Math.floor(rand() * 1329) - 664;
  let p = 1;
  for (let e = 0; e < Math.abs(exponent); e++) p = exponent > 0 ? p * 2 : p / 2;
  const out: number[] = [];
  while (out.length < n) {
    const len = integer(rand, 1, 20);
    const flat = rand() < 0.15;
    const vol = pick(rand, [0.001, 0.02, 0.08, 0.3]);
    for (let i = 0; i < len && out.length < n; i++) {
      if (!flat) p *= Math.max(0.05, 1 + (rand() * 2 - 1) * vol);
      out.push(p);
    }
  }
  return out;
}

/** `n` increasing ISO dates from a random start, with gaps of 1 to 4 days. */
export function randomDates(rand: () => number, n: number): string[] {
  let t = Date.UTC(integer(rand, 1990, 2030), 0, 1) + integer(rand, 0, 364) * 86_400_000;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    t += integer(rand, 1, 4) * 86_400_000;
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
