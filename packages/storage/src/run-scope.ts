import { ValidationError } from '@quantpipe/core';
import type { Kysely } from 'kysely';
import type { StorageSchema } from './schema';

/** Which run a snapshot belongs to. Omitted: writes belong to no run, reads see every run. */
export interface SnapshotScope {
  readonly runId?: string;
}

/** The `run_id` a snapshot is written with: the scope's run, or `''` (no run). */
export function scopeRunId(scope: SnapshotScope): string {
  if (scope.runId === undefined) return '';
  if (typeof scope.runId !== 'string' || scope.runId.length === 0)
    throw new ValidationError('scope.runId', 'expected a non-empty string');
  return scope.runId;
}

/**
 * The next snapshot sequence number of a table (inside the writing transaction). Snapshots
 * are ordered by it rather than by their timestamp, which comes from the venue's clock and can
 * repeat or go backwards across restarts. SQLite serialises writers; on PostgreSQL two
 * concurrent writers may draw the same number, which only leaves their order undecided.
 */
export async function nextSnapshotSeq(
  db: Kysely<StorageSchema>,
  table: 'portfolio' | 'positions',
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('seq').as('last'))
    .executeTakeFirst();
  const last = row?.last;
  return (last === null || last === undefined ? 0 : Number(last)) + 1;
}
