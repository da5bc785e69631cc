// Test-only: a small deterministic market (daily bars of a few stocks and an index, and seven
// hourly bars a session) and a BarView over a prefix of it, without any data adapter.
import type { Bar, BarView } from '@quantpipe/core';
import { seededRandom } from '@quantpipe/core/testing';

/** Daily and hourly bars of `symbols` and the index `SYNMKT`, one bar per weekday from 2015-01-05. */
export interface RandomMarket {
  readonly dates: readonly string[];
  readonly daily: Readonly<Record<string, readonly Bar[]>>;
  readonly hourly: Readonly<Record<string, readonly Bar[]>>;
}

/** Irregularities of a {@link randomMarket} (all off by default). */
export interface RandomMarketOptions {
  /** Share of the index's daily bars dropped at random (its hourly bars are kept). */
  readonly benchmarkGapRate?: number;
  /** Per symbol, the number of sessions before its first bar (a later listing). */
  readonly listingDelays?: Readonly<Record<string, number>>;
}

/**
 * `sessions` weekdays of bars: stocks load 0.5–1.5 on the index plus their own noise. The
 * options drop bars after generation (from a PRNG of their own), so the bars that remain are
 * those of the market without options.
 */
export function randomMarket(
  symbols: readonly string[],
  sessions: number,
  seed = 7,
  options: RandomMarketOptions = {},
): RandomMarket {
  const next = seededRandom(seed);
  const gauss = (): number => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const dates: string[] = [];
  for (let ms = Date.UTC(2015, 0, 5); dates.length < sessions; ms += 86_400_000) {
    const day = new Date(ms).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  const names = [...symbols, 'SYNMKT'];
  const betas = names.map((_, i) => (i === symbols.length ? 1 : 0.5 + i / symbols.length));
  const daily: Record<string, Bar[]> = {};
  const hourly: Record<string, Bar[]> = {};
  const price = names.map((_, i) => 40 + 10 * i);
  for (const name of names) {
    daily[name] = [];
    hourly[name] = [];
  }
  for (const date of dates) {
    const market = gauss() * 0.003;
    names.forEach((symbol, i) => {
      const open = price[i] as number;
      let close = open;
      let high = open;
      let low = open;
      for (let h = 0; h < 7; h++) {
        const start = close;
        const noise = i === symbols.length ? 0 : gauss() * 0.004;
        close = start * (1 + (betas[i] as number) * market + noise);
        const hi = Math.max(start, close) * (1 + next() * 0.002);
        const lo = Math.min(start, close) * (1 - next() * 0.002);
        high = Math.max(high, hi);
        low = Math.min(low, lo);
        const hour = String(14 + h).padStart(2, '0');
        (hourly[symbol] as Bar[]).push({
          symbol,
          timestamp: `${date}T${hour}:00:00Z`,
          open: start,
          high: hi,
          low: lo,
          close,
          volume: Math.round(1e5 * (1 + next())),
        });
      }
      price[i] = close;
      (daily[symbol] as Bar[]).push({
        symbol,
        timestamp: date,
        open,
        high,
        low,
        close,
        volume: Math.round(7e5 * (1 + next())),
      });
    });
  }
  const gapRate = options.benchmarkGapRate ?? 0;
  if (gapRate > 0) {
    const drop = seededRandom(seed ^ 0x5bd1e995);
    daily.SYNMKT = (daily.SYNMKT as Bar[]).filter(() => drop() >= gapRate);
  }
  for (const [symbol, delay] of Object.entries(options.listingDelays ?? {})) {
    const from = dates[delay];
    const keep = (b: Bar): boolean => from !== undefined && b.timestamp >= from;
    daily[symbol] = (daily[symbol] ?? []).filter(keep);
    hourly[symbol] = (hourly[symbol] ?? []).filter(keep);
  }
  return { dates, daily, hourly };
}

/**
 * What a strategy sees at the close of `dates[index]` when every bar up to it is new: daily bars
 * through that session, hourly bars through its last hour.
 */
export function viewAt(
  bars: Readonly<Record<string, readonly Bar[]>>,
  lastTimestamp: string,
): BarView {
  const visible = (symbol: string): readonly Bar[] =>
    (bars[symbol] ?? []).filter((b) => b.timestamp <= lastTimestamp);
  return { bars: visible, newBars: visible };
}
