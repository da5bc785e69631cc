import { parseSweepSpec, type SweepSpec } from '@quantpipe/backtest';

/** The sweep benchmark's workload. */
export interface BenchShape {
  readonly configs: number;
  readonly symbols: number;
  readonly sessions: number;
}

/**
 * `configs` configurations: momentum_fast over 2..(configs/2+1) x two leverage caps; `part`
 * (0 or 1) keeps one half of the momentum values, for a sweep split across two processes.
 */
export function benchSpec(name: string, shape: BenchShape, part?: 0 | 1): SweepSpec {
  const all = Array.from({ length: Math.max(1, Math.floor(shape.configs / 2)) }, (_, i) => 2 + i);
  const half = Math.ceil(all.length / 2);
  const fast = part === undefined ? all : part === 0 ? all.slice(0, half) : all.slice(half);
  return parseSweepSpec({
    name,
    base: {
      synthetic: { sessions: shape.sessions, hourly: false, universe_size: shape.symbols },
      reweight: 'monthly',
      progress: false,
    },
    grid: { momentum_fast: fast, max_leverage: shape.configs > 1 ? [1, 1.5] : [1] },
  });
}
