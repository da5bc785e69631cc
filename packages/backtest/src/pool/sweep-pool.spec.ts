import { smallSweep } from '../testing/sweep-fixtures';
import { planSweep } from '../sweep/prepare-sweep';
import type { SweepJob } from '../sweep/sweep-jobs';
import { parseSweepSpec } from '../sweep/sweep-spec';
import { onPoolError, SweepPool, workerExecArgv } from './sweep-pool';

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

describe('onPoolError', () => {
  it('drops the late result of an aborted job and passes on any other error', () => {
    const seen: string[] = [];
    onPoolError(new Error('Unexpected message from Worker: { taskId: 15, result: {} }'), (e) =>
      seen.push(e.message),
    );
    expect(seen).toEqual([]);
    onPoolError(new Error('worker exited with code 1'), (e) => seen.push(e.message));
    expect(seen).toEqual(['worker exited with code 1']);
  });
});

describe('SweepPool', () => {
  it('survives a job aborted after its thread sent the result', async () => {
    const plan = await planSweep(parseSweepSpec(smallSweep()));
    const errors: Error[] = [];
    const pool = new SweepPool({ threads: 1, onError: (e) => errors.push(e) });
    try {
      const [first, second] = plan.jobs as [SweepJob, SweepJob];
      await pool.run(first);
      const stop = new AbortController();
      const running = pool.run(second, stop.signal);
      const outcome = running.then(
        () => 'finished',
        (error: unknown) => (error as Error).name,
      );
      // Hold this thread past the job's end, so that its result waits in the queue, then abort.
      const until = Date.now() + 4000;
      while (Date.now() < until);
      stop.abort();
      expect(await outcome).toBe('AbortError');
      // the pool still runs jobs, and had nothing else to report
      expect((await pool.run(second)).jobId).toBe(second.jobId);
      expect(errors).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
