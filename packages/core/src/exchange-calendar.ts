import { ValidationError } from './errors';
import { newYorkLocalToUtcMs, newYorkParts } from './exchange-time';
import { isIsoDate } from './time';

/**
 * The US equity (NYSE) trading calendar, computed from the exchange's published rules:
 *
 * - Holidays: New Year's Day (a Sunday moves to Monday; a Saturday is not observed, NYSE rule
 *   7.2), Martin Luther King Jr. Day (third Monday of January), Washington's Birthday (third
 *   Monday of February), Good Friday, Memorial Day (last Monday of May), Juneteenth (from
 *   2022), Independence Day, Labor Day (first Monday of September), Thanksgiving (fourth
 *   Thursday of November) and Christmas. A holiday on a Saturday is observed on the Friday
 *   before, one on a Sunday on the Monday after.
 * - One-off closures: 2001-09-11..14 (September 11), 2004-06-11 (Reagan), 2007-01-02 (Ford),
 *   2012-10-29/30 (Hurricane Sandy), 2018-12-05 (G. H. W. Bush), 2025-01-09 (Carter).
 * - Early closes at 13:00 New York: the day after Thanksgiving; Christmas Eve on a Monday to
 *   Thursday; the day before Independence Day when that is a Monday, Tuesday or Thursday, and
 *   on a Wednesday from 2013 on. Before 2013 a Thursday Independence Day gave an early close
 *   on the Friday after it (2002-07-05, 2008 had a Friday holiday).
 *
 * Regular sessions are 09:30–16:00 New York. Not modelled: minutes-long late opens (moments of
 * silence) and unscheduled intraday halts. Years outside {@link US_EQUITY_CALENDAR_YEARS} are a
 * ValidationError: the rules above were not in force before 2000 in this form, and closures
 * that are not yet announced cannot be known.
 */

/** The years the calendar answers for (inclusive). */
export const US_EQUITY_CALENDAR_YEARS = { first: 2000, last: 2099 } as const;

/** One trading session of the US equity market. */
export interface ExchangeSession {
  /** Session date, `YYYY-MM-DD` (New York). */
  readonly date: string;
  /** Opening instant, UTC milliseconds (09:30 New York). */
  readonly openMs: number;
  /** Closing instant, UTC milliseconds (16:00 New York, 13:00 on early closes). */
  readonly closeMs: number;
  /** Whether the session closes at 13:00. */
  readonly earlyClose: boolean;
}

/** Where the market stands at an instant. */
export interface MarketState {
  /** Inside a session's [open, close). */
  readonly isOpen: boolean;
  /** The session in progress, or undefined when closed. */
  readonly session: ExchangeSession | undefined;
  /** The next session that has not opened yet. */
  readonly nextSession: ExchangeSession;
  /** The next close: the current session's when open, else the next session's. */
  readonly nextCloseMs: number;
}

const ONE_OFF_CLOSURES: ReadonlyArray<readonly [string, string]> = [
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National Day of Mourning (Ronald Reagan)'],
  ['2007-01-02', 'National Day of Mourning (Gerald Ford)'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National Day of Mourning (George H. W. Bush)'],
  ['2025-01-09', 'National Day of Mourning (Jimmy Carter)'],
];

const DAY_MS = 86_400_000;

function iso(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the month of the n-th (1-based) `weekday` of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = weekdayOf(year, month, 1);
  return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekdayOf(year, month, daysInMonth);
  return daysInMonth - ((last - weekday + 7) % 7);
}

/** Easter Sunday (Gregorian; the anonymous algorithm in Meeus' form) as [month, day]. */
function easter(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

/** A fixed-date holiday moved off the weekend (Saturday → Friday, Sunday → Monday). */
function observed(year: number, month: number, day: number): string {
  const weekday = weekdayOf(year, month, day);
  if (weekday === 6) return iso(year, month, day - 1);
  if (weekday === 0) return iso(year, month, day + 1);
  return iso(year, month, day);
}

function assertYear(argument: string, year: number): void {
  if (
    !Number.isInteger(year) ||
    year < US_EQUITY_CALENDAR_YEARS.first ||
    year > US_EQUITY_CALENDAR_YEARS.last
  ) {
    throw new ValidationError(
      argument,
      `the US equity calendar covers ${US_EQUITY_CALENDAR_YEARS.first}..${US_EQUITY_CALENDAR_YEARS.last}, got ${year}`,
      { context: { year } },
    );
  }
}

function assertDate(argument: string, date: string): number {
  if (typeof date !== 'string' || !isIsoDate(date)) {
    throw new ValidationError(argument, `expected a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  }
  const year = Number(date.slice(0, 4));
  assertYear(argument, year);
  return year;
}

interface YearTable {
  readonly holidays: ReadonlyMap<string, string>;
  readonly earlyCloses: ReadonlyMap<string, string>;
}

const tables = new Map<number, YearTable>();

function buildYear(year: number): YearTable {
  const holidays = new Map<string, string>();
  const jan1 = weekdayOf(year, 1, 1);
  // NYSE rule: New Year's Day on a Saturday is not observed (no Friday holiday).
  if (jan1 !== 6) holidays.set(observed(year, 1, 1), "New Year's Day");
  holidays.set(iso(year, 1, nthWeekday(year, 1, 1, 3)), 'Martin Luther King Jr. Day');
  holidays.set(iso(year, 2, nthWeekday(year, 2, 1, 3)), "Washington's Birthday");
  const [em, ed] = easter(year);
  holidays.set(addDays(iso(year, em, ed), -2), 'Good Friday');
  holidays.set(iso(year, 5, lastWeekday(year, 5, 1)), 'Memorial Day');
  if (year >= 2022) holidays.set(observed(year, 6, 19), 'Juneteenth National Independence Day');
  holidays.set(observed(year, 7, 4), 'Independence Day');
  holidays.set(iso(year, 9, nthWeekday(year, 9, 1, 1)), 'Labor Day');
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  holidays.set(iso(year, 11, thanksgiving), 'Thanksgiving Day');
  holidays.set(observed(year, 12, 25), 'Christmas Day');
  for (const [date, name] of ONE_OFF_CLOSURES)
    if (date.startsWith(`${year}-`)) holidays.set(date, name);

  const earlyCloses = new Map<string, string>();
  const july4 = weekdayOf(year, 7, 4);
  // July 3rd's weekday is July 4th's minus one.
  if (july4 === 2 || july4 === 3 || july4 === 5)
    earlyCloses.set(iso(year, 7, 3), 'Day before Independence Day');
  if (july4 === 4) {
    if (year >= 2013) earlyCloses.set(iso(year, 7, 3), 'Day before Independence Day');
    else earlyCloses.set(iso(year, 7, 5), 'Day after Independence Day');
  }
  earlyCloses.set(iso(year, 11, thanksgiving + 1), 'Day after Thanksgiving');
  const dec24 = weekdayOf(year, 12, 24);
  if (dec24 >= 1 && dec24 <= 4) earlyCloses.set(iso(year, 12, 24), 'Christmas Eve');
  for (const date of holidays.keys()) earlyCloses.delete(date);
  return { holidays, earlyCloses };
}

function tableOf(year: number): YearTable {
  let table = tables.get(year);
  if (!table) {
    table = buildYear(year);
    tables.set(year, table);
  }
  return table;
}

/** The exchange holidays (full closures on weekdays) of a year: date → name, in date order. */
export function usEquityHolidays(year: number): ReadonlyMap<string, string> {
  assertYear('year', year);
  return new Map([...tableOf(year).holidays].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The 13:00 early closes of a year: date → name, in date order. */
export function usEquityEarlyCloses(year: number): ReadonlyMap<string, string> {
  assertYear('year', year);
  return new Map([...tableOf(year).earlyCloses].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Whether the US equity market trades on a date (a weekday that is not a holiday). */
export function isTradingDay(date: string): boolean {
  const year = assertDate('date', date);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !tableOf(year).holidays.has(date);
}

/**
 * Sessions by date, once built (null: closed): timelines, schedules and checks ask for the
 * same dates many times. Sessions are frozen, so one object can be handed to every caller.
 * Only valid dates of the calendar's years get here, so it holds at most their days.
 */
const sessionByDate = new Map<string, ExchangeSession | null>();

/** The session on a date, or undefined when the market is closed that day. */
export function sessionOn(date: string): ExchangeSession | undefined {
  const known = sessionByDate.get(date);
  if (known !== undefined) return known ?? undefined;
  const session = buildSessionOn(date);
  sessionByDate.set(date, session ?? null);
  return session;
}

function buildSessionOn(date: string): ExchangeSession | undefined {
  if (!isTradingDay(date)) return undefined;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const earlyClose = tableOf(year).earlyCloses.has(date);
  return Object.freeze({
    date,
    openMs: newYorkLocalToUtcMs(year, month, day, 9, 30, 0),
    closeMs: newYorkLocalToUtcMs(year, month, day, earlyClose ? 13 : 16, 0, 0),
    earlyClose,
  });
}

/** The first session strictly after a date. */
export function nextSession(date: string): ExchangeSession {
  assertDate('date', date);
  let d = addDays(date, 1);
  for (;;) {
    const session = sessionOn(d);
    if (session) return session;
    d = addDays(d, 1);
  }
}

/** The last session strictly before a date. */
export function previousSession(date: string): ExchangeSession {
  assertDate('date', date);
  let d = addDays(date, -1);
  for (;;) {
    const session = sessionOn(d);
    if (session) return session;
    d = addDays(d, -1);
  }
}

/** Every session from `start` to `end`, both inclusive, in date order. */
export function sessionsBetween(start: string, end: string): ExchangeSession[] {
  assertDate('start', start);
  assertDate('end', end);
  if (end < start) throw new ValidationError('end', `must not be before start (${start})`);
  const out: ExchangeSession[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const session = sessionOn(d);
    if (session) out.push(session);
  }
  return out;
}

/** Days since 1970-01-01 of a date (`YYYY-MM-DD`, or an instant whose UTC date it is). */
function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

/**
 * The weekday closures of every calendar year as ascending day numbers, with per year the
 * index of its first (built once, so an ordinal is counted without allocating).
 */
let closureDays: { readonly days: Int32Array; readonly firstOfYear: Int32Array } | undefined;

function closuresBefore(day: number, year: number): number {
  const { first, last } = US_EQUITY_CALENDAR_YEARS;
  if (closureDays === undefined) {
    const days: number[] = [];
    const firstOfYear = new Int32Array(last - first + 2);
    for (let y = first; y <= last; y++) {
      firstOfYear[y - first] = days.length;
      for (const date of [...tableOf(y).holidays.keys()].sort()) {
        const d = dayNumber(date);
        const weekday = (d + 4) % 7; // 0 = Sunday: 1970-01-01 was a Thursday
        if (weekday !== 0 && weekday !== 6) days.push(d);
      }
    }
    firstOfYear[last - first + 1] = days.length;
    closureDays = { days: Int32Array.from(days), firstOfYear };
  }
  const { days, firstOfYear } = closureDays;
  if (year < first) return 0;
  if (year > last) return days.length;
  let k = firstOfYear[year - first] as number;
  const end = firstOfYear[year - first + 1] as number;
  while (k < end && (days[k] as number) < day) k++;
  return k;
}

/**
 * The ordinal of a session date (`YYYY-MM-DD`, or an instant whose UTC date is one): sessions
 * since Monday 1970-01-05, so two session dates differ by the sessions between them; a weekend
 * day or a closure has the ordinal of the next session. Outside the calendar's years every
 * weekday counts as a session (the ordinals stay increasing across the boundary).
 */
export function exchangeSessionOrdinal(date: string): number {
  const day = dayNumber(date);
  const days = day - 4;
  const weeks = Math.floor(days / 7);
  const weekdays = 5 * weeks + Math.min(days - 7 * weeks, 5);
  return weekdays - closuresBefore(day, Number(date.slice(0, 4)));
}

/** Whether the market is open at an instant, and the next open and close after it. */
export function marketStateAt(utcMs: number): MarketState {
  if (!Number.isFinite(utcMs)) throw new ValidationError('utcMs', `expected a finite instant`);
  const today = newYorkParts(utcMs).date;
  const session = sessionOn(today);
  if (session && utcMs >= session.openMs && utcMs < session.closeMs) {
    return { isOpen: true, session, nextSession: nextSession(today), nextCloseMs: session.closeMs };
  }
  const upcoming = session && utcMs < session.openMs ? session : nextSession(today);
  return {
    isOpen: false,
    session: undefined,
    nextSession: upcoming,
    nextCloseMs: upcoming.closeMs,
  };
}
