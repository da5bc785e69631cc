import type { JsonValue } from '@quantpipe/core';
import type { TradingDatabase } from '@quantpipe/storage';

/** The state key of what a running trader says about its schedule. */
export const SCHEDULE_STATE_KEY = 'trader_schedule';

/**
 * What `trader status` shows next to the run's heartbeat: the schedule, what the trader is
 * doing, when its next cycle is, and how its last one ended. Written by the trader when any
 * of it changes (the heartbeat itself is the run's, in the runs table).
 */
export interface ScheduleState {
  /** `every 1h`, `at 09:45, 15:30 New York`. */
  readonly schedule: string;
  readonly phase: 'starting' | 'running' | 'waiting' | 'stopped';
  /** ISO-8601 UTC on the trader's clock, or null when none is planned. */
  readonly nextCycleAt: string | null;
  /**
   * The trader's clock and the wall clock when this was written: the trader's clock may be
   * the broker's or a replay's, so "in how long" is `nextCycleAt - traderNow` less the wall
   * time elapsed since `writtenAt`.
   */
  readonly traderNow: string;
  readonly writtenAt: string;
  readonly lastCycle: {
    readonly cycle: number;
    readonly endedAt: string;
    /** The cycle status (`traded`, `skipped`, `halted`, `dry_run`) or `failed`. */
    readonly outcome: string;
    /** The summary line (or the failure). */
    readonly line: string;
  } | null;
}

/** Saves the trader's schedule state of a run. */
export async function saveScheduleState(
  db: TradingDatabase,
  runId: string,
  state: ScheduleState,
): Promise<void> {
  await db.saveState(runId, SCHEDULE_STATE_KEY, state as unknown as JsonValue);
}

/** The saved schedule state of a run, or null (a run no trader of this version ran). */
export async function scheduleStateOf(
  db: TradingDatabase,
  runId: string,
): Promise<ScheduleState | null> {
  const value = await db.loadState(runId, SCHEDULE_STATE_KEY);
  if (
    value === undefined ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    typeof value['schedule'] !== 'string'
  )
    return null;
  return value as unknown as ScheduleState;
}
