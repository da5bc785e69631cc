/**
 * Timing helpers shared by the benchmark scripts: warm up, time repeated runs with
 * `process.hrtime.bigint()`, report robust statistics (median and percentiles, not means).
 */

/** Statistics of repeated timings, in milliseconds. */
export interface TimingStats {
  readonly runs: number;
  readonly minMs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Linear-interpolated quantile of an ascending array (q in [0, 1]). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  const lo = sorted[i] as number;
  const hi = sorted[Math.min(i + 1, sorted.length - 1)] as number;
  return lo + (hi - lo) * (h - i);
}

/** Summary statistics of a sample of durations in milliseconds. */
export function summarize(samplesMs: readonly number[]): TimingStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    minMs: sorted[0] ?? Number.NaN,
    medianMs: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    p99Ms: quantileSorted(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Untimed runs first, so the JIT has compiled the hot paths. Default 3. */
  readonly warmupRuns?: number;
  /** Timed runs. Default 10. */
  readonly runs?: number;
}

/** Runs `fn` `warmupRuns` times untimed, then `runs` times timed; returns the statistics. */
export function measure(fn: () => unknown, options: MeasureOptions = {}): TimingStats {
  const warmupRuns = options.warmupRuns ?? 3;
  const runs = options.runs ?? 10;
  for (let i = 0; i < warmupRuns; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return summarize(samples);
}

/** `12345678` -> `"12.35 M"`: a rate or count with an SI prefix. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)} G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(2)} k`;
  return value.toFixed(2);
}

/** A line describing the machine, printed at the top of every benchmark. */
export function machineLine(): string {
  return `node ${process.version}, ${process.platform}/${process.arch}`;
}
