import fc from 'fast-check';
import {
  US_EQUITY_CALENDAR_YEARS,
  exchangeSessionOrdinal,
  isTradingDay,
  marketStateAt,
  nextSession,
  previousSession,
  sessionOn,
  sessionsBetween,
  usEquityEarlyCloses,
  usEquityHolidays,
} from './exchange-calendar';
import { isQuantpipeError } from './errors';

/*
 * NYSE full closures and 13:00 early closes, 2000-2030, written by hand from the exchange's
 * published holiday schedules and its history of closings (not derived from the code under
 * test). Weekend dates never appear: a Saturday New Year's Day is not observed at all.
 */
const HOLIDAYS: Record<number, string[]> = {
  2000: ['01-17', '02-21', '04-21', '05-29', '07-04', '09-04', '11-23', '12-25'],
  2001: [
    '01-01',
    '01-15',
    '02-19',
    '04-13',
    '05-28',
    '07-04',
    '09-03',
    '09-11',
    '09-12',
    '09-13',
    '09-14',
    '11-22',
    '12-25',
  ],
  2002: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'],
  2003: ['01-01', '01-20', '02-17', '04-18', '05-26', '07-04', '09-01', '11-27', '12-25'],
  2004: ['01-01', '01-19', '02-16', '04-09', '05-31', '06-11', '07-05', '09-06', '11-25', '12-24'],
  2005: ['01-17', '02-21', '03-25', '05-30', '07-04', '09-05', '11-24', '12-26'],
  2006: ['01-02', '01-16', '02-20', '04-14', '05-29', '07-04', '09-04', '11-23', '12-25'],
  2007: ['01-01', '01-02', '01-15', '02-19', '04-06', '05-28', '07-04', '09-03', '11-22', '12-25'],
  2008: ['01-01', '01-21', '02-18', '03-21', '05-26', '07-04', '09-01', '11-27', '12-25'],
  2009: ['01-01', '01-19', '02-16', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'],
  2010: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'],
  2011: ['01-17', '02-21', '04-22', '05-30', '07-04', '09-05', '11-24', '12-26'],
  2012: [
    '01-02',
    '01-16',
    '02-20',
    '04-06',
    '05-28',
    '07-04',
    '09-03',
    '10-29',
    '10-30',
    '11-22',
    '12-25',
  ],
  2013: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'],
  2014: ['01-01', '01-20', '02-17', '04-18', '05-26', '07-04', '09-01', '11-27', '12-25'],
  2015: ['01-01', '01-19', '02-16', '04-03', '05-25', '07-03', '09-07', '11-26', '12-25'],
  2016: ['01-01', '01-18', '02-15', '03-25', '05-30', '07-04', '09-05', '11-24', '12-26'],
  2017: ['01-02', '01-16', '02-20', '04-14', '05-29', '07-04', '09-04', '11-23', '12-25'],
  2018: ['01-01', '01-15', '02-19', '03-30', '05-28', '07-04', '09-03', '11-22', '12-05', '12-25'],
  2019: ['01-01', '01-21', '02-18', '04-19', '05-27', '07-04', '09-02', '11-28', '12-25'],
  2020: ['01-01', '01-20', '02-17', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'],
  2021: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'],
  2022: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'],
  2023: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
  2024: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
  2025: [
    '01-01',
    '01-09',
    '01-20',
    '02-17',
    '04-18',
    '05-26',
    '06-19',
    '07-04',
    '09-01',
    '11-27',
    '12-25',
  ],
  2026: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
  2028: ['01-17', '02-21', '04-14', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
  2029: ['01-01', '01-15', '02-19', '03-30', '05-28', '06-19', '07-04', '09-03', '11-22', '12-25'],
  2030: ['01-01', '01-21', '02-18', '04-19', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
};

const EARLY_CLOSES: Record<number, string[]> = {
  2000: ['07-03', '11-24'],
  2001: ['07-03', '11-23', '12-24'],
  2002: ['07-05', '11-29', '12-24'],
  2003: ['07-03', '11-28', '12-24'],
  2004: ['11-26'],
  2005: ['11-25'],
  2006: ['07-03', '11-24'],
  2007: ['07-03', '11-23', '12-24'],
  2008: ['07-03', '11-28', '12-24'],
  2009: ['11-27', '12-24'],
  2010: ['11-26'],
  2011: ['11-25'],
  2012: ['07-03', '11-23', '12-24'],
  2013: ['07-03', '11-29', '12-24'],
  2014: ['07-03', '11-28', '12-24'],
  2015: ['11-27', '12-24'],
  2016: ['11-25'],
  2017: ['07-03', '11-24'],
  2018: ['07-03', '11-23', '12-24'],
  2019: ['07-03', '11-29', '12-24'],
  2020: ['11-27', '12-24'],
  2021: ['11-26'],
  2022: ['11-25'],
  2023: ['07-03', '11-24'],
  2024: ['07-03', '11-29', '12-24'],
  2025: ['07-03', '11-28', '12-24'],
  2026: ['11-27', '12-24'],
  2027: ['11-26'],
  2028: ['07-03', '11-24'],
  2029: ['07-03', '11-23', '12-24'],
  2030: ['07-03', '11-29', '12-24'],
};

const dated = (year: number, days: readonly string[]): string[] => days.map((d) => `${year}-${d}`);

describe('US equity exchange calendar', () => {
  it.each(Object.keys(HOLIDAYS).map(Number))('has the published closures of %i', (year) => {
    expect([...usEquityHolidays(year).keys()]).toEqual(dated(year, HOLIDAYS[year] ?? []));
  });

  it.each(Object.keys(EARLY_CLOSES).map(Number))('has the published early closes of %i', (year) => {
    expect([...usEquityEarlyCloses(year).keys()]).toEqual(dated(year, EARLY_CLOSES[year] ?? []));
  });

  it('counts the trading days of recent years as the exchange did', () => {
    const count = (y: number): number => sessionsBetween(`${y}-01-01`, `${y}-12-31`).length;
    expect([2019, 2020, 2021, 2022, 2023, 2024].map(count)).toEqual([252, 253, 252, 251, 250, 252]);
  });

  it('gives session instants in UTC across daylight saving and on early closes', () => {
    expect(sessionOn('2024-01-09')).toEqual({
      date: '2024-01-09',
      openMs: Date.parse('2024-01-09T14:30:00Z'),
      closeMs: Date.parse('2024-01-09T21:00:00Z'),
      earlyClose: false,
    });
    expect(sessionOn('2024-07-03')).toEqual({
      date: '2024-07-03',
      openMs: Date.parse('2024-07-03T13:30:00Z'),
      closeMs: Date.parse('2024-07-03T17:00:00Z'),
      earlyClose: true,
    });
    expect(sessionOn('2024-11-29')?.closeMs).toBe(Date.parse('2024-11-29T18:00:00Z'));
    expect(sessionOn('2024-07-04')).toBeUndefined();
    expect(sessionOn('2024-07-06')).toBeUndefined();
  });

  it('steps over weekends and holidays', () => {
    expect(nextSession('2024-12-24').date).toBe('2024-12-26');
    expect(nextSession('2025-01-08').date).toBe('2025-01-10');
    expect(previousSession('2025-01-10').date).toBe('2025-01-08');
    expect(nextSession('2012-10-26').date).toBe('2012-10-31');
    expect(previousSession('2001-09-17').date).toBe('2001-09-10');
    expect(isTradingDay('2004-06-11')).toBe(false);
    expect(isTradingDay('2021-12-31')).toBe(true);
  });

  it('tells whether the market is open at an instant', () => {
    // Wednesday 2024-07-03, an early close: open at noon New York, closed at 13:30.
    expect(marketStateAt(Date.parse('2024-07-03T16:00:00Z'))).toMatchObject({
      isOpen: true,
      session: { date: '2024-07-03' },
      nextCloseMs: Date.parse('2024-07-03T17:00:00Z'),
    });
    const after = marketStateAt(Date.parse('2024-07-03T17:30:00Z'));
    expect(after.isOpen).toBe(false);
    expect(after.nextSession.date).toBe('2024-07-05');
    expect(after.nextCloseMs).toBe(Date.parse('2024-07-05T20:00:00Z'));
    // Before the open of a trading day: that day's session is next.
    expect(marketStateAt(Date.parse('2024-07-05T12:00:00Z')).nextSession.date).toBe('2024-07-05');
    // The close instant itself is closed.
    expect(marketStateAt(Date.parse('2024-07-05T20:00:00Z')).isOpen).toBe(false);
  });

  it('refuses malformed dates and years it does not cover, naming the argument', () => {
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return isQuantpipeError(error)
          ? `${error.code}:${String(error.context['argument'])}`
          : 'other';
      }
      return undefined;
    };
    expect(codeOf(() => isTradingDay('2024-02-30'))).toBe('E_VALIDATION:date');
    expect(codeOf(() => usEquityHolidays(1999))).toBe('E_VALIDATION:year');
    expect(codeOf(() => sessionsBetween('2024-02-01', '2024-01-01'))).toBe('E_VALIDATION:end');
    expect(codeOf(() => marketStateAt(Number.NaN))).toBe('E_VALIDATION:utcMs');
  });

  it('keeps sessions, the next session and the market state consistent (property)', () => {
    // From the second week: the New York date of an instant early on 1 January is still 1999.
    const first = Date.UTC(US_EQUITY_CALENDAR_YEARS.first, 0, 10);
    const last = Date.UTC(2098, 11, 1);
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (ms) => {
        const state = marketStateAt(ms);
        expect(state.nextSession.openMs).toBeGreaterThan(ms);
        expect(state.nextCloseMs).toBeGreaterThan(ms);
        if (state.isOpen) {
          expect(state.session?.openMs).toBeLessThanOrEqual(ms);
          expect(state.session?.closeMs).toBe(state.nextCloseMs);
        } else {
          expect(state.nextCloseMs).toBe(state.nextSession.closeMs);
        }
        const date = new Date(ms).toISOString().slice(0, 10);
        const next = nextSession(date);
        expect(next.date > date).toBe(true);
        expect(previousSession(next.date).date <= date).toBe(true);
        expect(sessionsBetween(date, next.date).at(-1)?.date).toBe(next.date);
      }),
      { numRuns: 300 },
    );
  });
});

describe('exchangeSessionOrdinal', () => {
  it('counts sessions: across a weekend or a holiday the next session is one more', () => {
    expect(exchangeSessionOrdinal('1970-01-05')).toBe(0);
    expect(exchangeSessionOrdinal('2024-04-01') - exchangeSessionOrdinal('2024-03-28')).toBe(1);
    expect(exchangeSessionOrdinal('2024-03-29')).toBe(exchangeSessionOrdinal('2024-04-01'));
    expect(exchangeSessionOrdinal('2024-03-30')).toBe(exchangeSessionOrdinal('2024-04-01'));
    for (const [start, end] of [
      ['2001-01-02', '2002-01-01'],
      ['2024-01-02', '2025-01-01'],
    ] as const)
      expect(exchangeSessionOrdinal(end) - exchangeSessionOrdinal(start)).toBe(
        sessionsBetween(start, end).length - (isTradingDay(end) ? 1 : 0),
      );
    // Outside the calendar's years each weekday counts.
    expect(exchangeSessionOrdinal('1999-12-31') - exchangeSessionOrdinal('1999-12-24')).toBe(5);
  });
});
