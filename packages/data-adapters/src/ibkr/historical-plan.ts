import {
  assertBarTimestamp,
  ValidationError,
  type BarsRequest,
  newYorkParts,
} from '@quantpipe/core';
import { formatUtcForTws } from './ibkr-time';

/** One historical-data request as TWS takes it. */
export interface HistoricalChunk {
  /** `YYYYMMDD-HH:mm:ss` (UTC). */
  readonly endDateTime: string;
  /** `"N D"`, `"N Y"` or `"1 M"`. */
  readonly durationStr: string;
  /** `"1 day"` or `"1 hour"`. */
  readonly barSizeSetting: '1 day' | '1 hour';
}

/** TWS refuses day durations above this (they must be given in years). */
export const MAX_DAY_DURATION = 365;

const DAY_MS = 86_400_000;

/** Subtracts calendar months in UTC, clamping the day (the same arithmetic as the service). */
export function subtractMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const mIndex = d.getUTCMonth() - months;
  const year = d.getUTCFullYear() + Math.floor(mIndex / 12);
  const month = ((mIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/**
 * The end of a request as an instant, exclusive: a date end covers that whole day (the next
 * UTC midnight), an instant end includes a bar starting exactly then (one second later).
 */
export function requestEndMs(end: string | undefined, nowMs: number): number {
  if (end === undefined) return nowMs;
  assertBarTimestamp('end', end);
  if (end.length === 10) return Date.parse(`${end}T00:00:00Z`) + DAY_MS;
  return Date.parse(end) + 1000;
}

/** The first session date a request asks for (New York date of an instant start). */
export function requestStartDate(start: string): string {
  assertBarTimestamp('start', start);
  return start.length === 10 ? start : newYorkParts(Date.parse(start)).date;
}

/**
 * Splits a bars request into TWS requests that obey the service's rules:
 * - daily bars: one request; `"N D"` up to 365 days, otherwise `"N Y"` with the fewest whole
 *   years that reach the start (durations over 365 days must be in years, error 321);
 * - hourly bars: one `"1 M"` request per calendar month, newest first, each ending where the
 *   next one starts (1-hour bars may be requested for at most one month).
 * Windows may reach before `start`; the caller trims and de-duplicates.
 */
export function planHistoricalRequests(request: BarsRequest, nowMs: number): HistoricalChunk[] {
  const endMs = requestEndMs(request.end, nowMs);
  if (request.timeframe === '1Day') {
    // The service takes the New York date of the end instant as the last session.
    const lastDate = newYorkParts(endMs - 1000).date;
    const startDate = requestStartDate(request.start);
    if (startDate > lastDate) {
      throw new ValidationError(
        'start',
        `start ${request.start} is after end ${request.end ?? 'now'}`,
      );
    }
    const lastDayMs = Date.parse(`${lastDate}T00:00:00Z`);
    const startDayMs = Date.parse(`${startDate}T00:00:00Z`);
    const days = Math.round((lastDayMs - startDayMs) / DAY_MS) + 1;
    const endDateTime = formatUtcForTws(endMs - 1000);
    if (days <= MAX_DAY_DURATION)
      return [{ endDateTime, durationStr: `${days} D`, barSizeSetting: '1 day' }];
    let years = 1;
    while (subtractMonthsUtc(lastDayMs, 12 * years) >= startDayMs) years++;
    return [{ endDateTime, durationStr: `${years} Y`, barSizeSetting: '1 day' }];
  }
  if (request.timeframe === '1Hour') {
    assertBarTimestamp('start', request.start);
    const startMs = Date.parse(
      request.start.length === 10 ? `${request.start}T00:00:00Z` : request.start,
    );
    if (startMs >= endMs) {
      throw new ValidationError(
        'start',
        `start ${request.start} is after end ${request.end ?? 'now'}`,
      );
    }
    const chunks: HistoricalChunk[] = [];
    for (let chunkEnd = endMs; chunkEnd > startMs; chunkEnd = subtractMonthsUtc(chunkEnd, 1)) {
      chunks.push({
        endDateTime: formatUtcForTws(chunkEnd),
        durationStr: '1 M',
        barSizeSetting: '1 hour',
      });
    }
    return chunks;
  }
  throw new ValidationError('timeframe', `unsupported timeframe ${String(request.timeframe)}`);
}
