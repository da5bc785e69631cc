import { DataError, newYorkLocalToUtcMs } from '@quantpipe/core';

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
    return { kind: 'instant', ms: newYorkLocalToUtcMs(y, mo, d, h, mi, s) };
  }
  throw new DataError(`ibkr: unsupported time zone in ${JSON.stringify(text)}`);
}
