/**
 * New York exchange hours without holidays: sessions run 09:30-16:00 America/New_York on
 * weekdays. Offsets follow US daylight saving through Intl, so no tz database is bundled.
 */

const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
});

interface NyTime {
  readonly date: string;
  readonly minutes: number;
  readonly weekday: string;
}

function nyTime(ms: number): NyTime {
  const parts: Record<string, string> = {};
  for (const p of nyParts.formatToParts(ms)) parts[p.type] = p.value;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    minutes: Number(parts['hour']) * 60 + Number(parts['minute']),
    weekday: parts['weekday'] ?? '',
  };
}

/** The New York calendar date of an instant. */
export function nyDateOf(ms: number): string {
  return nyTime(ms).date;
}

/** UTC offset of New York on a date, in hours (-4 in summer, -5 in winter). */
export function nyOffsetHours(isoDate: string): number {
  const noonUtc = Date.parse(`${isoDate}T12:00:00Z`);
  return nyTime(noonUtc).minutes / 60 - 12;
}

/** Milliseconds of `HH:MM` New York local time on `isoDate`. */
export function nyLocalToMs(isoDate: string, hour: number, minute = 0): number {
  return (
    Date.parse(`${isoDate}T00:00:00Z`) + ((hour - nyOffsetHours(isoDate)) * 60 + minute) * 60_000
  );
}

/** The RFC-3339 instant Alpaca stamps a daily bar with: midnight New York of the session. */
export function dailyBarInstant(isoDate: string): string {
  return new Date(nyLocalToMs(isoDate, 0)).toISOString().replace('.000Z', 'Z');
}

const OPEN_MIN = 9 * 60 + 30;
const CLOSE_MIN = 16 * 60;

function isWeekday(weekday: string): boolean {
  return weekday !== 'Sat' && weekday !== 'Sun';
}

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/** Alpaca's `/v2/clock` fields for an instant. */
export function marketClockAt(ms: number): {
  isOpen: boolean;
  nextOpenMs: number;
  nextCloseMs: number;
} {
  const t = nyTime(ms);
  const isOpen = isWeekday(t.weekday) && t.minutes >= OPEN_MIN && t.minutes < CLOSE_MIN;
  let date = t.date;
  // Next open: today if before the open on a weekday, else the next weekday.
  if (!(isWeekday(t.weekday) && t.minutes < OPEN_MIN)) date = addDays(date, 1);
  while ([0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay())) date = addDays(date, 1);
  const nextOpenMs = nyLocalToMs(date, 9, 30);
  const nextCloseMs = isOpen ? nyLocalToMs(t.date, 16, 0) : nyLocalToMs(date, 16, 0);
  return { isOpen, nextOpenMs, nextCloseMs };
}
