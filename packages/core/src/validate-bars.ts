import type { Bar } from './bar';
import type { DataWarning } from './data-warning';
import { DataError, ValidationError } from './errors';
import { assertArrayLike } from './guards';
import { isBarTimestamp } from './time';

/**
 * Checks a series of bars of one symbol before anything is computed from it: finite,
 * positive prices with low <= open, close <= high; non-negative volume; valid timestamps in
 * strictly ascending order (no duplicates). Throws a {@link DataError} naming the bar.
 */
export function validateBars(bars: readonly Bar[], symbol?: string): void {
  assertArrayLike('bars', bars);
  let previous: string | undefined;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as Bar;
    if (bar === null || typeof bar !== 'object')
      throw new DataError(`${symbol ?? 'bars'} bar ${i}: not a bar object`, {
        context: { symbol, index: i },
      });
    const where = { symbol: symbol ?? bar.symbol, index: i, timestamp: bar.timestamp };
    const at = `${where.symbol} bar ${i} (${String(bar.timestamp)})`;
    if (symbol !== undefined && bar.symbol !== symbol) {
      throw new DataError(`${at}: symbol ${bar.symbol} in a series of ${symbol}`, {
        context: where,
      });
    }
    if (typeof bar.timestamp !== 'string' || !isBarTimestamp(bar.timestamp)) {
      throw new DataError(`${at}: timestamp is not an ISO date or ISO-8601 UTC instant`, {
        context: where,
      });
    }
    if (previous !== undefined && bar.timestamp <= previous) {
      throw new DataError(
        `${at}: timestamps must be strictly ascending (previous ${previous}); duplicate or unsorted bars`,
        { context: where },
      );
    }
    for (const field of ['open', 'high', 'low', 'close'] as const) {
      const v = bar[field];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        throw new DataError(`${at}: ${field} must be a finite price > 0, got ${String(v)}`, {
          context: { ...where, field },
        });
      }
    }
    if (bar.low > Math.min(bar.open, bar.close) || bar.high < Math.max(bar.open, bar.close)) {
      throw new DataError(`${at}: inconsistent OHLC (low ${bar.low}, high ${bar.high})`, {
        context: where,
      });
    }
    if (!Number.isFinite(bar.volume) || bar.volume < 0) {
      throw new DataError(`${at}: volume must be a finite number >= 0, got ${String(bar.volume)}`, {
        context: where,
      });
    }
    previous = bar.timestamp;
  }
}

/** Default jump threshold of {@link checkBarPlausibility}: ×3 (or ÷3) bar to bar. */
export const DEFAULT_MAX_JUMP_RATIO = 3;

/** Options of {@link checkBarPlausibility}. */
export interface BarPlausibilityOptions {
  /**
   * A close more than this many times the previous close (or less than its inverse), or a high
   * more than this many times the bar's low, is implausible. A number > 1; default 3.
   */
  readonly maxJumpRatio?: number;
  /** `warn` (default): return the findings; `error`: throw a DataError for the first. */
  readonly onImplausible?: 'warn' | 'error';
}

function ratioText(r: number): string {
  return r >= 100 ? r.toFixed(0) : r.toFixed(2);
}

/**
 * Looks for bars that pass {@link validateBars} but are implausible: a close-to-close jump
 * beyond `maxJumpRatio` either way (`price_jump`, one finding per jump — a one-day spike gives
 * one up and one down) or a bar whose high/low ratio is beyond it (`range_jump`). Returns the
 * findings in bar order, or with `onImplausible: 'error'` throws a {@link DataError} naming the
 * first. Run it after `validateBars` (it assumes finite positive prices; others are skipped).
 */
export function checkBarPlausibility(
  bars: readonly Bar[],
  options: BarPlausibilityOptions = {},
): DataWarning[] {
  const maxJumpRatio = options.maxJumpRatio ?? DEFAULT_MAX_JUMP_RATIO;
  if (typeof maxJumpRatio !== 'number' || !(maxJumpRatio > 1) || !Number.isFinite(maxJumpRatio))
    throw new ValidationError(
      'maxJumpRatio',
      `expected a finite number > 1, got ${String(maxJumpRatio)}`,
    );
  const onImplausible = options.onImplausible ?? 'warn';
  if (onImplausible !== 'warn' && onImplausible !== 'error')
    throw new ValidationError(
      'onImplausible',
      `expected warn or error, got ${String(onImplausible)}`,
    );
  assertArrayLike('bars', bars);
  const warnings: DataWarning[] = [];
  const found = (bar: Bar, kind: DataWarning['kind'], detail: string): void => {
    const warning = { symbol: bar.symbol, timestamp: bar.timestamp, kind, detail };
    if (onImplausible === 'error')
      throw new DataError(`${bar.symbol} bar ${bar.timestamp}: implausible (${detail})`, {
        context: { ...warning, maxJumpRatio },
      });
    warnings.push(warning);
  };
  let previousClose = Number.NaN;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as Bar;
    if (bar === null || typeof bar !== 'object')
      throw new ValidationError(`bars[${i}]`, 'expected a bar object');
    const { close, high, low } = bar;
    if (previousClose > 0 && close > 0) {
      const ratio = close / previousClose;
      if (ratio > maxJumpRatio || ratio < 1 / maxJumpRatio) {
        const shown = ratio >= 1 ? `${ratioText(ratio)}x` : `1/${ratioText(1 / ratio)}`;
        found(bar, 'price_jump', `close ${close} is ${shown} the previous close ${previousClose}`);
      }
    }
    if (low > 0 && high / low > maxJumpRatio)
      found(bar, 'range_jump', `high ${high} is ${ratioText(high / low)}x the low ${low}`);
    previousClose = close;
  }
  return warnings;
}
