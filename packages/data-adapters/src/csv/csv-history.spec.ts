import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataError, NotFoundError, ValidationError, type Bar } from '@quantpipe/core';
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
    [
      'a hex volume',
      `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5,0x10\n`,
      /volume is not a finite number in decimal notation: "0x10"/,
    ],
    ['a binary price', `${CSV_BAR_HEADER}\n2024-01-02,0b1,2,0.5,1.5,10\n`, /open is not a finite/],
    ['an octal price', `${CSV_BAR_HEADER}\n2024-01-02,1,0o7,0.5,1.5,10\n`, /high is not a finite/],
    ['an Infinity price', `${CSV_BAR_HEADER}\n2024-01-02,1,Infinity,0.5,1.5,10\n`, /high is not/],
    ['a digit separator', `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5,1_000\n`, /volume is not/],
    ['a bare dot', `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,.,10\n`, /close is not/],
  ])('rejects %s with a DataError naming the line', (_what, text, message) => {
    expect(() => parseCsvBars(text, src)).toThrow(DataError);
    expect(() => parseCsvBars(text, src)).toThrow(message);
  });
});

describe('parseCsvBars numbers', () => {
  it('reads decimal notation: signs, fractions without leading digits, exponents', () => {
    const text = `${CSV_BAR_HEADER}\n2024-01-02,+1.0,2.,.5,1.5e0,1E3\n`;
    expect(parseCsvBars(text, src)).toEqual([
      {
        symbol: 'X',
        timestamp: '2024-01-02',
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volume: 1000,
      },
    ]);
  });

  it('property: a cell is read exactly when it is decimal notation of a finite number', () => {
    const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
    const cell = fc.oneof(
      fc.double({ min: 0.01, max: 1e6, noNaN: true }).map(String),
      fc.integer({ min: 1, max: 1e6 }).map((n) => `0x${n.toString(16)}`),
      fc.string({ maxLength: 6 }).filter((s) => !/[,\r\n]/.test(s)),
    );
    fc.assert(
      fc.property(cell, (volume) => {
        const text = `${CSV_BAR_HEADER}\n2024-01-02,1,2,0.5,1.5,${volume}\n`;
        let read: number | undefined;
        try {
          read = (parseCsvBars(text, src)[0] as Bar).volume;
        } catch (error) {
          if (!(error instanceof DataError)) throw error;
        }
        const trimmed = volume.trim();
        const ok =
          decimal.test(trimmed) && Number.isFinite(Number(trimmed)) && Number(trimmed) >= 0;
        return ok ? read === Number(trimmed) : read === undefined;
      }),
    );
  });
});

describe('parseCsvBars round trip', () => {
  it('reads back exactly the bars it was given, for any valid series', () => {
    const price = fc.double({ min: 0.01, max: 1e5, noNaN: true, noDefaultInfinity: true });
    const row = fc.record({
      a: price,
      b: price,
      spreadUp: fc.double({ min: 0, max: 0.1, noNaN: true }),
      spreadDown: fc.double({ min: 0, max: 0.1, noNaN: true }),
      volume: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const bars: Bar[] = rows.map((r, i) => {
          const high = Math.max(r.a, r.b) * (1 + r.spreadUp);
          const low = Math.min(r.a, r.b) * (1 - r.spreadDown);
          const timestamp = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000)
            .toISOString()
            .replace('.000Z', 'Z');
          return {
            symbol: 'X',
            timestamp,
            open: r.a,
            high,
            low: Math.max(low, 1e-9),
            close: r.b,
            volume: r.volume,
          };
        });
        const text = [
          CSV_BAR_HEADER,
          ...bars.map((b) => [b.timestamp, b.open, b.high, b.low, b.close, b.volume].join(',')),
        ].join('\n');
        expect(parseCsvBars(text, { symbol: 'X', timeframe: '1Hour', file: 'X_1h.csv' })).toEqual(
          bars,
        );
      }),
      { numRuns: 100 },
    );
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
