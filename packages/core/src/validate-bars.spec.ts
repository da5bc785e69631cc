import fc from 'fast-check';
import type { Bar } from './bar';
import { DataError, ValidationError } from './errors';
import { checkBarPlausibility, validateBars } from './validate-bars';

const bar = (timestamp: string, close: number, extra: Partial<Bar> = {}): Bar => ({
  symbol: 'SYNA',
  timestamp,
  open: close,
  high: close * 1.01,
  low: close * 0.99,
  close,
  volume: 1000,
  ...extra,
});

describe('validateBars', () => {
  it('accepts a clean ascending series', () => {
    expect(() =>
      validateBars([bar('2021-01-04', 10), bar('2021-01-05', 11)], 'SYNA'),
    ).not.toThrow();
  });

  it.each([
    ['NaN close', [bar('2021-01-04', Number.NaN)]],
    ['negative price', [bar('2021-01-04', -1, { high: 1, low: -2, open: -1 })]],
    ['duplicate timestamp', [bar('2021-01-04', 10), bar('2021-01-04', 10)]],
    ['unsorted', [bar('2021-01-05', 10), bar('2021-01-04', 10)]],
    ['bad timestamp', [bar('04/01/2021', 10)]],
    ['high below close', [bar('2021-01-04', 10, { high: 9 })]],
    ['negative volume', [bar('2021-01-04', 10, { volume: -5 })]],
  ])('rejects %s with a DataError naming the bar', (_name, bars) => {
    expect(() => validateBars(bars, 'SYNA')).toThrow(DataError);
    expect(() => validateBars(bars, 'SYNA')).toThrow(/SYNA bar \d/);
  });

  it('never throws anything but DataError on arbitrary numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 5 }), (closes) => {
        const bars = closes.map((c, i) => bar(`2021-01-${String(i + 4).padStart(2, '0')}`, c));
        try {
          validateBars(bars, 'SYNA');
          return closes.every((c) => Number.isFinite(c) && c > 0);
        } catch (e) {
          return e instanceof DataError;
        }
      }),
    );
  });
});

describe('checkBarPlausibility', () => {
  const day = (i: number): string => `2021-02-${String(i + 1).padStart(2, '0')}`;
  const series = (closes: readonly number[]): Bar[] => closes.map((c, i) => bar(day(i), c));

  it('finds nothing in a plausible series', () => {
    expect(checkBarPlausibility(series([10, 10.5, 9.8, 12, 11]))).toEqual([]);
  });

  it('flags a one-day x1000 spike twice (up and back down), as data', () => {
    const bars = series([52.3, 52300, 52.1, 52.4]);
    expect(checkBarPlausibility(bars)).toEqual([
      {
        symbol: 'SYNA',
        timestamp: day(1),
        kind: 'price_jump',
        detail: 'close 52300 is 1000x the previous close 52.3',
      },
      {
        symbol: 'SYNA',
        timestamp: day(2),
        kind: 'price_jump',
        detail: 'close 52.1 is 1/1004 the previous close 52300',
      },
    ]);
  });

  it('uses the configured jump threshold', () => {
    const bars = series([10, 16, 10]);
    expect(checkBarPlausibility(bars)).toEqual([]);
    expect(checkBarPlausibility(bars, { maxJumpRatio: 1.5 }).map((w) => w.timestamp)).toEqual([
      day(1),
      day(2),
    ]);
  });

  it('flags a bar whose high is far above its low (consistent OHLC, implausible range)', () => {
    const bars = [bar(day(0), 10), bar(day(1), 10, { high: 1000 })];
    expect(checkBarPlausibility(bars)).toEqual([
      {
        symbol: 'SYNA',
        timestamp: day(1),
        kind: 'range_jump',
        detail: 'high 1000 is 101x the low 9.9',
      },
    ]);
  });

  it('throws a DataError naming the first implausible bar with onImplausible: error', () => {
    const bars = series([10, 10, 10000, 10]);
    expect(() => checkBarPlausibility(bars, { onImplausible: 'error' })).toThrow(DataError);
    expect(() => checkBarPlausibility(bars, { onImplausible: 'error' })).toThrow(
      `SYNA bar ${day(2)}: implausible`,
    );
  });

  it.each([1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a jump threshold of %d with a ValidationError',
    (maxJumpRatio) => {
      expect(() => checkBarPlausibility([], { maxJumpRatio })).toThrow(ValidationError);
    },
  );

  it('property: a close-to-close warning exactly where the ratio leaves [1/r, r]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1.01, max: 100, noNaN: true }),
        (closes, r) => {
          const bars = closes.map((c, i) => bar(day(i), c, { high: c, low: c }));
          const flagged = new Set(
            checkBarPlausibility(bars, { maxJumpRatio: r }).map((w) => w.timestamp),
          );
          return closes.every((c, i) => {
            const prev = closes[i - 1];
            const jump = prev !== undefined && (c / prev > r || c / prev < 1 / r);
            return flagged.has(day(i)) === jump;
          });
        },
      ),
    );
  });
});
