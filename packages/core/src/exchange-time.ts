import { EXCHANGE_TIME_ZONE } from './time';

/**
 * New York (exchange) wall-clock helpers. US equity venues speak exchange time in many
 * fields (TWS bar stamps, session hours), so adapters and emulators convert both ways.
 */

const offsetFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  timeZoneName: 'longOffset',
});

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: EXCHANGE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
});

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const DAY_MS = 86_400_000;
/**
 * Offsets by UTC day: the time-zone lookup costs microseconds and a market's bars ask for the
 * same days again and again. A day whose first and last millisecond have one offset has no
 * switch in it (New York never switched twice in a day), so it has that offset throughout;
 * a switch day (two a year) is marked NaN and looked up each time. Bounded: cleared when full.
 */
const offsetByUtcDay = new Map<number, number>();
const OFFSET_CACHE_DAYS = 1 << 17;

/** Offset of New York from UTC at an instant, in minutes (-300 in winter, -240 in summer). */
export function newYorkOffsetMinutes(utcMs: number): number {
  if (!Number.isFinite(utcMs)) return lookUpOffsetMinutes(utcMs);
  const day = Math.floor(utcMs / DAY_MS);
  let minutes = offsetByUtcDay.get(day);
  if (minutes === undefined) {
    const first = lookUpOffsetMinutes(day * DAY_MS);
    const last = lookUpOffsetMinutes(day * DAY_MS + DAY_MS - 1);
    minutes = first === last ? first : Number.NaN;
    if (offsetByUtcDay.size >= OFFSET_CACHE_DAYS) offsetByUtcDay.clear();
    offsetByUtcDay.set(day, minutes);
  }
  return Number.isNaN(minutes) ? lookUpOffsetMinutes(utcMs) : minutes;
}

function lookUpOffsetMinutes(utcMs: number): number {
  const name = offsetFormatter.formatToParts(utcMs).find((p) => p.type === 'timeZoneName');
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name?.value ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** UTC milliseconds of a New York wall-clock time (month 1..12). */
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
export interface NewYorkParts {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `YYYYMMDD`. */
  readonly compactDate: string;
  /** `HH:mm:ss`. */
  readonly time: string;
  /** 0 = Sunday .. 6 = Saturday. */
  readonly weekday: number;
  /** Seconds since local midnight. */
  readonly secondOfDay: number;
}

/** The New York date, time, weekday and second of the day of an instant. */
export function newYorkParts(utcMs: number): NewYorkParts {
  const p = Object.fromEntries(partsFormatter.formatToParts(utcMs).map((x) => [x.type, x.value]));
  const date = `${p['year']}-${p['month']}-${p['day']}`;
  return {
    date,
    compactDate: date.replaceAll('-', ''),
    time: `${p['hour']}:${p['minute']}:${p['second']}`,
    weekday: WEEKDAYS.indexOf(p['weekday'] ?? ''),
    secondOfDay: Number(p['hour']) * 3600 + Number(p['minute']) * 60 + Number(p['second']),
  };
}
