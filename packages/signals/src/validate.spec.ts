import fc from 'fast-check';
import { dayOfYear, isIsoDate, ValidationError } from '@quantpipe/core';
import { checkDates, dayOfYearOfKey, isoDateKey, isoDayOfYear } from './validate';

fc.configureGlobal({ seed: 20261124 });

const isoDate = fc
  .date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2100-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

describe('date checks', () => {
  it('day of year agrees with @quantpipe/core (pandas dayofyear)', () => {
    fc.assert(
      fc.property(isoDate, (d) => {
        expect(isoDayOfYear(d)).toBe(dayOfYear(d));
        expect(checkDates('dates', [d])[0]).toBe(dayOfYear(d));
      }),
    );
  });

  it('accepts exactly the real calendar dates', () => {
    const almostDate = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      );
    fc.assert(
      fc.property(fc.oneof(almostDate, fc.string({ maxLength: 12 })), (s) => {
        let accepted = true;
        try {
          checkDates('dates', [s]);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          accepted = false;
        }
        expect(accepted).toBe(isIsoDate(s));
      }),
    );
  });

  it('orders dates as the calendar does and rejects duplicates', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        const ok = a < b;
        let accepted = true;
        try {
          checkDates('dates', [a, b]);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(ok);
      }),
    );
  });

  it('keys order as the dates do and give back the day of year', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        const ka = isoDateKey(a);
        const kb = isoDateKey(b);
        expect(Math.sign(ka - kb)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(dayOfYearOfKey(ka)).toBe(dayOfYear(a));
      }),
    );
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-01', '', 20240101]) {
      expect(isoDateKey(bad)).toBe(-1);
    }
  });
});
