import type { SweepSpecInput } from '../sweep/sweep-spec';

/** A small, quick base config: two synthetic stocks, 400 sessions, 250 of them traded. */
export const SMALL_BASE: NonNullable<SweepSpecInput['base']> = {
  symbols: ['SYNA', 'SYNB'],
  synthetic: { sessions: 400, hourly: false },
  warmup_sessions: 150,
};

/**
 * A small grid: 2 × 2 × 2 = 8 configurations, of which the 4 with min_leverage 3 above
 * max_leverage are refused by the config (failed jobs).
 */
export function smallSweep(overrides: Partial<SweepSpecInput> = {}): SweepSpecInput {
  return {
    base: { ...SMALL_BASE },
    grid: {
      momentum_fast: [10, 20],
      'pipeline.max_leverage': [1, 2],
      min_leverage: [1, 3],
    },
    ...(overrides.grid ? {} : { heatmap: { x: 'momentum_fast', y: 'max_leverage' } }),
    pbo_partitions: 8,
    ...overrides,
  };
}
