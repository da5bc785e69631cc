import { ConfigError } from '@quantpipe/core';
import { parseSweepSpec } from './sweep-spec';
import { parameterSets, sweepJobs } from './sweep-jobs';
import { walkForwardFolds } from './walk-forward-folds';

const SESSIONS = Array.from({ length: 30 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`);

describe('parameterSets', () => {
  it('runs the grid product, the last key fastest, each list entry with every grid point', () => {
    const spec = parseSweepSpec({
      grid: { momentum_fast: [10, 20], max_leverage: [1, 2, 3] },
      list: [{ symbols: ['SYNA'] }, { symbols: ['SYNB', 'SYNC'] }],
    });
    const sets = parameterSets(spec);
    expect(sets).toHaveLength(12);
    expect(sets[0]).toEqual({
      index: 0,
      values: { symbols: ['SYNA'], 'pipeline.momentum_fast': 10, 'pipeline.max_leverage': 1 },
    });
    expect(sets[1]?.values['pipeline.max_leverage']).toBe(2);
    expect(sets[6]?.values['symbols']).toEqual(['SYNB', 'SYNC']);
    expect(parameterSets(parseSweepSpec({}))).toEqual([{ index: 0, values: {} }]);
  });
});

describe('walkForwardFolds', () => {
  it('rolls fixed in-sample windows and tiles the out-of-sample ones', () => {
    const folds = walkForwardFolds(SESSIONS, {
      mode: 'rolling',
      in_sample_sessions: 10,
      out_of_sample_sessions: 5,
    });
    expect(
      folds.map((f) => [f.inSample.start, f.inSample.end, f.outOfSample.start, f.outOfSample.end]),
    ).toEqual([
      ['2024-02-01', '2024-02-10', '2024-02-11', '2024-02-15'],
      ['2024-02-06', '2024-02-15', '2024-02-16', '2024-02-20'],
      ['2024-02-11', '2024-02-20', '2024-02-21', '2024-02-25'],
      ['2024-02-16', '2024-02-25', '2024-02-26', '2024-02-30'],
    ]);
    expect(folds.every((f) => f.inSample.sessions === 10 && f.outOfSample.sessions === 5)).toBe(
      true,
    );
  });

  it('anchors every in-sample window at the first session, and steps as told', () => {
    const folds = walkForwardFolds(SESSIONS, {
      mode: 'anchored',
      in_sample_sessions: 10,
      out_of_sample_sessions: 5,
      step_sessions: 8,
    });
    expect(folds.map((f) => [f.inSample.start, f.inSample.sessions, f.outOfSample.start])).toEqual([
      ['2024-02-01', 10, '2024-02-11'],
      ['2024-02-01', 18, '2024-02-19'],
    ]);
    expect(() =>
      walkForwardFolds(SESSIONS, {
        mode: 'rolling',
        in_sample_sessions: 28,
        out_of_sample_sessions: 5,
      }),
    ).toThrow(ConfigError);
  });
});

describe('sweepJobs', () => {
  it('makes one job a configuration without folds, two a fold with them', () => {
    const spec = parseSweepSpec({ base: { symbols: ['SYNA'] }, grid: { momentum_fast: [10, 20] } });
    const plain = sweepJobs(spec, 'sw-x');
    expect(plain.map((j) => j.jobId)).toEqual(['p0000', 'p0001']);
    expect(plain[1]).toMatchObject({
      sweepId: 'sw-x',
      runId: 'sw-x.p0001',
      phase: 'full',
      foldIndex: null,
      parameters: { 'pipeline.momentum_fast': 20 },
      config: {
        symbols: ['SYNA'],
        pipeline: { momentum_fast: 20 },
        run_id: 'sw-x.p0001',
        progress: false,
      },
      objective: 'sharpe',
    });
    const folds = walkForwardFolds(SESSIONS, {
      mode: 'rolling',
      in_sample_sessions: 10,
      out_of_sample_sessions: 10,
    });
    const wf = sweepJobs(spec, 'sw-x', folds);
    expect(wf.map((j) => j.jobId)).toEqual([
      'p0000-f00-is',
      'p0000-f00-oos',
      'p0000-f01-is',
      'p0000-f01-oos',
      'p0001-f00-is',
      'p0001-f00-oos',
      'p0001-f01-is',
      'p0001-f01-oos',
    ]);
    expect(wf[3]?.config).toMatchObject({ start: '2024-02-21', end: '2024-02-30' });
    expect(wf[2]?.config).toMatchObject({ start: '2024-02-11', end: '2024-02-20' });
  });
});
