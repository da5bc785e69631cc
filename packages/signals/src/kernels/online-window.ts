import { SeriesHistory, type Series } from './series-history';

/** One-value output arrays of a streaming window, by output name. */
export type Outputs<Name extends string> = Readonly<Record<Name, Float64Array>>;

/** One-value output arrays for the given names. */
export function outputsOf<Name extends string>(names: readonly Name[]): Outputs<Name> {
  return Object.fromEntries(names.map((name) => [name, Float64Array.of(NaN)])) as Outputs<Name>;
}

/**
 * A rolling window over one series whose running state is advanced by a batch pass: batch
 * code runs the pass over a whole series, {@link push} runs it over one new value kept in a
 * {@link SeriesHistory} and writes the window's outputs to one-value arrays read by
 * {@link last} (so both give identical bits: there is one implementation of the update). The
 * history is created on the first push, so a window used only by batch code allocates none.
 */
export abstract class OnlineWindow<Name extends string> {
  /** Window length in bars. */
  readonly windowBars: number;
  private history: SeriesHistory | undefined;
  /** The outputs of the last push. */
  protected abstract readonly latest: Outputs<Name>;

  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
  }

  /** Streaming: adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const h = (this.history ??= new SeriesHistory(this.windowBars));
    const i = h.append(value);
    this.advance(h, i);
  }

  /** The output `name` after the last push (NaN before any). */
  last(name: Name): number {
    return this.latest[name][0] as number;
  }

  /** Runs the window's pass over the one value at local index `i`, into {@link latest}. */
  protected abstract advance(series: Series, i: number): void;
}
