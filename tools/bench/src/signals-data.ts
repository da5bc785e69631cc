/**
 * Deterministic synthetic daily market for the signals benchmark: a seeded PRNG (mulberry32),
 * Gaussian returns (Box-Muller) with a market factor, business-day dates.
 */

/** mulberry32: a small, fast, seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box-Muller). */
export function gaussian(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** `count` business days (Mon-Fri) from `startIso`, as YYYY-MM-DD. */
export function businessDays(startIso: string, count: number): string[] {
  const out: string[] = [];
  let t = Date.parse(`${startIso}T00:00:00Z`);
  while (out.length < count) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return out;
}

/** One synthetic universe: shared dates, the market's closes and each symbol's closes. */
export interface SyntheticUniverse {
  readonly dates: string[];
  readonly marketClose: Float64Array;
  readonly closes: Float64Array[];
}

/** Builds `symbols` x `bars` daily closes; the same seed gives the same universe. */
export function syntheticUniverse(symbols: number, bars: number, seed: number): SyntheticUniverse {
  const normal = gaussian(mulberry32(seed));
  const dates = businessDays('2011-01-03', bars);
  const market = new Float64Array(bars);
  const marketClose = new Float64Array(bars);
  let m = 200;
  for (let i = 0; i < bars; i++) {
    market[i] = 0.0003 + 0.011 * normal();
    m *= 1 + (market[i] as number);
    marketClose[i] = m;
  }
  const closes: Float64Array[] = [];
  for (let s = 0; s < symbols; s++) {
    const beta = 0.5 + normal() * 0.3 + 0.5;
    const vol = 0.01 + 0.01 * Math.abs(normal());
    const c = new Float64Array(bars);
    let p = 20 + 200 * Math.abs(normal());
    for (let i = 0; i < bars; i++) {
      p *= 1 + beta * (market[i] as number) + vol * normal();
      if (p < 0.01) p = 0.01;
      c[i] = p;
    }
    closes.push(c);
  }
  return { dates, marketClose, closes };
}
