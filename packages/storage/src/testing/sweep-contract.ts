/** Test support: the sweep tables' behaviour, the same on every storage target. */
import { StateError, ValidationError } from '@quantpipe/core';
import {
  countSweepJobs,
  finishSweep,
  getSweep,
  listSweepJobs,
  recordSweepJob,
  recordedSweepJobIds,
  startSweep,
  type SweepJobRecord,
} from '../sweep-records';
import { freshDatabaseEachTest } from './contract-fixtures';
import type { StorageTarget } from './targets';

const SWEEP = {
  sweepId: 'sw-test',
  createdAt: '2026-01-05T10:00:00Z',
  specSha256: 'a'.repeat(64),
  spec: { base: { symbols: ['SYNA'] }, grid: { momentum_fast: [10, 20] } },
  jobsTotal: 3,
};

function job(jobId: string, overrides: Partial<SweepJobRecord> = {}): SweepJobRecord {
  return {
    sweepId: SWEEP.sweepId,
    jobId,
    paramIndex: 0,
    foldIndex: null,
    phase: 'full',
    parameters: { momentum_fast: 10 },
    status: 'done',
    objective: 0.75,
    sharpe: 0.75,
    totalReturn: 0.1,
    maxDrawdown: -0.05,
    metrics: { finalEquityUsd: 1_100_000, performance: { sharpeRatio: 0.75 } },
    dailyEquity: { dates: ['2024-01-02', '2024-01-03'], equityUsd: [1e6, 1.1e6 + 1e-7] },
    error: null,
    runId: `sw-test.${jobId}`,
    durationMs: 812.5,
    worker: 'host/1234/1',
    startedAt: '2026-01-05T10:00:01Z',
    finishedAt: '2026-01-05T10:00:02Z',
    ...overrides,
  };
}

/** The sweep tables' contract against one storage target. */
export function describeSweepContract(target: StorageTarget): void {
  describe(`sweep records: ${target.name}`, () => {
    const session = freshDatabaseEachTest(target);

    it('starts a sweep once and finds it again with the same spec', async () => {
      const first = await startSweep(session.db, SWEEP);
      expect(first).toMatchObject({ ...SWEEP, status: 'running', finishedAt: null, summary: null });
      const again = await startSweep(session.db, { ...SWEEP, createdAt: '2026-02-01T00:00:00Z' });
      expect(again.createdAt).toBe(SWEEP.createdAt);
      await expect(
        startSweep(session.db, { ...SWEEP, specSha256: 'b'.repeat(64) }),
      ).rejects.toThrow(StateError);
    });

    it('records each job once, keeps the first row, and round-trips every value', async () => {
      await startSweep(session.db, SWEEP);
      expect(await recordSweepJob(session.db, job('p0000'))).toBe(true);
      expect(
        await recordSweepJob(session.db, job('p0000', { durationMs: 1, worker: 'other/9/9' })),
      ).toBe(false);
      const failed = job('p0001', {
        paramIndex: 1,
        status: 'failed',
        objective: null,
        sharpe: null,
        totalReturn: null,
        maxDrawdown: null,
        metrics: null,
        dailyEquity: null,
        error: { code: 'E_CONFIG', message: 'pipeline.min_leverage: above max_leverage' },
      });
      expect(await recordSweepJob(session.db, failed)).toBe(true);
      const oos = job('p0000-f01-oos', { foldIndex: 1, phase: 'out_of_sample' });
      expect(await recordSweepJob(session.db, oos)).toBe(true);
      const jobs = await listSweepJobs(session.db, SWEEP.sweepId);
      expect(jobs).toEqual([job('p0000'), oos, failed]);
      expect(await countSweepJobs(session.db, SWEEP.sweepId)).toEqual({ done: 2, failed: 1 });
      expect([...(await recordedSweepJobIds(session.db, SWEEP.sweepId))].sort()).toEqual([
        'p0000',
        'p0000-f01-oos',
        'p0001',
      ]);
      expect(await listSweepJobs(session.db, 'another')).toEqual([]);
    });

    it('finishes a sweep with its summary', async () => {
      await startSweep(session.db, SWEEP);
      await finishSweep(session.db, SWEEP.sweepId, {
        finishedAt: '2026-01-05T11:00:00Z',
        summary: { best: 'p0000', dsr: 0.93 },
      });
      expect(await getSweep(session.db, SWEEP.sweepId)).toMatchObject({
        status: 'finished',
        finishedAt: '2026-01-05T11:00:00Z',
        summary: { best: 'p0000', dsr: 0.93 },
      });
      await expect(
        finishSweep(session.db, 'missing', { finishedAt: '2026-01-05T11:00:00Z', summary: {} }),
      ).rejects.toThrow(ValidationError);
    });

    it('refuses malformed jobs before writing', async () => {
      await startSweep(session.db, SWEEP);
      await expect(
        recordSweepJob(session.db, job('p0002', { objective: Number.NaN })),
      ).rejects.toThrow(ValidationError);
      await expect(recordSweepJob(session.db, job('p0002', { metrics: null }))).rejects.toThrow(
        ValidationError,
      );
      await expect(
        recordSweepJob(session.db, job('p0002', { status: 'failed', error: null })),
      ).rejects.toThrow(ValidationError);
      await expect(
        recordSweepJob(
          session.db,
          job('p0002', { dailyEquity: { dates: ['2024-01-02'], equityUsd: [1, 2] } }),
        ),
      ).rejects.toThrow(ValidationError);
      expect(await listSweepJobs(session.db, SWEEP.sweepId)).toEqual([]);
    });
  });
}
