import type { Bar, BarView } from '@quantpipe/core';

const EMPTY: readonly Bar[] = Object.freeze([]);

/** One series: its full bars, and the visible prefix held so far. */
interface Held {
  readonly all: readonly Bar[];
  readonly first: number;
  readonly held: Bar[];
  fresh: number;
}

/**
 * What a strategy sees at each decision of a backtest, for strategies decided cycle by cycle:
 * the bars a schedule makes visible (see `buildDecisionSchedule`), held as the engine's bar
 * stores hold them — the bars themselves, appended as they become visible, `newBars` being
 * those of the latest advance.
 */
export class ScheduledBarView implements BarView {
  private readonly series = new Map<string, Held>();

  /** Adds a series whose visible bars start at `first`. */
  track(symbol: string, bars: readonly Bar[], first: number): void {
    this.series.set(symbol, { all: bars, first, held: [], fresh: 0 });
  }

  /** Makes the bars of `symbol` up to `end` (exclusive) visible. */
  advance(symbol: string, end: number): void {
    const s = this.series.get(symbol);
    if (!s) return;
    s.fresh = s.held.length;
    for (let i = s.first + s.held.length; i < end; i++) s.held.push(s.all[i] as Bar);
  }

  bars(symbol: string): readonly Bar[] {
    return this.series.get(symbol)?.held ?? EMPTY;
  }

  newBars(symbol: string): readonly Bar[] {
    const s = this.series.get(symbol);
    return s ? s.held.slice(s.fresh) : EMPTY;
  }

  /** Whether `symbol` has visible bars. */
  has(symbol: string): boolean {
    return (this.series.get(symbol)?.held.length ?? 0) > 0;
  }
}
