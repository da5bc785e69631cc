import { ValidationError } from '@quantpipe/core';
import { dayOfYearOfKey, isoDateKey } from '../validate';

/**
 * One daily bar fed to the streaming signals (`update(bar)`), in date order.
 *
 * The streams turn closes into simple returns themselves (`close / previousClose - 1`, as
 * `pctChange` does in batch), so feeding the bars one by one gives exactly the batch values of
 * `computeDailySignals({ close, dates, marketReturns })` at every step.
 */
export interface DailyBar {
  /** Session date `YYYY-MM-DD`, strictly after the previous bar's. */
  readonly date: string;
  /** Close of the session (finite, > 0). */
  readonly close: number;
  /**
   * The market's simple return for this date, aligned as the batch `marketReturns` (e.g. SPY's
   * close-to-close return, forward-filled onto this symbol's dates). Missing or NaN is a gap
   * (it propagates as NaN would in batch). Ignored by streams built with `withMarket: false`.
   */
  readonly marketReturn?: number;
}

/** Options shared by the streaming daily signals. */
export interface DailyStreamOptions {
  /**
   * Whether market returns are used (default true). With `false`, Momentum uses raw momentum and
   * Beta uses `returns * 0.6`, as the batch functions do without `marketReturns`.
   */
  readonly withMarket?: boolean;
}

/** A checked daily bar with its return and day of year. */
export interface CheckedBar {
  /** Simple return `close / previousClose - 1` (NaN on the first bar). */
  readonly ret: number;
  /** Close of the bar. */
  readonly close: number;
  /** Day of year of the date (1..366). */
  readonly dayOfYear: number;
  /** The market return, NaN when missing. */
  readonly marketReturn: number;
}

/**
 * Validates bars one at a time (typed errors naming the field) and turns closes into returns.
 * Shared by every daily stream.
 */
export class DailyBarFeed implements CheckedBar {
  private previousDate = '';
  /** The previous date's {@link isoDateKey} (-1 before the first bar: below every date). */
  private previousKey = -1;
  private previousClose = NaN;
  /** Number of bars accepted so far. */
  count = 0;
  /** The latest bar's return (NaN before the second bar). */
  ret = NaN;
  /** The latest bar's close. */
  close = NaN;
  /** The latest bar's day of year. */
  dayOfYear = NaN;
  /** The latest bar's market return (NaN when missing). */
  marketReturn = NaN;

  /**
   * Checks `bar` and advances.
   *
   * @throws ValidationError naming `bar.date`, `bar.close` or `bar.marketReturn`; on error the
   *   stream's state is unchanged.
   */
  next(bar: DailyBar): CheckedBar {
    this.advance(bar);
    const { ret, close, dayOfYear, marketReturn } = this;
    return { ret, close, dayOfYear, marketReturn };
  }

  /**
   * Checks `bar` and advances, like {@link next}, without allocating: the checked values are
   * read from the feed's own fields (`ret`, `close`, `dayOfYear`, `marketReturn`).
   */
  advance(bar: DailyBar): void {
    if (bar === null || typeof bar !== 'object') {
      throw new ValidationError('bar', 'expected { date, close, marketReturn? }');
    }
    const { date, close } = bar;
    const key = isoDateKey(date);
    if (key < 0) {
      throw new ValidationError(
        'bar.date',
        `expected an ISO date YYYY-MM-DD, got ${JSON.stringify(date)}`,
      );
    }
    if (key <= this.previousKey) {
      throw new ValidationError(
        'bar.date',
        date === this.previousDate
          ? `duplicate date ${date}`
          : `dates must increase: ${date} comes after ${this.previousDate}`,
      );
    }
    if (typeof close !== 'number' || !(close > 0) || close === Infinity) {
      throw new ValidationError('bar.close', `expected a finite price > 0, got ${String(close)}`);
    }
    const m = bar.marketReturn;
    if (m !== undefined && (typeof m !== 'number' || m === Infinity || m === -Infinity)) {
      throw new ValidationError(
        'bar.marketReturn',
        `expected a finite number or NaN, got ${String(m)}`,
      );
    }
    this.ret = close / this.previousClose - 1;
    this.close = close;
    this.dayOfYear = dayOfYearOfKey(key);
    this.marketReturn = m ?? NaN;
    this.previousClose = close;
    this.previousDate = date;
    this.previousKey = key;
    this.count++;
  }
}
