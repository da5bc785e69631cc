import { DataError, isBarTimestamp, type Bar, type Timeframe } from '@quantpipe/core';

/** The header every bar CSV starts with. */
export const CSV_BAR_HEADER = 'timestamp,open,high,low,close,volume';

/** Where a CSV came from, for error messages. */
export interface CsvSource {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** File name or other label shown in errors. */
  readonly file: string;
}

/** A decimal number: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell as quoted in an error (a huge cell is cut). */
function shortCell(cell: string): string {
  return cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
}

function fail(source: CsvSource, line: number, problem: string): never {
  throw new DataError(`${source.file} line ${line}: ${problem}`, {
    context: { file: source.file, symbol: source.symbol, line },
  });
}

/**
 * Parses the text of one bar CSV (`timestamp,open,high,low,close,volume`). Daily files carry
 * session dates (`YYYY-MM-DD`), hourly files ISO-8601 UTC instants. Every problem is a
 * {@link DataError} naming the file and line: a wrong header, a wrong column count, a number
 * not in decimal notation (hex such as `0x10`, binary, octal, `Infinity`, NaN, text), a zero or
 * negative price, a negative volume, an invalid timestamp,
 * a timestamp of the wrong resolution, unsorted or duplicate timestamps, inconsistent OHLC.
 */
export function parseCsvBars(text: string, source: CsvSource): Bar[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().replace(/^\uFEFF/, '');
  if (header !== CSV_BAR_HEADER)
    fail(source, 1, `expected header "${CSV_BAR_HEADER}", got "${header}"`);
  const bars: Bar[] = [];
  let previous: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    const lineNo = i + 1;
    const cells = raw.split(',');
    if (cells.length !== 6) fail(source, lineNo, `expected 6 columns, got ${cells.length}`);
    const timestamp = (cells[0] as string).trim();
    if (!isBarTimestamp(timestamp))
      fail(source, lineNo, `invalid timestamp ${JSON.stringify(timestamp)}`);
    const daily = timestamp.length === 10;
    if (daily !== (source.timeframe === '1Day')) {
      fail(source, lineNo, `timestamp ${timestamp} does not match timeframe ${source.timeframe}`);
    }
    if (previous !== undefined && timestamp <= previous) {
      fail(
        source,
        lineNo,
        timestamp === previous
          ? `duplicate timestamp ${timestamp}`
          : `timestamps not ascending (${timestamp} after ${previous})`,
      );
    }
    const numbers: number[] = [];
    for (const [k, name] of (['open', 'high', 'low', 'close', 'volume'] as const).entries()) {
      const cell = (cells[k + 1] as string).trim();
      // Decimal notation only: Number() would also read hex ("0x10" is 16), binary, octal,
      // "Infinity" and padded text as numbers.
      const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
      if (!Number.isFinite(value))
        fail(
          source,
          lineNo,
          `${name} is not a finite number in decimal notation: "${shortCell(cell)}"`,
        );
      if (name === 'volume' ? value < 0 : value <= 0) {
        fail(source, lineNo, `${name} must be ${name === 'volume' ? '>= 0' : '> 0'}, got ${value}`);
      }
      numbers.push(value);
    }
    const [open, high, low, close, volume] = numbers as [number, number, number, number, number];
    if (low > Math.min(open, close) || high < Math.max(open, close)) {
      fail(
        source,
        lineNo,
        `inconsistent OHLC (open ${open}, high ${high}, low ${low}, close ${close})`,
      );
    }
    bars.push({ symbol: source.symbol, timestamp, open, high, low, close, volume });
    previous = timestamp;
  }
  return bars;
}
