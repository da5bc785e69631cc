import { sessionsBetween } from '@quantpipe/core';
import { parseBacktestConfig } from '../config/backtest-config';
import { calendarWarnings, exchangeSessionOn } from './calendar-check';
import { openMarket } from './open-market';

const july2015 = sessionsBetween('2015-06-29', '2015-07-10').map((s) => s.date);

describe('the calendar series against the US equity exchange calendar', () => {
  it('agrees on the exchange sessions: no warning', () => {
    expect(july2015).not.toContain('2015-07-03'); // Independence Day observed on the Friday
    expect(calendarWarnings('SPY', july2015)).toEqual([]);
  });

  it('flags a bar on a holiday and a session without a bar, in date order', () => {
    const dates = [...july2015.filter((d) => d !== '2015-07-08'), '2015-07-03'].sort();
    expect(calendarWarnings('SPY', dates)).toEqual([
      {
        symbol: 'SPY',
        timestamp: '2015-07-03',
        kind: 'not_a_session',
        detail: 'SPY has a bar on 2015-07-03, when the US equity exchange was closed',
      },
      {
        symbol: 'SPY',
        timestamp: '2015-07-08',
        kind: 'missing_session',
        detail: 'no SPY bar on 2015-07-08, an exchange session',
      },
    ]);
  });

  it('knows the special closures and early closes, and leaves years outside the calendar alone', () => {
    const sept2001 = ['2001-09-10', '2001-09-11', '2001-09-17'];
    expect(calendarWarnings('SPY', sept2001).map((w) => [w.timestamp, w.kind])).toEqual([
      ['2001-09-11', 'not_a_session'],
    ]);
    expect(calendarWarnings('SPY', ['2015-11-25', '2015-11-30'])[0]?.detail).toBe(
      'no SPY bar on 2015-11-27, an exchange session (13:00 early close)',
    );
    expect(calendarWarnings('SPY', ['1999-12-24', '1999-12-25'])).toEqual([]);
    expect(exchangeSessionOn('1999-12-23')).toBeUndefined();
    expect(exchangeSessionOn('2015-07-06')?.openMs).toBe(Date.parse('2015-07-06T13:30:00Z'));
  });

  it('a synthetic market on the exchange calendar opens without calendar warnings', async () => {
    const opened = await openMarket(parseBacktestConfig({ synthetic: { sessions: 400 } }));
    expect(opened.dataWarnings).toEqual([]);
    const weekdays = await openMarket(
      parseBacktestConfig({ synthetic: { sessions: 400, calendar: 'weekdays' } }),
    );
    const holidays = (weekdays.dataWarnings ?? []).filter((w) => w.kind === 'not_a_session');
    expect(holidays.map((w) => w.timestamp)).toContain('2015-12-25');
    expect(holidays.every((w) => w.symbol === 'SYNMKT')).toBe(true);
  });
});
