import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, NotFoundError, ValidationError } from '@quantpipe/core';
import { CsvHistory, readCsvFolder } from './csv-history';
import { CSV_BAR_HEADER, parseCsvBars } from './parse-csv-bars';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qp-csv-'));
  writeFileSync(
    join(dir, 'AAA_1d.csv'),
    `${CSV_BAR_HEADER}\n2024-01-02,10,11,9.5,10.5,1000\n2024-01-03,10.5,10.8,10,10.2,1200\n2024-01-04,10.2,10.4,9.9,10.1,900\n`,
  );
  writeFileSync(
    join(dir, 'AAA_1h.csv'),
    `${CSV_BAR_HEADER}\r\n2024-01-02T14:00:00Z,10,10.2,9.9,10.1,100\r\n2024-01-02T15:00:00Z,10.1,10.3,10,10.2,120\r\n`,
  );
  writeFileSync(
    join(dir, 'BAD_1d.csv'),
    `${CSV_BAR_HEADER}\n2024-01-02,10,11,9,10,1\n2024-01-02,10,11,9,10,1\n`,
  );
  writeFileSync(join(dir, 'notes.txt'), 'ignored');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const src = { symbol: 'X', timeframe: '1Day' as const, file: 'X_1d.csv' };

describe('parseCsvBars', () => {
  it('parses rows into bars', () => {
    expect(parseCsvBars(`${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5,10\n`, src)).toEqual([
      { symbol: 'X', timestamp: '2024-01-02', open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
    ]);
  });

  it.each([
    ['a wrong header', 'date,open,high,low,close,volume\n', /header/],
    [
      'a missing column',
      `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5\n`,
      /line 2: expected 6 columns/,
    ],
    [
      'a NaN price',
      `${CSV_BAR_HEADER}\n2024-01-02,NaN,2,0.5,1.5,10\n`,
      /open is not a finite number/,
    ],
    [
      'an empty price',
      `${CSV_BAR_HEADER}\n2024-01-02,,2,0.5,1.5,10\n`,
      /open is not a finite number/,
    ],
    ['a negative price', `${CSV_BAR_HEADER}\n2024-01-02,1,2,-0.5,1.5,10\n`, /low must be > 0/],
    ['a negative volume', `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5,-1\n`, /volume must be >= 0/],
    ['an invalid date', `${CSV_BAR_HEADER}\n2024-02-30,1,2,0.5,1.5,10\n`, /invalid timestamp/],
    [
      'an intraday stamp in a daily file',
      `${CSV_BAR_HEADER}\n2024-01-02T14:00:00Z,1,2,0.5,1.5,10\n`,
      /does not match timeframe/,
    ],
    [
      'a duplicate',
      `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5,10\n2024-01-02,1,2,0.5,1.5,10\n`,
      /line 3: duplicate timestamp/,
    ],
    [
      'unsorted rows',
      `${CSV_BAR_HEADER}\n2024-01-03,1,2,0.5,1.5,10\n2024-01-02,1,2,0.5,1.5,10\n`,
      /not ascending/,
    ],
    ['inconsistent OHLC', `${CSV_BAR_HEADER}\n2024-01-02,1,1.2,0.5,1.5,10\n`, /inconsistent OHLC/],
  ])('rejects %s with a DataError naming the line', (_what, text, message) => {
    expect(() => parseCsvBars(text, src)).toThrow(DataError);
    expect(() => parseCsvBars(text, src)).toThrow(message);
  });
});

describe('CsvHistory', () => {
  it('serves daily and hourly bars by range', async () => {
    const h = new CsvHistory(dir);
    expect(
      (await h.getBars({ symbol: 'AAA', timeframe: '1Day', start: '2024-01-03' })).map(
        (b) => b.close,
      ),
    ).toEqual([10.2, 10.1]);
    expect(
      await h.getBars({
        symbol: 'AAA',
        timeframe: '1Hour',
        start: '2024-01-02',
        end: '2024-01-02',
      }),
    ).toHaveLength(2);
    expect(await h.getLatestBar('AAA')).toMatchObject({ timestamp: '2024-01-04', close: 10.1 });
  });

  it('gives typed errors for unknown symbols, malformed files and bad arguments', async () => {
    const h = new CsvHistory(dir);
    await expect(
      h.getBars({ symbol: 'ZZZ', timeframe: '1Day', start: '2024-01-01' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h.getBars({ symbol: 'BAD', timeframe: '1Day', start: '2024-01-01' }),
    ).rejects.toThrow(/BAD_1d.csv line 3: duplicate/);
    await expect(
      h.getBars({ symbol: '../AAA', timeframe: '1Day', start: '2024-01-01' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      h.getBars({ symbol: 'AAA', timeframe: '1Day', start: '2024-01-04', end: '2024-01-02' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(() => new CsvHistory('')).toThrow(ValidationError);
  });

  it('reads a whole folder, and names a missing folder', async () => {
    await expect(readCsvFolder(dir)).rejects.toBeInstanceOf(DataError); // BAD_1d.csv
    const clean = mkdtempSync(join(tmpdir(), 'qp-csv-'));
    try {
      writeFileSync(
        join(clean, 'AAA_1d.csv'),
        `${CSV_BAR_HEADER}\n2024-01-02,10,11,9.5,10.5,1000\n`,
      );
      const all = await readCsvFolder(clean);
      expect(Object.keys(all.daily)).toEqual(['AAA']);
      expect(all.hourly).toEqual({});
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
    await expect(readCsvFolder(join(dir, 'missing'))).rejects.toBeInstanceOf(NotFoundError);
  });
});
