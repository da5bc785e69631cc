import { ConfigError, type Broker, type JsonValue } from '@quantpipe/core';
import { clientOrderIdPrefix } from '@quantpipe/execution';
import type { TradingDatabase } from '@quantpipe/storage';

/** The engine-state key holding a run's P&L baseline (the equity at its first start). */
export const PNL_BASELINE_STATE_KEY = 'trader_pnl_baseline';

/** What {@link registerRun} records for this start of a run. */
export interface RunRegistration {
  readonly runId: string;
  /** This invocation's mode (`alpaca`, `ibkr:dry_run`, ...). */
  readonly mode: string;
  /** This invocation's public (redacted) configuration. */
  readonly config: JsonValue;
  /** The run's clock (venue time), for `startedAt` of a new run. */
  readonly startedAt: string;
  /** Wall-clock instants of the first heartbeat and its expiry. */
  readonly heartbeatAt: string;
  readonly heartbeatExpiresAt: string;
  /** The database, as it may be shown (redacted), for error messages. */
  readonly databaseLabel: string;
}

/**
 * Records that a process (re)starts the run. A run the database knows is marked running again
 * with this invocation's mode and config (a dry run has a run id of its own, so it never
 * relabels the live run). A run id the database does not know is refused when the broker
 * already has orders or fills under that run's client order ids: its history (journal, kill
 * switch, recovery) is in another database, and starting afresh here would trade blind.
 */
export async function registerRun(
  db: TradingDatabase,
  broker: Broker,
  run: RunRegistration,
): Promise<'new' | 'known'> {
  const known = (await db.listRuns()).some((r) => r.runId === run.runId);
  if (!known) {
    const prefix = clientOrderIdPrefix(run.runId);
    const [open, fills] = await Promise.all([broker.listOpenOrders(), broker.listFills()]);
    const foreign = [
      ...open.map((o) => o.clientOrderId),
      ...fills.map((f) => f.clientOrderId),
    ].filter((id) => typeof id === 'string' && id.startsWith(prefix));
    if (foreign.length > 0) {
      throw new ConfigError(
        'run_id',
        `run ${run.runId} has ${foreign.length} order(s) or fill(s) at the broker (e.g. ${
          foreign[0] as string
        }) but no history in the database ${run.databaseLabel}: is database pointing at the wrong file? Refusing to start it afresh.`,
      );
    }
    await db.createRun({
      runId: run.runId,
      startedAt: run.startedAt,
      mode: run.mode,
      config: run.config,
    });
  }
  await db.markRunStarted(run.runId, {
    mode: run.mode,
    config: run.config,
    heartbeatAt: run.heartbeatAt,
    heartbeatExpiresAt: run.heartbeatExpiresAt,
  });
  return known ? 'known' : 'new';
}

/**
 * The run's P&L baseline: the equity when the run first started, kept in the database so that
 * `totalPnlUsd` spans the whole run rather than restarting at every process start.
 */
export async function pnlBaselineUsd(
  db: TradingDatabase,
  runId: string,
  equityNowUsd: number,
  nowIso: string,
): Promise<number> {
  const stored = await db.loadState(runId, PNL_BASELINE_STATE_KEY);
  if (
    typeof stored === 'object' &&
    stored !== null &&
    !Array.isArray(stored) &&
    typeof stored['equityUsd'] === 'number'
  )
    return stored['equityUsd'];
  await db.saveState(runId, PNL_BASELINE_STATE_KEY, { equityUsd: equityNowUsd, at: nowIso });
  return equityNowUsd;
}
