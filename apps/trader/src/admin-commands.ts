import { ConfigError, type JsonValue } from '@quantpipe/core';
import { RISK_ACKNOWLEDGEMENT_STATE_KEY } from '@quantpipe/execution';
import {
  DatabaseNotFoundError,
  openDatabase,
  type RunRecord,
  type TradingDatabase,
} from '@quantpipe/storage';
import { redactUrl } from './redact';
import { scheduleStateOf, type ScheduleState } from './schedule-state';

/** The kill switch state key the engine uses in the journal's state table. */
export const KILL_SWITCH_STATE_KEY = 'kill_switch';

/**
 * Opens an existing trading database for an admin command: never creates one (a mistyped
 * `--db` is refused, not answered from a new empty file). `trader status` falls back to
 * read-only when the database cannot be written (a full disk).
 */
async function openExisting(dbUrl: string, readOnlyFallback = false): Promise<TradingDatabase> {
  try {
    return await openDatabase(dbUrl, { create: false, readOnlyFallback });
  } catch (error) {
    if (error instanceof DatabaseNotFoundError)
      throw new ConfigError('--db', `no trading database at ${redactUrl(dbUrl)}`, {
        cause: error,
      });
    throw error;
  }
}

/**
 * Opens an existing trading database for a read-only command (`trader orders`, `trader fills`):
 * never creates one, and falls back to read-only when it cannot be written.
 */
export function openExistingDatabase(dbUrl: string): Promise<TradingDatabase> {
  return openExisting(dbUrl, true);
}

/** The run, or a ConfigError naming the runs the database does know. */
export async function existingRun(db: TradingDatabase, runId: string): Promise<RunRecord> {
  const runs = await db.listRuns();
  const run = runs.find((r) => r.runId === runId);
  if (run) return run;
  throw new ConfigError(
    '--run-id',
    `run ${runId} is not in this database (known runs: ${
      runs.length > 0 ? runs.map((r) => r.runId).join(', ') : 'none'
    })`,
  );
}

/**
 * `trader kill`: trips the run's kill switch in the database. A running trader picks it up at
 * its next cycle (no new orders); a restarted one starts halted.
 */
export async function killTrader(
  dbUrl: string,
  runId: string,
  reason: string,
  nowIso = new Date().toISOString(),
): Promise<void> {
  const db = await openExisting(dbUrl);
  try {
    await existingRun(db, runId);
    const state: JsonValue = {
      version: 1,
      tripped: true,
      reason,
      trippedAt: nowIso,
      source: 'manual',
    };
    await db.saveState(runId, KILL_SWITCH_STATE_KEY, state);
    await db.insertAlert(
      {
        level: 'CRITICAL',
        title: 'KILL SWITCH TRIPPED',
        message: `${reason} (trader kill)`,
        timestamp: nowIso,
        context: { runId },
      },
      { runId },
    );
  } finally {
    await db.close();
  }
}

/**
 * `trader resume`: releases the run's kill switch and accepts the losses that tripped it (the
 * engine re-bases its drawdown and daily peaks at its next risk check; otherwise the same
 * drawdown would trip the switch again at once).
 */
export async function resumeTrader(
  dbUrl: string,
  runId: string,
  nowIso = new Date().toISOString(),
): Promise<void> {
  const db = await openExisting(dbUrl);
  try {
    await existingRun(db, runId);
    await db.saveState(runId, RISK_ACKNOWLEDGEMENT_STATE_KEY, { requestedAt: nowIso });
    await db.saveState(runId, KILL_SWITCH_STATE_KEY, {
      version: 1,
      tripped: false,
      reason: null,
      trippedAt: null,
      source: null,
    });
    await db.insertAlert(
      {
        level: 'WARNING',
        title: 'KILL SWITCH RESET',
        message: 'trading resumed (trader resume)',
        timestamp: nowIso,
        context: { runId },
      },
      { runId },
    );
  } finally {
    await db.close();
  }
}

/** Whether the run's process is alive, from its status and heartbeat. */
export type RunLiveness = 'alive' | 'lost' | 'unknown' | 'stopped' | 'failed';

/** What `trader status` reports. */
export interface TraderStatus {
  readonly runId: string;
  readonly run: {
    readonly status: string;
    /** `lost`: marked running, but its heartbeat expired (the process died, e.g. SIGKILL). */
    readonly liveness: RunLiveness;
    readonly startedAt: string;
    readonly stoppedAt?: string;
    readonly mode?: string;
    readonly heartbeatAt?: string;
    readonly heartbeatExpiresAt?: string;
  };
  readonly killSwitch: JsonValue | null;
  readonly portfolio: JsonValue | null;
  readonly positions: JsonValue | null;
  readonly lastCycle: JsonValue | null;
  readonly recentAlerts: JsonValue[];
  /**
   * What the running trader last said about its schedule: the schedule, its phase (`running`,
   * `waiting`, …), the next cycle it plans and its last cycle's outcome and summary line.
   */
  readonly schedule: ScheduleState | null;
  /** Set when the database could only be opened read-only (why). */
  readonly readOnly?: string;
}

function livenessOf(run: RunRecord, nowMs: number): RunLiveness {
  if (run.status === 'stopped' || run.status === 'failed') return run.status;
  if (run.heartbeatExpiresAt === undefined) return 'unknown';
  return Date.parse(run.heartbeatExpiresAt) >= nowMs ? 'alive' : 'lost';
}

/**
 * `trader status`: the run (with its liveness), its kill switch, its latest portfolio and
 * positions (the last written, by sequence), and its recent alerts. Everything is the run's own;
 * an unknown run or a missing database is an error.
 */
export async function traderStatus(
  dbUrl: string,
  runId: string,
  nowMs = Date.now(),
): Promise<TraderStatus> {
  const db = await openExisting(dbUrl, true);
  try {
    const run = await existingRun(db, runId);
    const killSwitch = (await db.loadState(runId, KILL_SWITCH_STATE_KEY)) ?? null;
    const portfolio = (await db.getLatestPortfolioSnapshot({ runId })) ?? null;
    const positions = (await db.getLatestPositions({ runId })) ?? null;
    const completed = await db.entries({ runId, kinds: ['cycle_completed'] });
    const last = completed[completed.length - 1];
    const alerts = await db.listAlerts({ runId });
    const schedule = await scheduleStateOf(db, runId);
    return {
      runId,
      run: {
        status: run.status,
        liveness: livenessOf(run, nowMs),
        startedAt: run.startedAt,
        ...(run.stoppedAt ? { stoppedAt: run.stoppedAt } : {}),
        ...(run.mode ? { mode: run.mode } : {}),
        ...(run.heartbeatAt ? { heartbeatAt: run.heartbeatAt } : {}),
        ...(run.heartbeatExpiresAt ? { heartbeatExpiresAt: run.heartbeatExpiresAt } : {}),
      },
      killSwitch,
      portfolio: portfolio as unknown as JsonValue,
      positions: positions as unknown as JsonValue,
      lastCycle: last
        ? {
            cycle: last.cycle,
            timestamp: last.timestamp,
            ...(typeof last.payload === 'object' &&
            last.payload !== null &&
            !Array.isArray(last.payload)
              ? last.payload
              : {}),
          }
        : null,
      recentAlerts: alerts.slice(-10) as unknown as JsonValue[],
      schedule,
      ...(db.readOnlyReason !== undefined ? { readOnly: db.readOnlyReason } : {}),
    };
  } finally {
    await db.close();
  }
}

/**
 * `trader init`: creates the trading database (SQLite file and folder, or the schema in an
 * existing PostgreSQL database). `trader run` never creates one, so a typo in `database` is
 * refused instead of starting a run without its journal. Returns whether it was new.
 */
export async function initDatabase(dbUrl: string): Promise<'created' | 'exists'> {
  try {
    await (await openDatabase(dbUrl, { create: false })).close();
    return 'exists';
  } catch (error) {
    if (!(error instanceof DatabaseNotFoundError)) throw error;
  }
  await (await openDatabase(dbUrl, { create: true })).close();
  return 'created';
}
