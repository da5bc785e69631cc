import { DataError } from '@quantpipe/core';

const offsetFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  timeZoneName: 'longOffset',
});

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
});

/** Offset of New York from UTC at an instant, in minutes (-300 in winter, -240 in summer). */
export function newYorkOffsetMinutes(utcMs: number): number {
  const name = offsetFormatter.formatToParts(utcMs).find((p) => p.type === 'timeZoneName');
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name?.value ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** UTC ms of a New York wall-clock time. */
export function newYorkToUtcMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  let t = asUtc - newYorkOffsetMinutes(asUtc) * 60_000;
  t = asUtc - newYorkOffsetMinutes(t) * 60_000;
  return t;
}

/** New York calendar date (`YYYY-MM-DD`), weekday (0 = Sunday) and seconds into the day. */
export function newYorkDay(utcMs: number): { date: string; weekday: number; secondOfDay: number } {
  const p = Object.fromEntries(
    partsFormatter.formatToParts(utcMs).map((x) => [x.type, x.value]),
  ) as Record<string, string>;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p['weekday'] ?? '');
  return {
    date: `${p['year']}-${p['month']}-${p['day']}`,
    weekday,
    secondOfDay: Number(p['hour']) * 3600 + Number(p['minute']) * 60 + Number(p['second']),
  };
}

/** `YYYYMMDD-HH:mm:ss` in UTC: the unambiguous end-date format of the TWS API. */
export function formatUtcForTws(utcMs: number): string {
  const iso = new Date(utcMs).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}

/** ISO-8601 UTC without milliseconds (`YYYY-MM-DDTHH:MM:SSZ`). */
export function isoSeconds(utcMs: number): string {
  return `${new Date(utcMs).toISOString().slice(0, 19)}Z`;
}

/**
 * Parses the time stamps TWS sends: `YYYYMMDD` (a date), epoch seconds, `YYYYMMDD-HH:mm:ss`
 * (UTC), `YYYYMMDD[ ]{1,2}HH:mm:ss` with an optional zone (`UTC`, `US/Eastern`, ...; none
 * means exchange time, New York). Returns a date or an ISO-8601 UTC instant.
 */
export function parseTwsTime(
  text: string,
): { kind: 'date'; date: string } | { kind: 'instant'; ms: number } {
  const t = text.trim();
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (date) return { kind: 'date', date: `${date[1]}-${date[2]}-${date[3]}` };
  if (/^\d{9,11}$/.test(t)) return { kind: 'instant', ms: Number(t) * 1000 };
  const m = /^(\d{4})(\d{2})(\d{2})([ -])\s?(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(t);
  if (!m) throw new DataError(`ibkr: unrecognised time stamp ${JSON.stringify(text)}`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[5], m[6], m[7]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = m[8];
  if (m[4] === '-' || zone === 'UTC' || zone === 'GMT' || zone === 'Etc/UTC') {
    return { kind: 'instant', ms: Date.UTC(y, mo - 1, d, h, mi, s) };
  }
  if (
    zone === undefined ||
    ['US/Eastern', 'America/New_York', 'EST', 'EDT', 'EST5EDT'].includes(zone)
  ) {
    return { kind: 'instant', ms: newYorkToUtcMs(y, mo, d, h, mi, s) };
  }
  throw new DataError(`ibkr: unsupported time zone in ${JSON.stringify(text)}`);
}
