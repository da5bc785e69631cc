import type { Bar, BarColumns, BarView } from '@quantpipe/core';

const EMPTY: readonly Bar[] = Object.freeze([]);

/** One series: its full bars, and the visible prefix held so far. */
interface Held {
  readonly all: readonly Bar[];
  readonly first: number;
  readonly held: Bar[];
  fresh: number;
  /** The held bars as columns (views from `first` of the series' columns), when given. */
  readonly columns: VisibleColumns | undefined;
}

/** Columns of a series seen from its first visible bar; `length` follows the view. */
interface VisibleColumns {
  symbol: string;
  length: number;
  timestamps: readonly string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function visibleFrom(columns: BarColumns, first: number): VisibleColumns {
  return {
    symbol: columns.symbol,
    length: 0,
    timestamps: first === 0 ? columns.timestamps : columns.timestamps.slice(first),
    open: columns.open.subarray(first),
    high: columns.high.subarray(first),
    low: columns.low.subarray(first),
    close: columns.close.subarray(first),
    volume: columns.volume.subarray(first),
  };
}

/**
 * What a strategy sees at each decision of a backtest, for strategies decided cycle by cycle:
 * the bars a schedule makes visible (see `buildDecisionSchedule`), held as the engine's bar
 * stores hold them — the bars themselves, appended as they become visible, `newBars` being
 * those of the latest advance.
 */
export class ScheduledBarView implements BarView {
  private readonly series = new Map<string, Held>();

  /**
   * Adds a series whose visible bars start at `first`; with its `columns` (the same bars), the
   * view also offers {@link ScheduledBarView.columns}.
   */
  track(symbol: string, bars: readonly Bar[], first: number, columns?: BarColumns): void {
    this.series.set(symbol, {
      all: bars,
      first,
      held: [],
      fresh: 0,
      columns: columns === undefined ? undefined : visibleFrom(columns, first),
    });
  }

  /** Makes the bars of `symbol` up to `end` (exclusive) visible. */
  advance(symbol: string, end: number): void {
    const s = this.series.get(symbol);
    if (!s) return;
    s.fresh = s.held.length;
    for (let i = s.first + s.held.length; i < end; i++) s.held.push(s.all[i] as Bar);
    if (s.columns !== undefined) s.columns.length = s.held.length;
  }

  /**
   * The visible bars of `symbol` as columns (the same bars as {@link ScheduledBarView.bars}, no
   * copy: the columns are views of the run's, read the first `length` entries); undefined for
   * a series without visible bars or tracked without columns.
   */
  columns(symbol: string): BarColumns | undefined {
    const s = this.series.get(symbol);
    return s?.columns !== undefined && s.held.length > 0 ? s.columns : undefined;
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
