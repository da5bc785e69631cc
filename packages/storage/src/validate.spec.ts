import { isIsoUtcTimestamp } from '@quantpipe/core';
import fc from 'fast-check';
import { isWholeSecondInstant, normaliseBound } from './validate';

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
);

describe('whole-second instants', () => {
  it('isWholeSecondInstant is core isIsoUtcTimestamp without fractions (property)', () => {
    fc.assert(
      fc.property(dateParts, timeParts, ([y, mo, d], [h, mi, s]) => {
        const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}Z`;
        expect(isWholeSecondInstant(value)).toBe(isIsoUtcTimestamp(value));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:00:00.5Z',
    '2024-01-01T10:00:00+00:00',
    '2024-01-01',
  ])('refuses %j as a whole-second instant', (value) => {
    expect(isWholeSecondInstant(value)).toBe(false);
  });
});

describe('normaliseBound', () => {
  it('maps dates to whole days and rounds fractional instants inward for hourly bars', () => {
    expect(normaliseBound('start', '2024-01-03', '1Hour', 'start')).toBe('2024-01-03T00:00:00Z');
    expect(normaliseBound('end', '2024-01-03', '1Hour', 'end')).toBe('2024-01-03T23:59:59Z');
    expect(normaliseBound('start', '2024-01-03T10:00:00.001Z', '1Hour', 'start')).toBe(
      '2024-01-03T10:00:01Z',
    );
    expect(normaliseBound('end', '2024-01-03T10:00:00.999Z', '1Hour', 'end')).toBe(
      '2024-01-03T10:00:00Z',
    );
  });

  it('maps instants to their UTC date for daily bars', () => {
    expect(normaliseBound('start', '2024-01-03T23:00:00Z', '1Day', 'start')).toBe('2024-01-03');
  });
});
