import { ConfigError } from '@quantpipe/core';
import { smallSweep } from '../testing/sweep-fixtures';
import { parameterPath, withParameters } from './parameter-keys';
import { parseSweepSpec, sweepIdOf, sweepSpecSha256 } from './sweep-spec';

describe('parameter keys', () => {
  it('name pipeline, top-level and synthetic keys, bare or in full', () => {
    expect(parameterPath('momentum_fast')).toEqual(['pipeline', 'momentum_fast']);
    expect(parameterPath('pipeline.validation_window')).toEqual(['pipeline', 'validation_window']);
    expect(parameterPath('symbols')).toEqual(['symbols']);
    expect(parameterPath('synthetic.seed')).toEqual(['synthetic', 'seed']);
    for (const bad of ['momentum_fats', 'output_dir', 'run_id', 'pipeline.nope', 'synthetic.x'])
      expect(() => parameterPath(bad)).toThrow(ConfigError);
  });

  it('set values on a copy of the base', () => {
    const base = { symbols: ['SYNA'], pipeline: { max_leverage: 2 }, synthetic: { sessions: 300 } };
    const out = withParameters(base, {
      'pipeline.momentum_fast': 10,
      symbols: ['SYNB', 'SYNC'],
      'synthetic.seed': 7,
    });
    expect(out).toEqual({
      symbols: ['SYNB', 'SYNC'],
      pipeline: { max_leverage: 2, momentum_fast: 10 },
      synthetic: { sessions: 300, seed: 7 },
    });
    expect(base).toEqual({
      symbols: ['SYNA'],
      pipeline: { max_leverage: 2 },
      synthetic: { sessions: 300 },
    });
  });
});

describe('parseSweepSpec', () => {
  it('fills defaults and names keys canonically', () => {
    const spec = parseSweepSpec(smallSweep());
    expect(spec.objective).toBe('sharpe');
    expect(spec.top).toBe(10);
    expect(Object.keys(spec.grid ?? {})).toEqual([
      'pipeline.momentum_fast',
      'pipeline.max_leverage',
      'pipeline.min_leverage',
    ]);
    expect(spec.heatmap).toEqual({ x: 'pipeline.momentum_fast', y: 'pipeline.max_leverage' });
  });

  it('refuses unknown keys, bad values and inconsistent settings, naming them', () => {
    const refused = (input: unknown, text: string): void => {
      expect(() => parseSweepSpec(input)).toThrow(ConfigError);
      expect(() => parseSweepSpec(input)).toThrow(text);
    };
    refused({ grid: { momentum_fats: [1] } }, 'grid.momentum_fats');
    refused({ grid: { momentum_fast: [] } }, 'at least one value');
    refused({ grid: { momentum_fast: [1], 'pipeline.momentum_fast': [2] } }, 'repeats');
    refused({ objective: 'profit' }, 'objective');
    refused({ pbo_partitions: 7 }, 'even');
    refused({ grids: {} }, 'unknown key "grids"');
    refused(
      {
        grid: { start: ['2020-01-02'] },
        walk_forward: { in_sample_sessions: 100, out_of_sample_sessions: 20 },
      },
      'the folds set the period',
    );
    refused(
      {
        walk_forward: { in_sample_sessions: 100, out_of_sample_sessions: 20, step_sessions: 10 },
      },
      'would overlap',
    );
    refused(
      { grid: { momentum_fast: [1] }, heatmap: { x: 'momentum_fast', y: 'tail_window' } },
      'not a parameter',
    );
    refused({ grid: { momentum_fast: [1] }, list: [{ momentum_fast: 2 }] }, 'in the grid too');
  });

  it('gives equal specs the same id, whatever the key order', () => {
    const a = parseSweepSpec({ grid: { momentum_fast: [10, 20] }, objective: 'sortino' });
    const b = parseSweepSpec({
      objective: 'sortino',
      grid: { 'pipeline.momentum_fast': [10, 20] },
    });
    expect(sweepSpecSha256(a)).toBe(sweepSpecSha256(b));
    expect(sweepIdOf(a)).toMatch(/^sw-[0-9a-f]{12}$/);
    expect(sweepIdOf(parseSweepSpec({ name: 'momentum-grid' }))).toBe('momentum-grid');
    expect(sweepIdOf(parseSweepSpec({ grid: { momentum_fast: [10, 30] } }))).not.toBe(sweepIdOf(a));
  });
});
