import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes } from './migration-column-types';
import type { StorageDialect } from './url';

/**
 * Version 3: parameter sweeps. `sweeps` holds one row per sweep (its spec, the number of jobs
 * and, once finished, its summary); `sweep_jobs` one row per finished job, keyed by
 * (sweep_id, job_id) so a job recorded twice (a worker killed after writing, the job run again)
 * keeps its first row: results are idempotent by job id.
 */
export function sweepsMigration(dialect: StorageDialect): Migration {
  const { real, integer, key, strict } = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sweeps')
        .addColumn('sweep_id', key, (c) => c.primaryKey())
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('spec_sha256', key, (c) => c.notNull())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('jobs_total', integer, (c) => c.notNull())
        .addColumn('status', key, (c) => c.notNull())
        .addColumn('finished_at', key)
        .addColumn('summary', 'text')
        .modifyEnd(strict)
        .execute();
      await db.schema
        .createTable('sweep_jobs')
        .addColumn('sweep_id', key, (c) => c.notNull())
        .addColumn('job_id', key, (c) => c.notNull())
        .addColumn('param_index', integer, (c) => c.notNull())
        .addColumn('fold_index', integer)
        .addColumn('phase', key, (c) => c.notNull())
        .addColumn('parameters', 'text', (c) => c.notNull())
        .addColumn('status', key, (c) => c.notNull())
        .addColumn('objective', real)
        .addColumn('sharpe', real)
        .addColumn('total_return', real)
        .addColumn('max_drawdown', real)
        .addColumn('metrics', 'text')
        .addColumn('daily_equity', 'text')
        .addColumn('error', 'text')
        .addColumn('run_id', key, (c) => c.notNull())
        .addColumn('duration_ms', real, (c) => c.notNull())
        .addColumn('worker', key, (c) => c.notNull())
        .addColumn('started_at', key, (c) => c.notNull())
        .addColumn('finished_at', key, (c) => c.notNull())
        .addPrimaryKeyConstraint('sweep_jobs_pk', ['sweep_id', 'job_id'])
        .modifyEnd(strict)
        .execute();
    },
  };
}
