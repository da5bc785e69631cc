import type { Bar, BarsRequest, MarketData, Timeframe } from '@quantpipe/core';
import type { BarView } from '@quantpipe/core';

const EMPTY: readonly Bar[] = Object.freeze([]);

/**
 * Bars of a universe kept across cycles: each refresh fetches only what is new since the last
 * bar held (the data source is asked from the last timestamp on, and anything not newer is
 * dropped), so a long run does not re-download its history every cycle.
 */
export class BarStore implements BarView {
  private readonly series = new Map<string, Bar[]>();
  private readonly freshFrom = new Map<string, number>();

  constructor(
    private readonly marketData: MarketData,
    readonly timeframe: Timeframe,
  ) {}

  /**
   * Brings `symbol` up to `end` (inclusive). `startIfEmpty` is where the history begins when
   * nothing is held yet. Returns the number of new bars.
   */
  async refresh(symbol: string, startIfEmpty: string, end: string): Promise<number> {
    const request = this.requestFor(symbol, startIfEmpty, end);
    if (request === undefined) return 0;
    return this.append(symbol, await this.marketData.getBars(request));
  }

  /**
   * Brings every symbol up to `end`, in one `getBarsBatch` call when the source has it (else
   * one `getBars` per symbol, in order). Returns the number of new bars per symbol.
   */
  async refreshAll(
    symbols: readonly string[],
    startIfEmpty: string,
    end: string,
  ): Promise<number[]> {
    const requests: BarsRequest[] = [];
    const at: number[] = [];
    for (let i = 0; i < symbols.length; i++) {
      const request = this.requestFor(symbols[i] as string, startIfEmpty, end);
      if (request) {
        requests.push(request);
        at.push(i);
      }
    }
    const added = new Array<number>(symbols.length).fill(0);
    if (requests.length === 0) return added;
    if (this.marketData.getBarsBatch) {
      const fetched = await this.marketData.getBarsBatch(requests);
      for (let j = 0; j < requests.length; j++)
        added[at[j] as number] = this.append((requests[j] as BarsRequest).symbol, fetched[j] ?? []);
    } else {
      for (let j = 0; j < requests.length; j++) {
        const request = requests[j] as BarsRequest;
        added[at[j] as number] = this.append(
          request.symbol,
          await this.marketData.getBars(request),
        );
      }
    }
    return added;
  }

  /**
   * The request that brings `symbol` up to `end`, or undefined when nothing can be new (then
   * the symbol's new bars are reset to none).
   */
  private requestFor(symbol: string, startIfEmpty: string, end: string): BarsRequest | undefined {
    const held = this.series.get(symbol);
    const last = held && held.length > 0 ? (held[held.length - 1] as Bar).timestamp : undefined;
    const start = last ?? startIfEmpty;
    if (end < start) {
      this.freshFrom.set(symbol, held?.length ?? 0);
      return undefined;
    }
    return { symbol, timeframe: this.timeframe, start, end };
  }

  /** Appends fetched bars newer than the last one held; returns how many were new. */
  private append(symbol: string, fetched: readonly Bar[]): number {
    let list = this.series.get(symbol);
    if (!list) {
      list = [];
      this.series.set(symbol, list);
    }
    const before = list.length;
    let last = before > 0 ? (list[before - 1] as Bar).timestamp : undefined;
    for (const bar of fetched) {
      if (last === undefined || bar.timestamp > last) {
        list.push(bar);
        last = bar.timestamp;
      }
    }
    this.freshFrom.set(symbol, before);
    return list.length - before;
  }

  bars(symbol: string): readonly Bar[] {
    return this.series.get(symbol) ?? EMPTY;
  }

  newBars(symbol: string): readonly Bar[] {
    const list = this.series.get(symbol);
    if (!list) return EMPTY;
    return list.slice(this.freshFrom.get(symbol) ?? 0);
  }

  /** The latest bar of a symbol, if any. */
  last(symbol: string): Bar | undefined {
    const list = this.series.get(symbol);
    return list && list.length > 0 ? list[list.length - 1] : undefined;
  }

  /** Whether any bar of the symbol is held. */
  has(symbol: string): boolean {
    return (this.series.get(symbol)?.length ?? 0) > 0;
  }
}
