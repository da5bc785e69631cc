import { EXCHANGE_TIME_ZONE, exchangeSessionOrdinal, sessionDateOf } from '@quantpipe/core';

const nyClock = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes after midnight, New York time, of an instant. */
function nyMinutes(ms: number): number {
  const parts = nyClock.formatToParts(ms);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? '0');
  return h * 60 + m;
}

/** `YYYY-MM-DD` one calendar day before `date`. */
export function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The last session date whose daily bar is complete at `nowMs`: today (New York) once the
 * regular session has closed (16:00), else the previous calendar day. Asking for daily bars up
 * to this date keeps a still-forming daily bar out of a decision.
 */
export function lastCompleteDailyDate(nowMs: number): string {
  const today = sessionDateOf(new Date(nowMs).toISOString());
  return nyMinutes(nowMs) >= 16 * 60 ? today : previousDate(today);
}

/** The last instant at which an hourly bar that has closed by `nowMs` can start (now − 1 h). */
export function lastCompleteHourlyStart(nowMs: number): string {
  return `${new Date(nowMs - 3_600_000).toISOString().slice(0, 19)}Z`;
}

/** Weekdays d with from < d <= to (both `YYYY-MM-DD`). */
export function weekdaysBetween(from: string, to: string): number {
  let count = 0;
  let t = Date.parse(`${from}T00:00:00Z`) + 86_400_000;
  const end = Date.parse(`${to}T00:00:00Z`);
  for (; t <= end; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) count += 1;
  }
  return count;
}

/**
 * The {@link sessionOrdinal} of the date whose weekday ordinal (weekdays since Monday
 * 1970-01-05, the ordinal earlier versions persisted) is `weekdays`.
 */
export function sessionOrdinalOfWeekdayOrdinal(weekdays: number): number {
  const weeks = Math.floor(weekdays / 5);
  const days = 7 * weeks + (weekdays - 5 * weeks);
  const date = new Date(Date.UTC(1970, 0, 5) + days * 86_400_000).toISOString().slice(0, 10);
  return sessionOrdinal(date);
}

/**
 * The ordinal of a session date (`YYYY-MM-DD`, or an instant whose UTC date is one): exchange
 * sessions since Monday 1970-01-05 by the US equity calendar (core's
 * `exchangeSessionOrdinal`), so two session dates differ by the sessions between them. The
 * position decay ages by it (spec 5.2: a half-life in sessions). The stale-data watchdog counts
 * weekdays instead, a holiday as one.
 */
export function sessionOrdinal(date: string): number {
  return exchangeSessionOrdinal(date);
}
