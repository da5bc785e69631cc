import { type JsonValue } from '@quantpipe/core';
import { RISK_ACKNOWLEDGEMENT_STATE_KEY } from '@quantpipe/execution';
import { openDatabase } from '@quantpipe/storage';
import { livenessOf, type Liveness } from './liveness';

/** The kill switch state key the engine uses in the journal's state table. */
export const KILL_SWITCH_STATE_KEY = 'kill_switch';

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
  const db = await openDatabase(dbUrl);
  try {
    const state: JsonValue = {
      version: 1,
      tripped: true,
      reason,
      trippedAt: nowIso,
      source: 'manual',
    };
    await db.saveState(runId, KILL_SWITCH_STATE_KEY, state);
    await db.insertAlert({
      level: 'CRITICAL',
      title: 'KILL SWITCH TRIPPED',
      message: `${reason} (trader kill)`,
      timestamp: nowIso,
      context: { runId },
    });
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
  const db = await openDatabase(dbUrl);
  try {
    await db.saveState(runId, RISK_ACKNOWLEDGEMENT_STATE_KEY, { requestedAt: nowIso });
    await db.saveState(runId, KILL_SWITCH_STATE_KEY, {
      version: 1,
      tripped: false,
      reason: null,
      trippedAt: null,
      source: null,
    });
    await db.insertAlert({
      level: 'WARNING',
      title: 'KILL SWITCH RESET',
      message: 'trading resumed (trader resume)',
      timestamp: nowIso,
      context: { runId },
    });
  } finally {
    await db.close();
  }
}

/** What `trader status` reports. */
export interface TraderStatus {
  readonly runId: string;
  readonly run: {
    readonly status: string;
    readonly startedAt: string;
    readonly stoppedAt?: string;
    readonly mode?: string;
  } | null;
  readonly killSwitch: JsonValue | null;
  readonly portfolio: JsonValue | null;
  readonly positions: JsonValue | null;
  readonly lastCycle: JsonValue | null;
  /** Whether the trader is alive (heartbeat), its last cycle's outcome and the next cycle. */
  readonly liveness: Liveness;
  readonly recentAlerts: JsonValue[];
}

/** `trader status`: the run, its kill switch, the latest portfolio and positions, and recent alerts. */
export async function traderStatus(dbUrl: string, runId: string): Promise<TraderStatus> {
  const db = await openDatabase(dbUrl);
  try {
    const runs = await db.listRuns();
    const run = runs.find((r) => r.runId === runId);
    const killSwitch = (await db.loadState(runId, KILL_SWITCH_STATE_KEY)) ?? null;
    const portfolio = (await db.getLatestPortfolioSnapshot()) ?? null;
    const positions = (await db.getLatestPositions()) ?? null;
    const completed = await db.entries({ runId, kinds: ['cycle_completed'] });
    const last = completed[completed.length - 1];
    const alerts = await db.listAlerts({});
    const liveness = await livenessOf(db, runId);
    return {
      runId,
      run: run
        ? {
            status: run.status,
            startedAt: run.startedAt,
            ...(run.stoppedAt ? { stoppedAt: run.stoppedAt } : {}),
            ...(run.mode ? { mode: run.mode } : {}),
          }
        : null,
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
      liveness,
      recentAlerts: alerts.slice(-10) as unknown as JsonValue[],
    };
  } finally {
    await db.close();
  }
}
