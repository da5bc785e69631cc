import { existsSync } from 'node:fs';
import { ConfigError, NotFoundError, type JsonValue } from '@quantpipe/core';
import { openDatabase, parseDatabaseUrl, type TradingDatabase } from '@quantpipe/storage';

/** The state key of the running trader's heartbeat. */
export const HEARTBEAT_STATE_KEY = 'trader_heartbeat';

/** How often a running trader refreshes its heartbeat (also while it waits). */
export const HEARTBEAT_INTERVAL_MS = 30_000;

/** What the heartbeat holds (JSON in the run's state). */
export interface Heartbeat {
  /** ISO-8601 UTC wall-clock time of the beat. */
  readonly at: string;
  readonly pid: number;
  readonly phase: 'starting' | 'running' | 'waiting' | 'stopped';
  readonly schedule: string;
  readonly nextCycleAt: string | null;
  readonly lastCycle: {
    readonly cycle: number;
    readonly endedAt: string;
    readonly outcome: string;
    readonly line: string;
  } | null;
}

/** Writes the heartbeat of a run. */
export async function writeHeartbeat(
  db: TradingDatabase,
  runId: string,
  beat: Heartbeat,
): Promise<void> {
  await db.saveState(runId, HEARTBEAT_STATE_KEY, beat as unknown as JsonValue);
}

/** `trader status`'s liveness block. */
export interface Liveness {
  /**
   * `alive`: a heartbeat within 3 intervals; `stale`: the run says running but the heartbeat
   * stopped (the process died, e.g. SIGKILL); `stopped`: the trader stopped; `unknown`: no
   * heartbeat was ever written.
   */
  readonly state: 'alive' | 'stale' | 'stopped' | 'unknown';
  readonly lastHeartbeatAt: string | null;
  readonly heartbeatAgeSeconds: number | null;
  readonly phase: string | null;
  readonly schedule: string | null;
  readonly nextCycleAt: string | null;
  readonly lastCycle: Heartbeat['lastCycle'];
}

function isHeartbeat(value: JsonValue | undefined): value is JsonValue & Heartbeat {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { at?: unknown }).at === 'string'
  );
}

/** Reads a run's heartbeat and judges whether its trader is alive (wall-clock time). */
export async function livenessOf(
  db: TradingDatabase,
  runId: string,
  nowMs = Date.now(),
): Promise<Liveness> {
  const beat = await db.loadState(runId, HEARTBEAT_STATE_KEY);
  if (!isHeartbeat(beat)) {
    return {
      state: 'unknown',
      lastHeartbeatAt: null,
      heartbeatAgeSeconds: null,
      phase: null,
      schedule: null,
      nextCycleAt: null,
      lastCycle: null,
    };
  }
  const ageMs = Math.max(0, nowMs - Date.parse(beat.at));
  const state =
    beat.phase === 'stopped' ? 'stopped' : ageMs <= 3 * HEARTBEAT_INTERVAL_MS ? 'alive' : 'stale';
  return {
    state,
    lastHeartbeatAt: beat.at,
    heartbeatAgeSeconds: Math.round(ageMs / 1000),
    phase: beat.phase,
    schedule: beat.schedule,
    nextCycleAt: beat.nextCycleAt,
    lastCycle: beat.lastCycle,
  };
}

/**
 * Opens an existing database for a read-only command: a SQLite file that does not exist is a
 * NotFoundError instead of a new empty database.
 */
export async function openExistingDatabase(url: string): Promise<TradingDatabase> {
  const location = parseDatabaseUrl(url);
  if (
    location.dialect === 'sqlite' &&
    location.filename !== ':memory:' &&
    !existsSync(location.filename)
  )
    throw new NotFoundError(`no database at ${location.filename}`, { context: { url } });
  if (location.dialect === 'sqlite' && location.filename === ':memory:')
    throw new ConfigError('--db', 'an in-memory database has no history to read');
  return openDatabase(url);
}
