import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NotFoundError,
  ValidationError,
  type Bar,
  type BarsRequest,
  type MarketData,
  type Timeframe,
} from '@quantpipe/core';
import { InMemoryMarketData, type BarsBySymbol } from '../in-memory-market-data';
import { parseCsvBars } from './parse-csv-bars';

const SUFFIX: Record<Timeframe, string> = { '1Day': '_1d.csv', '1Hour': '_1h.csv' };
const FILE_PATTERN = /^([A-Za-z0-9.\-^]+)_(1d|1h)\.csv$/;

/** Every bar of a CSV folder, by timeframe and symbol. */
export interface CsvFolderBars {
  readonly daily: BarsBySymbol;
  readonly hourly: BarsBySymbol;
}

/**
 * Reads every `<SYMBOL>_1d.csv` and `<SYMBOL>_1h.csv` of a folder (other files are ignored).
 * Throws a DataError naming the file and line for the first malformed row, and a
 * NotFoundError when the folder does not exist.
 */
export async function readCsvFolder(directory: string): Promise<CsvFolderBars> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new NotFoundError(`CSV folder ${directory} cannot be read`, {
      cause: error,
      context: { directory },
    });
  }
  const daily: Record<string, Bar[]> = {};
  const hourly: Record<string, Bar[]> = {};
  for (const name of names.sort()) {
    const m = FILE_PATTERN.exec(name);
    if (!m) continue;
    const symbol = m[1] as string;
    const timeframe: Timeframe = m[2] === '1d' ? '1Day' : '1Hour';
    const text = await readFile(join(directory, name), 'utf8');
    const bars = parseCsvBars(text, { symbol, timeframe, file: name });
    (timeframe === '1Day' ? daily : hourly)[symbol] = bars;
  }
  return { daily, hourly };
}

/**
 * {@link MarketData} over a folder of CSV files, one per symbol and timeframe
 * (`<SYMBOL>_1d.csv`, `<SYMBOL>_1h.csv`, header `timestamp,open,high,low,close,volume`).
 * A file is read and validated the first time its symbol is asked for, then kept in memory.
 * Unknown symbols throw NotFoundError; malformed files throw DataError naming file and line.
 */
export class CsvHistory implements MarketData {
  private readonly loaded = new Map<string, Promise<InMemoryMarketData>>();

  /** @param directory The folder holding the CSV files. */
  constructor(private readonly directory: string) {
    if (typeof directory !== 'string' || directory === '') {
      throw new ValidationError('directory', 'expected a folder path');
    }
  }

  private load(symbol: string, timeframe: Timeframe): Promise<InMemoryMarketData> {
    if (!/^[A-Za-z0-9.\-^]+$/.test(symbol)) {
      return Promise.reject(
        new ValidationError('symbol', `invalid symbol ${JSON.stringify(symbol)}`),
      );
    }
    const key = `${symbol}${SUFFIX[timeframe]}`;
    let pending = this.loaded.get(key);
    if (!pending) {
      pending = this.readFile(symbol, timeframe, key);
      this.loaded.set(key, pending);
      // A failed read is not cached: the file may be fixed or appear later.
      pending.catch(() => this.loaded.delete(key));
    }
    return pending;
  }

  private async readFile(
    symbol: string,
    timeframe: Timeframe,
    file: string,
  ): Promise<InMemoryMarketData> {
    let text: string;
    try {
      text = await readFile(join(this.directory, file), 'utf8');
    } catch (error) {
      throw new NotFoundError(`unknown symbol ${symbol}: no ${file} in ${this.directory}`, {
        cause: error,
        context: { symbol, timeframe, file },
      });
    }
    const bars = parseCsvBars(text, { symbol, timeframe, file });
    return timeframe === '1Day'
      ? new InMemoryMarketData({ daily: { [symbol]: bars } })
      : new InMemoryMarketData({ daily: {}, hourly: { [symbol]: bars } });
  }

  async getBars(request: BarsRequest): Promise<Bar[]> {
    const source = await this.load(request.symbol, request.timeframe);
    return source.getBars(request);
  }

  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    const source = await this.load(symbol, timeframe);
    return source.getLatestBar(symbol, timeframe);
  }
}
