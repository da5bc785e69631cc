import { assertBarTimestamp, dayOfYear, isIsoDate, isIsoUtcTimestamp, sessionDateOf } from './time';
import { ValidationError } from './errors';

describe('time helpers', () => {
  it('recognise ISO dates and UTC instants', () => {
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2021-1-02')).toBe(false);
    expect(isIsoUtcTimestamp('2021-03-01T14:00:00Z')).toBe(true);
    expect(isIsoUtcTimestamp('2021-03-01T14:00:00.123Z')).toBe(true);
    expect(isIsoUtcTimestamp('2021-03-01T14:00:00+01:00')).toBe(false);
    expect(isIsoUtcTimestamp('2021-03-01 14:00:00')).toBe(false);
    expect(() => assertBarTimestamp('ts', '03/01/2021')).toThrow(ValidationError);
  });

  it('date intraday bars by the New York session, across DST', () => {
    expect(sessionDateOf('2021-03-01')).toBe('2021-03-01');
    // Winter (UTC-5): 20:00Z is 15:00 New York; 01:00Z next day is 20:00 New York.
    expect(sessionDateOf('2021-03-01T20:00:00Z')).toBe('2021-03-01');
    expect(sessionDateOf('2021-03-02T01:00:00Z')).toBe('2021-03-01');
    // Summer (UTC-4): 03:59Z is 23:59 New York the day before.
    expect(sessionDateOf('2021-07-02T03:59:00Z')).toBe('2021-07-01');
    expect(sessionDateOf('2021-07-02T04:00:00Z')).toBe('2021-07-02');
  });

  it('number days of the year as pandas does (1..366)', () => {
    expect(dayOfYear('2021-01-01')).toBe(1);
    expect(dayOfYear('2021-12-31')).toBe(365);
    expect(dayOfYear('2020-12-31')).toBe(366);
    expect(dayOfYear('2020-03-01')).toBe(61);
  });
});
