import { workerExecArgv } from './sweep-pool';

describe('workerExecArgv', () => {
  it('runs a built worker without tsx, keeping the other options', () => {
    expect(workerExecArgv(['--import', 'tsx', '--max-old-space-size=4096'], '.js')).toEqual([
      '--max-old-space-size=4096',
    ]);
    expect(workerExecArgv(['--import=tsx', '--enable-source-maps'], '.cjs')).toEqual([
      '--enable-source-maps',
    ]);
    expect(workerExecArgv(['--import', './telemetry.mjs'], '.js')).toEqual([
      '--import',
      './telemetry.mjs',
    ]);
    expect(workerExecArgv([], '.js')).toEqual([]);
  });

  it('keeps tsx for a built worker of a process on the sources', () => {
    const parent = ['--conditions=@quantpipe/source', '--import', 'tsx'];
    expect(workerExecArgv(parent, '.js')).toEqual(parent);
  });

  it('gives a source worker the source condition and tsx once', () => {
    expect(workerExecArgv([], '.ts')).toEqual([
      '--conditions=@quantpipe/source',
      '--import',
      'tsx',
    ]);
    const parent = ['--conditions=@quantpipe/source', '--import', 'tsx'];
    expect(workerExecArgv(parent, '.ts')).toEqual(parent);
  });
});
