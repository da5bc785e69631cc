import type { Bar } from './bar';
import { DataError } from './errors';
import { isBarTimestamp } from './time';

/**
 * Checks a series of bars of one symbol before anything is computed from it: finite,
 * positive prices with low <= open, close <= high; non-negative volume; valid timestamps in
 * strictly ascending order (no duplicates). Throws a {@link DataError} naming the bar.
 */
export function validateBars(bars: readonly Bar[], symbol?: string): void {
  let previous: string | undefined;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as Bar;
    const where = { symbol: symbol ?? bar.symbol, index: i, timestamp: bar.timestamp };
    const at = `${where.symbol} bar ${i} (${bar.timestamp})`;
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
