import type { Bar, Timeframe } from '@quantpipe/core';
import { dailyBarInstant } from './market-hours';

/** A bar as the emulator serves it, with its Alpaca instant. */
export interface BookBar {
  readonly symbol: string;
  /** RFC-3339 instant Alpaca stamps the bar with (daily: midnight New York). */
  readonly t: string;
  readonly tMs: number;
  readonly bar: Bar;
}

/** A query over the book. */
export interface BookQuery {
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly startMs: number;
  /** Inclusive. */
  readonly endMs: number;
  readonly descending: boolean;
}

function lowerBound(list: readonly BookBar[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as BookBar).tMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The emulator's bar data, indexed by timeframe and symbol, with Alpaca instants. */
export class BarBook {
  private readonly series = new Map<Timeframe, Map<string, BookBar[]>>();

  constructor(
    daily: Readonly<Record<string, readonly Bar[]>>,
    hourly: Readonly<Record<string, readonly Bar[]>>,
  ) {
    for (const [timeframe, source] of [
      ['1Day', daily],
      ['1Hour', hourly],
    ] as const) {
      const bySymbol = new Map<string, BookBar[]>();
      for (const [symbol, bars] of Object.entries(source)) {
        bySymbol.set(
          symbol,
          bars.map((bar) => {
            const t = timeframe === '1Day' ? dailyBarInstant(bar.timestamp) : bar.timestamp;
            return { symbol, t, tMs: Date.parse(t), bar };
          }),
        );
      }
      this.series.set(timeframe, bySymbol);
    }
  }

  /** Every symbol with daily or hourly bars. */
  symbols(): string[] {
    const all = new Set<string>();
    for (const bySymbol of this.series.values()) for (const s of bySymbol.keys()) all.add(s);
    return [...all].sort();
  }

  hasSymbol(symbol: string): boolean {
    for (const bySymbol of this.series.values()) if (bySymbol.has(symbol)) return true;
    return false;
  }

  /**
   * Bars of the symbols in the range, grouped by symbol (symbols in ascending order, as
   * Alpaca pages them) and by time within a symbol. Unknown symbols contribute nothing.
   */
  query(q: BookQuery): BookBar[] {
    const out: BookBar[] = [];
    const bySymbol = this.series.get(q.timeframe);
    for (const symbol of [...new Set(q.symbols)].sort()) {
      const list = bySymbol?.get(symbol);
      if (!list) continue;
      const from = lowerBound(list, q.startMs);
      const to = lowerBound(list, q.endMs + 1);
      const slice = list.slice(from, to);
      if (q.descending) slice.reverse();
      out.push(...slice);
    }
    return out;
  }

  /** The last bar that started at or before `nowMs`: hourly when there are hourly bars, else daily. */
  latest(symbol: string, nowMs: number): BookBar | undefined {
    for (const timeframe of ['1Hour', '1Day'] as const) {
      const list = this.series.get(timeframe)?.get(symbol);
      if (!list || list.length === 0) continue;
      const i = lowerBound(list, nowMs + 1) - 1;
      return i >= 0 ? list[i] : undefined;
    }
    return undefined;
  }

  /** Close of the last daily bar stamped before `beforeMs` (the previous session's close). */
  previousClose(symbol: string, beforeMs: number): number | undefined {
    const list = this.series.get('1Day')?.get(symbol);
    if (!list) return undefined;
    const i = lowerBound(list, beforeMs) - 1;
    return i >= 0 ? (list[i] as BookBar).bar.close : undefined;
  }

  /** Instant of the last bar of all (for the default simulated clock). */
  lastBarMs(): number | undefined {
    let last: number | undefined;
    for (const bySymbol of this.series.values())
      for (const list of bySymbol.values()) {
        const t = list[list.length - 1]?.tMs;
        if (t !== undefined && (last === undefined || t > last)) last = t;
      }
    return last;
  }
}
