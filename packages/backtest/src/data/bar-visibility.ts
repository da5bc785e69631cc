import type { Timeframe } from '@quantpipe/core';

const HOUR_MS = 3_600_000;

/**
 * Hour (UTC) at which a daily bar counts as complete: 21:00Z is 16:00 New York in winter and
 * one hour after the close in summer, so a daily bar is never visible before its close.
 */
export const DAILY_BAR_COMPLETE_HOUR_UTC = 21;

/** ISO-8601 UTC without milliseconds, the format bar timestamps use. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds at which a bar stamped `timestamp` is complete (its end). */
export function barCompleteMs(timestamp: string, timeframe: Timeframe): number {
  if (timeframe === '1Day') {
    return (
      Date.parse(`${timestamp.slice(0, 10)}T00:00:00Z`) + DAILY_BAR_COMPLETE_HOUR_UTC * HOUR_MS
    );
  }
  return Date.parse(timestamp) + HOUR_MS;
}

/**
 * The largest bar timestamp visible at `nowMs`: a bar is visible once it is complete. Daily bars
 * are keyed by session date, hourly bars by their start instant.
 */
export function lastVisibleTimestamp(nowMs: number, timeframe: Timeframe): string {
  if (timeframe === '1Day') {
    return new Date(nowMs - DAILY_BAR_COMPLETE_HOUR_UTC * HOUR_MS).toISOString().slice(0, 10);
  }
  return isoSeconds(nowMs - HOUR_MS);
}
