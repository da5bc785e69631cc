/**
 * mulberry32: a small seeded generator of uniform numbers in [0, 1), for tests and benchmarks
 * that must draw the same numbers on every run and machine (kill points, random series, random
 * markets) without depending on a property-testing library's version.
 *
 * @param seed any number; its low 32 bits pick the sequence.
 * @returns a function giving the next number of the sequence at each call.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
