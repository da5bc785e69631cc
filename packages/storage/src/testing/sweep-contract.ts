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
import type { TradingDatabase } from '../trading-database';
import type { FreshDatabase, StorageTarget } from './targets';

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
    let fresh: FreshDatabase;
    let db: TradingDatabase;
    beforeEach(async () => {
      fresh = await target.fresh();
      db = await fresh.open();
    });
    afterEach(async () => {
      await db.close();
      await fresh.cleanup();
    });

    it('starts a sweep once and finds it again with the same spec', async () => {
      const first = await startSweep(db, SWEEP);
      expect(first).toMatchObject({ ...SWEEP, status: 'running', finishedAt: null, summary: null });
      const again = await startSweep(db, { ...SWEEP, createdAt: '2026-02-01T00:00:00Z' });
      expect(again.createdAt).toBe(SWEEP.createdAt);
      await expect(startSweep(db, { ...SWEEP, specSha256: 'b'.repeat(64) })).rejects.toThrow(
        StateError,
      );
    });

    it('records each job once, keeps the first row, and round-trips every value', async () => {
      await startSweep(db, SWEEP);
      expect(await recordSweepJob(db, job('p0000'))).toBe(true);
      expect(await recordSweepJob(db, job('p0000', { durationMs: 1, worker: 'other/9/9' }))).toBe(
        false,
      );
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
      expect(await recordSweepJob(db, failed)).toBe(true);
      const oos = job('p0000-f01-oos', { foldIndex: 1, phase: 'out_of_sample' });
      expect(await recordSweepJob(db, oos)).toBe(true);
      const jobs = await listSweepJobs(db, SWEEP.sweepId);
      expect(jobs).toEqual([job('p0000'), oos, failed]);
      expect(await countSweepJobs(db, SWEEP.sweepId)).toEqual({ done: 2, failed: 1 });
      expect([...(await recordedSweepJobIds(db, SWEEP.sweepId))].sort()).toEqual([
        'p0000',
        'p0000-f01-oos',
        'p0001',
      ]);
      expect(await listSweepJobs(db, 'another')).toEqual([]);
    });

    it('finishes a sweep with its summary', async () => {
      await startSweep(db, SWEEP);
      await finishSweep(db, SWEEP.sweepId, {
        finishedAt: '2026-01-05T11:00:00Z',
        summary: { best: 'p0000', dsr: 0.93 },
      });
      expect(await getSweep(db, SWEEP.sweepId)).toMatchObject({
        status: 'finished',
        finishedAt: '2026-01-05T11:00:00Z',
        summary: { best: 'p0000', dsr: 0.93 },
      });
      await expect(
        finishSweep(db, 'missing', { finishedAt: '2026-01-05T11:00:00Z', summary: {} }),
      ).rejects.toThrow(ValidationError);
    });

    it('refuses malformed jobs before writing', async () => {
      await startSweep(db, SWEEP);
      await expect(recordSweepJob(db, job('p0002', { objective: Number.NaN }))).rejects.toThrow(
        ValidationError,
      );
      await expect(recordSweepJob(db, job('p0002', { metrics: null }))).rejects.toThrow(
        ValidationError,
      );
      await expect(
        recordSweepJob(db, job('p0002', { status: 'failed', error: null })),
      ).rejects.toThrow(ValidationError);
      await expect(
        recordSweepJob(
          db,
          job('p0002', { dailyEquity: { dates: ['2024-01-02'], equityUsd: [1, 2] } }),
        ),
      ).rejects.toThrow(ValidationError);
      expect(await listSweepJobs(db, SWEEP.sweepId)).toEqual([]);
    });
  });
}
