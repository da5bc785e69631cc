import { assertBarTimestamp, dayOfYear, isIsoDate, isIsoUtcTimestamp, sessionDateOf } from './time';
import fc from 'fast-check';
import { ValidationError } from './errors';

/** The round trip through `Date` the arithmetic checks must agree with. */
function isIsoDateByDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isIsoUtcTimestampByDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(value)) return false;
  const t = Date.parse(value);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 19) === value.slice(0, 19);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const dateParts = fc.tuple(
  fc.integer({ min: 0, max: 9999 }),
  fc.integer({ min: 0, max: 13 }),
  fc.integer({ min: 0, max: 32 }),
);
const timeParts = fc.tuple(
  fc.integer({ min: 0, max: 25 }),
  fc.integer({ min: 0, max: 61 }),
  fc.integer({ min: 0, max: 61 }),
  fc.option(fc.integer({ min: 0, max: 999_999_999 }), { nil: undefined }),
);

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

  it('isIsoDate answers as a round trip through Date would (property)', () => {
    fc.assert(
      fc.property(dateParts, ([y, m, d]) => {
        const value = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        expect(isIsoDate(value)).toBe(isIsoDateByDate(value));
      }),
      { numRuns: 5000 },
    );
    for (const leap of ['2024-02-29', '2000-02-29', '0000-02-29'])
      expect(isIsoDate(leap)).toBe(true);
    for (const bad of [
      '1900-02-29',
      '2023-02-29',
      '2024-1-01',
      '2024-01-01 ',
      '2024-01-01T00:00:00Z',
    ])
      expect(isIsoDate(bad)).toBe(false);
  });

  it('isIsoUtcTimestamp answers as a round trip through Date would (property)', () => {
    fc.assert(
      fc.property(dateParts, timeParts, ([y, mo, d], [h, mi, s, fraction]) => {
        const frac =
          fraction === undefined ? '' : `.${String(fraction).slice(0, 1 + (fraction % 9))}`;
        const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac}Z`;
        expect(isIsoUtcTimestamp(value)).toBe(isIsoUtcTimestampByDate(value));
      }),
      { numRuns: 5000 },
    );
    for (const bad of ['2024-01-01T24:00:00Z', '2024-01-01T10:60:00Z', '2024-01-01T10:00:60Z'])
      expect(isIsoUtcTimestamp(bad)).toBe(false);
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
