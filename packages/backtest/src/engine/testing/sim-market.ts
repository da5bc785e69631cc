import { SimBroker, SimClock, type SimBrokerOptions, type SimQuote } from '@quantpipe/execution';
import {
  InMemoryMarketData,
  generateSyntheticMarket,
  type SyntheticMarket,
} from '@quantpipe/data-adapters';
import type { Bar } from '@quantpipe/core';

/** A deterministic synthetic market wired to a SimClock and a SimBroker (decide at close, fill at the next open). */
export interface SimMarket {
  readonly market: SyntheticMarket;
  readonly marketData: InMemoryMarketData;
  readonly clock: SimClock;
  readonly broker: SimBroker;
  /** Index of the current session in `market.dates`. */
  session(): number;
  /** Moves the clock to the close (21:00Z) of session `index` and marks positions at its closes. */
  goTo(index: number): void;
  /** Daily bar of a symbol at a session index. */
  bar(symbol: string, index: number): Bar;
}

/** Options of {@link createSimMarket}. */
export interface SimMarketOptions {
  readonly sessions?: number;
  readonly symbols?: number;
  readonly startSession?: number;
  readonly broker?: Partial<Omit<SimBrokerOptions, 'quote' | 'clock'>>;
  /** Replace the quote (e.g. to inject a price shock). */
  readonly quoteOverride?: (symbol: string, quote: SimQuote) => SimQuote;
}

/** Builds a {@link SimMarket} for tests. */
export function createSimMarket(options: SimMarketOptions = {}): SimMarket {
  const market = generateSyntheticMarket({
    sessions: options.sessions ?? 320,
    includeHourly: false,
    ...(options.symbols !== undefined
      ? {
          symbols: [
            { symbol: 'SYNA', beta: 1.1, idioVolDaily: 0.014, startPriceUsd: 50 },
            { symbol: 'SYNB', beta: 0.8, idioVolDaily: 0.011, startPriceUsd: 120 },
            { symbol: 'SYNC', beta: 1.3, idioVolDaily: 0.02, startPriceUsd: 15 },
            { symbol: 'SYND', beta: 0.6, idioVolDaily: 0.01, startPriceUsd: 300 },
          ].slice(0, options.symbols),
        }
      : {}),
  });
  const marketData = new InMemoryMarketData({ daily: market.daily });
  const start = options.startSession ?? 260;
  const closeOf = (i: number): string => `${market.dates[i] as string}T21:00:00.000Z`;
  const clock = new SimClock(closeOf(start));
  let index = start;
  const bar = (symbol: string, i: number): Bar => {
    const b = market.daily[symbol]?.[i];
    if (!b) throw new Error(`no bar ${symbol}[${i}]`);
    return b;
  };
  const quote = (symbol: string): SimQuote => {
    const series = market.daily[symbol];
    if (!series) throw new Error(`unknown ${symbol}`);
    const next = series[index + 1];
    const window = series.slice(Math.max(0, index - 19), index + 1);
    const adv = window.reduce((s, b) => s + b.volume, 0) / window.length;
    const q: SimQuote = {
      priceUsd: next ? next.open : bar(symbol, index).close,
      timestamp: next ? `${next.timestamp}T14:30:00.000Z` : clock.nowIso(),
      advShares: adv,
      volatility: 0.25,
    };
    return options.quoteOverride ? options.quoteOverride(symbol, q) : q;
  };
  const broker = new SimBroker({
    initialCashUsd: 1_000_000,
    quote,
    clock,
    slippage: { kind: 'none' },
    ...options.broker,
  });
  const mark = (i: number): void => {
    const prices: Record<string, number> = {};
    for (const s of Object.keys(market.daily)) prices[s] = bar(s, i).close;
    broker.markToMarket(prices, market.dates[i] as string);
  };
  mark(start);
  return {
    market,
    marketData,
    clock,
    broker,
    session: () => index,
    goTo(i: number) {
      index = i;
      clock.set(closeOf(i));
      mark(i);
    },
    bar,
  };
}
