/**
 * @packageDocumentation
 * danfojs-node interop for `@quantpipe/signals`: DataFrame of bars in, DataFrame of signals
 * out. This entry (`@quantpipe/signals/danfo`) loads danfojs-node, an optional peer dependency;
 * the main entry never does.
 */
import { DataFrame } from 'danfojs-node';
import { ValidationError } from '@quantpipe/core';
import {
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  hourlySignal,
  pctChange,
  type DailySignalConfig,
} from '../index';

/** Options of {@link dailySignalsFrame}. */
export interface DailySignalsFrameOptions {
  /** Signal windows (spec names or camelCase), as `computeDailySignals`'s config. */
  readonly config?: DailySignalConfig;
}

/** Reads a column as a plain array, or undefined when the frame has no such column. */
function column(frame: DataFrame, name: string): unknown[] | undefined {
  if (!frame.columns.includes(name)) return undefined;
  return Array.from(frame.column(name).values as ArrayLike<unknown>);
}

function firstColumn(frame: DataFrame, names: readonly string[]): [string, unknown[]] | undefined {
  for (const name of names) {
    const values = column(frame, name);
    if (values !== undefined) return [name, values];
  }
  return undefined;
}

function numbers(name: string, values: unknown[]): number[] {
  return values.map((v, i) => {
    if (typeof v === 'number') return v;
    if (v === null || v === undefined) return Number.NaN;
    throw new ValidationError(`${name}[${i}]`, `expected a number, got ${JSON.stringify(v)}`);
  });
}

function dateStrings(name: string, values: unknown[]): string[] {
  return values.map((v, i) => {
    if (typeof v === 'string') return v.length > 10 && v[10] === 'T' ? v.slice(0, 10) : v;
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    throw new ValidationError(`${name}[${i}]`, `expected an ISO date string, got ${String(v)}`);
  });
}

/**
 * The five daily signals of one symbol from a DataFrame of daily bars.
 *
 * Columns read: `date` (or `timestamp`; ISO `YYYY-MM-DD`, an ISO timestamp is cut to its date),
 * `close`, and optionally the market as `market_return` (simple returns aligned with the rows)
 * or `market_close` (market closes aligned with the rows; their `pctChange` is used).
 * Without a market column, Momentum and Beta use the spec's fallbacks.
 *
 * @returns a DataFrame with columns `date`, `Volatility`, `Momentum`, `TailRisk`, `Beta`,
 *   `Carry` (one row per input row).
 * @throws ValidationError naming the column for a missing column or bad values.
 */
export function dailySignalsFrame(
  bars: DataFrame,
  options: DailySignalsFrameOptions = {},
): DataFrame {
  const dateColumn = firstColumn(bars, ['date', 'timestamp']);
  if (dateColumn === undefined) {
    throw new ValidationError('bars.date', 'expected a "date" or "timestamp" column');
  }
  const closeValues = column(bars, 'close');
  if (closeValues === undefined)
    throw new ValidationError('bars.close', 'expected a "close" column');
  const dates = dateStrings(`bars.${dateColumn[0]}`, dateColumn[1]);
  const close = numbers('bars.close', closeValues);
  const marketReturnValues = column(bars, 'market_return');
  const marketCloseValues = column(bars, 'market_close');
  let marketReturns: Float64Array | number[] | undefined;
  if (marketReturnValues !== undefined) {
    marketReturns = numbers('bars.market_return', marketReturnValues);
  } else if (marketCloseValues !== undefined) {
    marketReturns = pctChange(numbers('bars.market_close', marketCloseValues));
  }
  const signals = computeDailySignals({ close, dates, marketReturns }, options.config);
  const data: Record<string, unknown[]> = { date: dates };
  for (const name of DAILY_SIGNAL_NAMES) data[name] = Array.from(signals[name]);
  return new DataFrame(data);
}

/**
 * The spec's hourly signal from a DataFrame of hourly bars (columns `high`, `low`, `close`,
 * and `timestamp` or `date`, copied to the output when present). NaN is kept where the spec
 * keeps it (the first 20 rows).
 *
 * @returns a DataFrame with columns `timestamp` (when given) and `Hourly`.
 */
export function hourlySignalFrame(bars: DataFrame): DataFrame {
  const get = (name: string): number[] => {
    const values = column(bars, name);
    if (values === undefined)
      throw new ValidationError(`bars.${name}`, `expected a "${name}" column`);
    return numbers(`bars.${name}`, values);
  };
  const values = hourlySignal({ high: get('high'), low: get('low'), close: get('close') });
  const data: Record<string, unknown[]> = {};
  const time = firstColumn(bars, ['timestamp', 'date']);
  if (time !== undefined) data['timestamp'] = time[1];
  data['Hourly'] = Array.from(values);
  return new DataFrame(data);
}
