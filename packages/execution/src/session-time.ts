import {
  EXCHANGE_TIME_ZONE,
  US_EQUITY_CALENDAR_YEARS,
  sessionDateOf,
  usEquityHolidays,
} from '@quantpipe/core';

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

/** Days since 1970-01-01 of a date (`YYYY-MM-DD`, or an instant whose UTC date it is). */
function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/** Weekdays from Monday 1970-01-05 to a day (a weekend day counts as the Monday after). */
function weekdayOrdinal(day: number): number {
  const days = day - 4;
  const weeks = Math.floor(days / 7);
  const rest = days - 7 * weeks;
  return 5 * weeks + Math.min(rest, 5);
}

/**
 * The exchange's weekday holidays and closures as day numbers, ascending, with per calendar
 * year the index of its first (built once: a cycle then counts without allocating).
 */
interface HolidayTable {
  readonly days: Int32Array;
  readonly firstOfYear: Int32Array;
}
let holidayTable: HolidayTable | undefined;

function holidays(): HolidayTable {
  if (holidayTable !== undefined) return holidayTable;
  const { first, last } = US_EQUITY_CALENDAR_YEARS;
  const days: number[] = [];
  const firstOfYear = new Int32Array(last - first + 2);
  for (let y = first; y <= last; y++) {
    firstOfYear[y - first] = days.length;
    for (const date of usEquityHolidays(y).keys()) {
      const day = dayNumber(date);
      const weekday = (day + 4) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
      if (weekday !== 0 && weekday !== 6) days.push(day);
    }
  }
  firstOfYear[last - first + 1] = days.length;
  holidayTable = { days: Int32Array.from(days), firstOfYear };
  return holidayTable;
}

/** The exchange's weekday holidays (and special closures) strictly before a day of `year`. */
function holidaysBefore(day: number, year: number): number {
  const { first, last } = US_EQUITY_CALENDAR_YEARS;
  const table = holidays();
  if (year < first) return 0;
  if (year > last) return table.days.length;
  let k = table.firstOfYear[year - first] as number;
  const end = table.firstOfYear[year - first + 1] as number;
  while (k < end && (table.days[k] as number) < day) k++;
  return k;
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
 * sessions since Monday 1970-01-05 by the US equity calendar (weekdays outside its years), so
 * two session dates differ by the sessions between them; a weekend day or holiday has the
 * ordinal of the next session. The position decay ages by it (spec 5.2: a half-life in
 * sessions). The stale-data watchdog counts weekdays instead, a holiday as one.
 */
export function sessionOrdinal(date: string): number {
  const day = dayNumber(date);
  return weekdayOrdinal(day) - holidaysBefore(day, Number(date.slice(0, 4)));
}
