/** New York (exchange) time helpers: TWS speaks local exchange time in many fields. */

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
});

/** Offset of New York from UTC at an instant, in minutes (e.g. -300 in winter). */
export function newYorkOffsetMinutes(utcMs: number): number {
  const name = offsetFormatter.formatToParts(utcMs).find((p) => p.type === 'timeZoneName');
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name?.value ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** UTC milliseconds of a New York wall-clock time. */
export function newYorkLocalToUtcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  let t = asUtc - newYorkOffsetMinutes(asUtc) * 60_000;
  // A second pass settles instants next to a daylight-saving switch.
  t = asUtc - newYorkOffsetMinutes(t) * 60_000;
  return t;
}

/** New York wall-clock parts of an instant. */
export function newYorkParts(utcMs: number): {
  date: string;
  compactDate: string;
  time: string;
} {
  const parts = Object.fromEntries(
    partsFormatter.formatToParts(utcMs).map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
  return {
    date,
    compactDate: date.replaceAll('-', ''),
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}`,
  };
}

/** `YYYYMMDD HH:mm:ss US/Eastern`, the way current TWS versions stamp times. */
export function formatTwsTime(utcMs: number): string {
  const p = newYorkParts(utcMs);
  return `${p.compactDate} ${p.time} US/Eastern`;
}
