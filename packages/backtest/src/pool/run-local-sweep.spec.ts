import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSweep, listSweepJobs, openDatabase } from '@quantpipe/storage';
import { smallSweep } from '../testing/sweep-fixtures';
import { MarketCache } from '../sweep/market-cache';
import { planSweep } from '../sweep/prepare-sweep';
import { runSweepJob } from '../sweep/run-sweep-job';
import { parseSweepSpec } from '../sweep/sweep-spec';
import { runLocalSweep } from './run-local-sweep';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qp-sweep-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runLocalSweep', () => {
  it('runs every job on the pool, records failures, and gives each job the answer it has alone', async () => {
    const spec = parseSweepSpec(smallSweep());
    const progress: number[] = [];
    const result = await runLocalSweep({
      spec,
      outputDir: dir,
      threads: 2,
      onProgress: (p) => progress.push(p.recorded),
    });
    expect(result.interrupted).toBe(false);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const db = await openDatabase(result.databaseUrl);
    try {
      const jobs = await listSweepJobs(db, result.plan.sweepId);
      expect(jobs.map((j) => j.jobId)).toEqual(result.plan.jobs.map((j) => j.jobId));
      const failed = jobs.filter((j) => j.status === 'failed');
      // min_leverage 3 above max_leverage 1 or 2: refused by the config, the sweep goes on.
      expect(failed.map((j) => j.parameters['pipeline.min_leverage'])).toEqual([3, 3, 3, 3]);
      for (const f of failed) {
        expect(f.error?.code).toBe('E_CONFIG');
        expect(f.error?.message).toContain('min_leverage');
      }
      expect(jobs.filter((j) => j.status === 'done')).toHaveLength(4);
      // Same answer everywhere: each job run alone (own market, no cache) matches the pool's.
      for (const job of result.plan.jobs.filter(
        (j) => j.parameters['pipeline.min_leverage'] === 1,
      )) {
        const alone = await runSweepJob(job);
        const pooled = jobs.find((j) => j.jobId === job.jobId);
        expect(JSON.stringify(alone.metrics)).toBe(JSON.stringify(pooled?.metrics));
        expect(alone.dailyEquity).toEqual(pooled?.dailyEquity);
        expect(alone.objective).toBe(pooled?.objective);
        expect(pooled?.worker).toMatch(/\/\d+\/[1-9]\d*$/); // a worker thread, not the main one
      }
      expect((await getSweep(db, result.plan.sweepId))?.status).toBe('finished');
    } finally {
      await db.close();
    }
    const summary = result.summary;
    expect(summary?.jobs).toEqual({ total: 8, done: 4, failed: 4, missing: 0 });
    expect(summary?.best?.objective).toBe(
      Math.max(...(summary?.top ?? []).map((c) => c.objective ?? -Infinity)),
    );
    expect(summary?.deflatedSharpe.trials).toBe(4);
    expect(summary?.deflatedSharpe.value).toBeGreaterThan(0);
    expect(summary?.pbo.trials).toBe(4);
    expect(summary?.pbo.combinations).toBe(70);
    const csv = readFileSync(result.outputs?.sweepCsv as string, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'job_id,param_index,fold,phase,pipeline.momentum_fast,pipeline.max_leverage,pipeline.min_leverage,status,objective,sharpe,total_return,max_drawdown,run_id,duration_ms,worker,error',
    );
    expect(csv).toHaveLength(9);
    const json = JSON.parse(readFileSync(result.outputs?.sweepJson as string, 'utf8')) as {
      summary: { sweepId: string };
      jobs: unknown[];
    };
    expect(json.summary.sweepId).toBe(result.plan.sweepId);
    expect(json.jobs).toHaveLength(8);
  }, 120_000);

  it('resumes: recorded jobs are not run again', async () => {
    const spec = parseSweepSpec(smallSweep({ grid: { momentum_fast: [10, 20, 30] } }));
    const plan = await planSweep(spec);
    const first = await runLocalSweep({ spec, outputDir: dir, threads: 1 });
    expect(first.ranNow).toBe(3);
    await expect(runLocalSweep({ spec, outputDir: dir, threads: 1 })).rejects.toThrow('--resume');
    const again = await runLocalSweep({ spec, outputDir: dir, threads: 1, resume: true });
    expect(again).toMatchObject({ skipped: 3, ranNow: 0, interrupted: false });
    expect(again.plan.sweepId).toBe(plan.sweepId);
  }, 120_000);

  it('stops cleanly when aborted, keeping what finished', async () => {
    const spec = parseSweepSpec(smallSweep({ grid: { momentum_fast: [5, 10, 15, 20, 25, 30] } }));
    const stop = new AbortController();
    const result = await runLocalSweep({
      spec,
      outputDir: dir,
      threads: 1,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.recorded === 2) stop.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.summary).toBeUndefined();
    const db = await openDatabase(result.databaseUrl);
    try {
      expect((await listSweepJobs(db, result.plan.sweepId)).length).toBe(2);
    } finally {
      await db.close();
    }
    const resumed = await runLocalSweep({ spec, outputDir: dir, threads: 2, resume: true });
    expect(resumed).toMatchObject({ skipped: 2, ranNow: 4, interrupted: false });
  }, 120_000);
});

describe('walk-forward sweep', () => {
  it('chooses in-sample, measures out-of-sample and stitches the out-of-sample equity', async () => {
    const spec = parseSweepSpec(
      smallSweep({
        grid: { momentum_fast: [10, 30], max_leverage: [1, 2] },
        heatmap: { x: 'momentum_fast', y: 'max_leverage' },
        walk_forward: { mode: 'rolling', in_sample_sessions: 100, out_of_sample_sessions: 50 },
        pbo_partitions: 4,
      }),
    );
    const result = await runLocalSweep({ spec, outputDir: dir, threads: 2 });
    const summary = result.summary;
    const wf = summary?.walkForward;
    // 250 traded sessions: out-of-sample windows at 100, 150 and 200.
    expect(wf?.folds.map((f) => [f.inSample.sessions, f.outOfSample.sessions])).toEqual([
      [100, 50],
      [100, 50],
      [100, 50],
    ]);
    expect(result.plan.jobs).toHaveLength(4 * 3 * 2);
    const db = await openDatabase(result.databaseUrl);
    const jobs = await listSweepJobs(db, result.plan.sweepId);
    await db.close();
    const capital = 1_000_000;
    let equity = capital;
    for (const fold of wf?.folds ?? []) {
      // The chosen configuration is the in-sample best of its fold...
      const inSample = jobs.filter((j) => j.foldIndex === fold.index && j.phase === 'in_sample');
      const best = Math.max(...inSample.map((j) => j.objective ?? -Infinity));
      expect(fold.inSampleObjective).toBe(best);
      const oos = jobs.find(
        (j) =>
          j.foldIndex === fold.index &&
          j.phase === 'out_of_sample' &&
          j.paramIndex === fold.chosenParamIndex,
      );
      expect(fold.outOfSampleObjective).toBe(oos?.objective);
      // ...and its out-of-sample run is chained onto the curve: the stitched equity grows by
      // the same factor over the fold as that run's own equity.
      equity *= (oos?.dailyEquity?.equityUsd.at(-1) as number) / capital;
    }
    expect(wf?.stitched.dates).toHaveLength(150);
    expect(wf?.stitched.equityUsd.at(-1)).toBeCloseTo(equity, 4);
    expect(wf?.hindsight?.paramIndex).toBe(summary?.best?.paramIndex);
    expect(wf?.probabilisticSharpe).toBeGreaterThanOrEqual(0);
    expect(summary?.evaluation).toBe('stitched out-of-sample');
    expect(summary?.pbo.periodsUsed).toBe(148);
  }, 180_000);
});

describe('MarketCache', () => {
  it('opens the same market as openMarket, once per period', async () => {
    const spec = parseSweepSpec(smallSweep());
    const plan = await planSweep(spec);
    const cache = new MarketCache();
    const job = plan.jobs[0];
    if (!job) throw new Error('no job');
    const cached = await runSweepJob(job, { cache });
    const again = await runSweepJob(job, { cache });
    const fresh = await runSweepJob(job);
    expect(JSON.stringify(cached.metrics)).toBe(JSON.stringify(fresh.metrics));
    expect(JSON.stringify(again.metrics)).toBe(JSON.stringify(fresh.metrics));
  }, 60_000);
});
