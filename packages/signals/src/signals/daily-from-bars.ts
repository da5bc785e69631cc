import { ValidationError, type Bar } from '@quantpipe/core';
import type { DailySignalConfig } from './config';
import { computeDailySignals, type DailySignals } from './daily';
import { alignMarketReturns } from './market-returns';

/** Input of {@link dailySignalsFromBars}: one symbol's daily bars and the market's. */
export interface DailyBarsInput {
  /** The symbol's daily bars, oldest first, all of one symbol (e.g. from `CsvHistory`). */
  readonly bars: readonly Bar[];
  /**
   * The market's (benchmark's) daily bars, on its own calendar. Omit for the spec's fallback
   * without a market (raw momentum, `returns * 0.6` for Beta).
   */
  readonly market?: readonly Bar[];
}

/** The session dates (`YYYY-MM-DD`) and closes of daily bars of one symbol. */
function datesAndCloses(
  argument: string,
  bars: readonly Bar[],
): { dates: string[]; close: Float64Array } {
  if (!Array.isArray(bars)) throw new ValidationError(argument, 'expected an array of bars');
  const dates = new Array<string>(bars.length);
  const close = new Float64Array(bars.length);
  const symbol = bars[0]?.symbol;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as Bar | null | undefined;
    if (bar === null || typeof bar !== 'object') {
      throw new ValidationError(`${argument}[${i}]`, 'expected a bar { symbol, timestamp, close }');
    }
    if (typeof bar.timestamp !== 'string') {
      throw new ValidationError(`${argument}[${i}].timestamp`, 'expected a session date string');
    }
    if (typeof bar.close !== 'number') {
      throw new ValidationError(`${argument}[${i}].close`, 'expected a number');
    }
    if (bar.symbol !== symbol) {
      throw new ValidationError(
        `${argument}[${i}].symbol`,
        `expected the bars of one symbol (${String(symbol)}), got ${String(bar.symbol)}`,
      );
    }
    // a daily bar's timestamp is its session date; an ISO instant keeps its date part, so
    // intraday bars show up as duplicate dates (refused by the date check)
    dates[i] = bar.timestamp.slice(0, 10);
    close[i] = bar.close;
  }
  return { dates, close };
}

/**
 * The five daily signals of one symbol straight from its bars: the closes and session dates
 * are taken from `bars`, and the market's returns are aligned onto the symbol's dates as the
 * spec does (`alignMarketReturns`: reindex, then forward-fill), so the result equals
 * `computeDailySignals({ close, dates, marketReturns: alignMarketReturns(market, dates) })`.
 *
 * @param input `{ bars, market? }`.
 * @param config as {@link computeDailySignals}'s (signal windows, `warmup`).
 * @throws ValidationError naming the argument (`bars[3].close`, `market[0].timestamp`, …) for
 *   a bar that is not one, bars of several symbols, bad closes or dates, or a bad config.
 */
export function dailySignalsFromBars(
  input: DailyBarsInput,
  config?: DailySignalConfig,
): DailySignals {
  if (input === null || typeof input !== 'object') {
    throw new ValidationError('input', 'expected { bars, market? }');
  }
  const { dates, close } = datesAndCloses('bars', input.bars);
  if (input.market === undefined) return computeDailySignals({ close, dates }, config);
  const market = datesAndCloses('market', input.market);
  const marketReturns = alignMarketReturns(market, dates);
  return computeDailySignals({ close, dates, marketReturns }, config);
}
