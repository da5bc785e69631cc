import {
  US_EQUITY_CALENDAR_YEARS,
  sessionOn,
  sessionsBetween,
  type DataWarning,
  type ExchangeSession,
} from '@quantpipe/core';

function inCalendarYears(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= US_EQUITY_CALENDAR_YEARS.first && year <= US_EQUITY_CALENDAR_YEARS.last;
}

/** The US equity session on `date`; undefined when closed or outside the calendar's years. */
export function exchangeSessionOn(date: string): ExchangeSession | undefined {
  return inCalendarYears(date) ? sessionOn(date) : undefined;
}

/**
 * Where the sessions of a market's calendar series (`dates`, ascending, of `symbol`) disagree
 * with the US equity exchange calendar: bars on days the exchange was closed (`not_a_session`)
 * and exchange sessions without a bar (`missing_session`), within the calendar's years. Data
 * of another exchange or a vendor's gaps show here before they move a result.
 */
export function calendarWarnings(symbol: string, dates: readonly string[]): DataWarning[] {
  const inYears = dates.filter(inCalendarYears);
  const first = inYears[0];
  const last = inYears[inYears.length - 1];
  if (first === undefined || last === undefined) return [];
  const warnings: DataWarning[] = [];
  const have = new Set(inYears);
  for (const date of inYears)
    if (sessionOn(date) === undefined)
      warnings.push({
        symbol,
        timestamp: date,
        kind: 'not_a_session',
        detail: `${symbol} has a bar on ${date}, when the US equity exchange was closed`,
      });
  for (const session of sessionsBetween(first, last))
    if (!have.has(session.date))
      warnings.push({
        symbol,
        timestamp: session.date,
        kind: 'missing_session',
        detail: `no ${symbol} bar on ${session.date}, an exchange session${session.earlyClose ? ' (13:00 early close)' : ''}`,
      });
  return warnings.sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0,
  );
}
