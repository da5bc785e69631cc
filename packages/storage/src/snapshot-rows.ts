import { StorageError, type JsonValue } from '@quantpipe/core';
import type { Selectable } from 'kysely';
import type { PortfolioSnapshot, RunRecord, RunStatus } from './records';
import type { StorageSchema } from './schema';

/** Run statuses the database accepts. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'stopped', 'failed'];

/** The snapshot of a `portfolio` row. */
export function rowToPortfolio(row: Selectable<StorageSchema['portfolio']>): PortfolioSnapshot {
  return {
    ...(row.run_id === '' ? {} : { runId: row.run_id }),
    timestamp: row.timestamp,
    cashUsd: row.cash,
    portfolioValueUsd: row.portfolio_value,
    equityUsd: row.equity,
    buyingPowerUsd: row.buying_power,
    ...(row.daily_pnl === null ? {} : { dailyPnlUsd: row.daily_pnl }),
    ...(row.total_pnl === null ? {} : { totalPnlUsd: row.total_pnl }),
  };
}

/** The run record of a `runs` row; an unknown status is a StorageError. */
export function rowToRun(row: Selectable<StorageSchema['runs']>): RunRecord {
  if (!(RUN_STATUSES as readonly string[]).includes(row.status)) {
    throw new StorageError(`run ${row.run_id} has an unknown status ${row.status}`);
  }
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    status: row.status as RunStatus,
    ...(row.stopped_at === null ? {} : { stoppedAt: row.stopped_at }),
    ...(row.mode === null ? {} : { mode: row.mode }),
    ...(row.config === null ? {} : { config: JSON.parse(row.config) as JsonValue }),
    ...(row.heartbeat_at === null ? {} : { heartbeatAt: row.heartbeat_at }),
    ...(row.heartbeat_expires_at === null ? {} : { heartbeatExpiresAt: row.heartbeat_expires_at }),
  };
}
