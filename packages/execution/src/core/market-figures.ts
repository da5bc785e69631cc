import type { MutableMarketStats, SymbolMarketStats } from '@quantpipe/risk';

/**
 * The market figures a cycle sizes with, by symbol index: last close, 20-day ADV and
 * volatility (see `marketStatsFromBars`), and whether the symbol has them this cycle. The driver
 * fills them before the sizing (a live driver from its bar stores, a backtest from its columns).
 */
export class MarketFigures {
  has: Uint8Array;
  priceUsd: Float64Array;
  adv: Float64Array;
  volatility: Float64Array;
  /** One symbol's figures, for `marketStatsInto` (copied in by {@link MarketFigures.setFrom}). */
  readonly scratch: MutableMarketStats = { priceUsd: 0, adv: 0, volatility: 0 };

  constructor(capacity: number) {
    this.has = new Uint8Array(capacity);
    this.priceUsd = new Float64Array(capacity);
    this.adv = new Float64Array(capacity);
    this.volatility = new Float64Array(capacity);
  }

  /** Makes room for `capacity` symbols (figures kept). */
  ensure(capacity: number): void {
    if (this.has.length >= capacity) return;
    const has = new Uint8Array(capacity);
    has.set(this.has);
    this.has = has;
    const grow = (a: Float64Array): Float64Array => {
      const out = new Float64Array(capacity);
      out.set(a);
      return out;
    };
    this.priceUsd = grow(this.priceUsd);
    this.adv = grow(this.adv);
    this.volatility = grow(this.volatility);
  }

  /** Forgets every symbol's figures (a new cycle). */
  clear(): void {
    this.has.fill(0);
  }

  /** Sets symbol `index`'s figures. */
  set(index: number, stats: SymbolMarketStats): void {
    this.has[index] = 1;
    this.priceUsd[index] = stats.priceUsd;
    this.adv[index] = stats.adv;
    this.volatility[index] = stats.volatility;
  }

  /** Sets symbol `index`'s figures from {@link MarketFigures.scratch}. */
  setFrom(index: number): void {
    this.set(index, this.scratch);
  }

  /** Symbol `index`'s figures as an object (for reports and the live venue quotes). */
  statsOf(index: number): SymbolMarketStats | undefined {
    if (index < 0 || this.has[index] !== 1) return undefined;
    return {
      priceUsd: this.priceUsd[index] as number,
      adv: this.adv[index] as number,
      volatility: this.volatility[index] as number,
    };
  }
}
