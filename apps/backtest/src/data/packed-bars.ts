import { ValidationError, type Bar } from '@quantpipe/core';

/** One symbol's bars as columns: indexes into the shared timestamp table, and OHLCV. */
export interface PackedSeries {
  readonly symbol: string;
  /** Index of each bar's timestamp in {@link PackedBars.timestamps}. */
  readonly stamps: Int32Array;
  /** open, high, low, close, volume of bar i at [5i .. 5i+4]. */
  readonly values: Float64Array;
}

/**
 * Bars by symbol in a form that crosses to a worker thread cheaply: each distinct timestamp
 * once (a universe shares its calendar), numbers in typed arrays whose buffers can be
 * transferred instead of copied.
 */
export interface PackedBars {
  readonly timestamps: readonly string[];
  readonly series: readonly PackedSeries[];
}

/** Packs bars by symbol (see {@link PackedBars}); {@link unpackBars} restores equal bars. */
export function packBars(bySymbol: Readonly<Record<string, readonly Bar[]>>): PackedBars {
  const timestamps: string[] = [];
  const indexOf = new Map<string, number>();
  const series: PackedSeries[] = [];
  for (const [symbol, bars] of Object.entries(bySymbol)) {
    const stamps = new Int32Array(bars.length);
    const values = new Float64Array(bars.length * 5);
    for (let i = 0; i < bars.length; i++) {
      const bar = bars[i] as Bar;
      if (bar.symbol !== symbol)
        throw new ValidationError(
          `bars.${symbol}[${i}].symbol`,
          `expected ${symbol}, got ${bar.symbol}`,
        );
      let at = indexOf.get(bar.timestamp);
      if (at === undefined) {
        at = timestamps.length;
        timestamps.push(bar.timestamp);
        indexOf.set(bar.timestamp, at);
      }
      stamps[i] = at;
      values[5 * i] = bar.open;
      values[5 * i + 1] = bar.high;
      values[5 * i + 2] = bar.low;
      values[5 * i + 3] = bar.close;
      values[5 * i + 4] = bar.volume;
    }
    series.push({ symbol, stamps, values });
  }
  return { timestamps, series };
}

/** The buffers of a {@link PackedBars}, for a `postMessage` transfer list. */
export function packedBuffers(packed: PackedBars): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of packed.series)
    out.push(s.stamps.buffer as ArrayBuffer, s.values.buffer as ArrayBuffer);
  return out;
}

/** The bars {@link packBars} packed. */
export function unpackBars(packed: PackedBars): Record<string, Bar[]> {
  const out: Record<string, Bar[]> = {};
  for (const { symbol, stamps, values } of packed.series) {
    const bars = new Array<Bar>(stamps.length);
    for (let i = 0; i < stamps.length; i++) {
      bars[i] = {
        symbol,
        timestamp: packed.timestamps[stamps[i] as number] as string,
        open: values[5 * i] as number,
        high: values[5 * i + 1] as number,
        low: values[5 * i + 2] as number,
        close: values[5 * i + 3] as number,
        volume: values[5 * i + 4] as number,
      };
    }
    out[symbol] = bars;
  }
  return out;
}
