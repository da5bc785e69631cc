import { newYorkParts, newYorkLocalToUtcMs } from '@quantpipe/core';
import type { MarketClock } from '@quantpipe/core';
import { isoSeconds } from './ibkr-time';

const OPEN_SECOND = 9 * 3600 + 30 * 60;
const CLOSE_SECOND = 16 * 3600;

function sessionBounds(date: string): { openMs: number; closeMs: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return {
    openMs: newYorkLocalToUtcMs(y, m, d, 9, 30, 0),
    closeMs: newYorkLocalToUtcMs(y, m, d, 16, 0, 0),
  };
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function isWeekday(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/**
 * The US equity regular session derived from exchange hours, because the TWS API has no
 * market-clock request: open Monday to Friday 09:30–16:00 America/New_York. Exchange holidays
 * and early closes are NOT modelled (a holiday reads as open); callers that must know should
 * confirm with a data request.
 */
export function usEquityMarketClock(nowMs: number): MarketClock {
  const today = newYorkParts(nowMs);
  const sec = today.secondOfDay;
  const isOpen = isWeekday(today.date) && sec >= OPEN_SECOND && sec < CLOSE_SECOND;
  // Next open: today's if still ahead, else the next weekday's.
  let openDate = today.date;
  if (!isWeekday(openDate) || sec >= OPEN_SECOND) {
    openDate = nextDate(openDate);
    while (!isWeekday(openDate)) openDate = nextDate(openDate);
  }
  // Next close: today's if the session has not closed yet, else the next open's session.
  const closeDate = isWeekday(today.date) && sec < CLOSE_SECOND ? today.date : openDate;
  return {
    timestamp: isoSeconds(nowMs),
    isOpen,
    nextOpen: isoSeconds(sessionBounds(openDate).openMs),
    nextClose: isoSeconds(sessionBounds(closeDate).closeMs),
  };
}
