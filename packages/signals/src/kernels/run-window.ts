import { SeriesHistory } from './series-history';

/**
 * A resumable pass of a rolling window: advances the state `st` over `x[from..to)` (local
 * indices of a series whose index 0 is global index `base`; once the window is full the value
 * `w` bars before each one leaves it) and writes the window's outputs after each value `i` at
 * `out[o]`, `out[o + stride]`, ... with `o = i + shift`. Batch code runs it over a whole series
 * (`shift` 0, `stride` the series length), a {@link RunWindow} over one new value at a time.
 */
export type WindowRun<S> = (
  st: S,
  x: Float64Array,
  from: number,
  to: number,
  base: number,
  out: Float64Array,
  shift: number,
  stride: number,
) => void;

/**
 * A streaming window over one series: `push` keeps the value in a {@link SeriesHistory} and
 * runs the window's pass over it, so every value equals the batch pass's at the same index.
 * Subclasses name the outputs (`latest[k]` is output `k` after the newest value).
 */
export class RunWindow<S> {
  /** Window length in bars. */
  readonly windowBars: number;
  /** The outputs after the newest value (NaN before the first one). */
  protected readonly latest: Float64Array;
  private readonly st: S;
  private readonly run: WindowRun<S>;
  private readonly history: SeriesHistory;

  /**
   * @param windowBars window length (an integer >= 2, checked by the callers).
   * @param st the window's initial state, @param run its pass, @param outputs how many it writes.
   */
  constructor(windowBars: number, st: S, run: WindowRun<S>, outputs: number) {
    this.windowBars = windowBars;
    this.st = st;
    this.run = run;
    this.latest = new Float64Array(outputs).fill(NaN);
    this.history = new SeriesHistory(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const h = this.history;
    const i = h.append(value);
    this.run(this.st, h.x, i, i + 1, h.base, this.latest, -i, 1);
  }
}
