import { newYorkLocalToUtcMs, newYorkParts } from '@quantpipe/core';

/** A parsed TWS duration string such as `"3 Y"` or `"20 D"`. */
export interface TwsDuration {
  readonly count: number;
  readonly unit: 'S' | 'D' | 'W' | 'M' | 'Y';
}

/** Bar sizes the emulator serves. */
export type TwsBarSize = 'day' | 'hour';

/** A TWS error code and message for an invalid historical request. */
export interface TwsRequestError {
  readonly code: number;
  readonly message: string;
}

/** Parses `"<count> <S|D|W|M|Y>"`. */
export function parseDuration(text: string): TwsDuration | undefined {
  const m = /^\s*(\d+)\s+([SDWMY])\s*$/.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  if (!(count >= 1)) return undefined;
  return { count, unit: m[2] as TwsDuration['unit'] };
}

/** Parses a bar size setting; the emulator serves `1 day` and `1 hour`. */
export function parseBarSize(text: string): TwsBarSize | undefined {
  const t = text.trim().toLowerCase();
  if (t === '1 day') return 'day';
  if (t === '1 hour' || t === '1 hours') return 'hour';
  return undefined;
}

const DAY_MS = 86_400_000;

/**
 * Checks the duration rules of the real service:
 * - a duration in days may not exceed 365 (longer spans must be given in years), error 321;
 * - 1-hour bars may be requested for at most one month (`"1 M"`), error 321.
 */
export function checkDurationRules(
  duration: TwsDuration,
  barSize: TwsBarSize,
): TwsRequestError | undefined {
  if (duration.unit === 'D' && duration.count > 365) {
    return {
      code: 321,
      message:
        "Error validating request.-'bX' : cause - Historical data request for durations longer than 365 days must be made in years.",
    };
  }
  if (barSize === 'hour') {
    const tooLong =
      duration.unit === 'Y' ||
      (duration.unit === 'M' && duration.count > 1) ||
      (duration.unit === 'W' && duration.count > 4) ||
      (duration.unit === 'D' && duration.count > 31) ||
      (duration.unit === 'S' && duration.count > 31 * 86_400);
    if (tooLong) {
      return {
        code: 321,
        message:
          "Error validating request.-'bX' : cause - Historical data request too long for 1 hour bars: at most 1 M.",
      };
    }
  }
  return undefined;
}

/** Subtracts calendar months in UTC, clamping the day to the target month's length. */
export function subtractMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mIndex = d.getUTCMonth() - months;
  const targetYear = y + Math.floor(mIndex / 12);
  const targetMonth = ((mIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(
    targetYear,
    targetMonth,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** The start instant of a request window `[end - duration, end)`. */
export function windowStartMs(endMs: number, duration: TwsDuration): number {
  switch (duration.unit) {
    case 'S':
      return endMs - duration.count * 1000;
    case 'D':
      return endMs - duration.count * DAY_MS;
    case 'W':
      return endMs - duration.count * 7 * DAY_MS;
    case 'M':
      return subtractMonthsUtc(endMs, duration.count);
    case 'Y':
      return subtractMonthsUtc(endMs, 12 * duration.count);
  }
}

/**
 * Parses `endDateTime`: empty (now), `YYYYMMDD-HH:mm:ss` (UTC), `YYYYMMDD HH:mm:ss UTC`,
 * `YYYYMMDD HH:mm:ss US/Eastern` and `YYYYMMDD HH:mm:ss` (exchange time, New York),
 * or `YYYYMMDD` (the end of that New York day).
 */
export function parseEndDateTime(text: string, nowMs: number): number | undefined {
  const t = text.trim();
  if (t === '') return nowMs;
  const dateOnly = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (dateOnly) {
    return newYorkLocalToUtcMs(
      Number(dateOnly[1]),
      Number(dateOnly[2]),
      Number(dateOnly[3]),
      23,
      59,
      59,
    );
  }
  const m = /^(\d{4})(\d{2})(\d{2})([ -])\s?(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d, hh, mi, ss] = [m[1], m[2], m[3], m[5], m[6], m[7]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = m[8];
  let ms: number;
  if (m[4] === '-' || zone === 'UTC' || zone === 'GMT' || zone === 'Etc/UTC') {
    ms = Date.UTC(y, mo - 1, d, hh, mi, ss);
  } else if (
    zone === undefined ||
    zone === 'US/Eastern' ||
    zone === 'America/New_York' ||
    zone === 'EST' ||
    zone === 'EDT'
  ) {
    ms = newYorkLocalToUtcMs(y, mo, d, hh, mi, ss);
  } else {
    return undefined;
  }
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Daily bars selected by a window: session dates d with start < d <= end, both taken as New
 * York dates (`YYYY-MM-DD`). Durations are counted in calendar units on those dates.
 */
export function dailyWindow(endMs: number, duration: TwsDuration): { after: string; last: string } {
  const last = newYorkParts(endMs).date;
  const lastMs = Date.parse(`${last}T00:00:00Z`);
  const after = new Date(windowStartMs(lastMs, duration)).toISOString().slice(0, 10);
  return { after, last };
}
