import fc from 'fast-check';
import type { Bar } from './bar';
import { DataError } from './errors';
import { validateBars } from './validate-bars';

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
