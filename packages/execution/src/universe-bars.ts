import { silentLogger, type Logger, type MarketData } from '@quantpipe/core';
import { BarStore } from './bar-store';
import { lastCompleteDailyDate, lastCompleteHourlyStart } from './session-time';

/** What {@link UniverseBars} needs of the engine configuration (spec names). */
export interface UniverseBarsConfig {
  readonly symbols: readonly string[];
  readonly benchmark_symbol: string;
  /** Daily history fetched on the first refresh, in calendar days. */
  readonly history_days: number;
  readonly hourly_history_days: number;
  readonly use_hourly: boolean;
}

/** The outcome of one {@link UniverseBars.refresh}. */
export interface UniverseRefresh {
  /** The last session date whose daily bar is complete at the refresh instant. */
  readonly dailyEnd: string;
  /** Whether every symbol has hourly bars (then the strategy gets them and can run the hybrid). */
  readonly hybrid: boolean;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The bars a strategy sees: the universe's daily bars and the benchmark's, and hourly bars
 * when they are used, brought up to an instant by {@link UniverseBars.refresh}. The first
 * refresh fetches `history_days` (and `hourly_history_days`) of history, later ones only what
 * is new. Whatever refreshes it at the same instants from the same source holds the same bars,
 * so a strategy fed from it reaches the same state — the engine owns one; a backtest can run a
 * second copy of the strategy elsewhere and check it against the engine's.
 */
export class UniverseBars {
  readonly daily: BarStore;
  readonly hourly: BarStore;
  private hourlyAvailable = true;

  constructor(
    marketData: MarketData,
    private readonly config: UniverseBarsConfig,
    private readonly logger: Logger = silentLogger,
  ) {
    this.daily = new BarStore(marketData, '1Day');
    this.hourly = new BarStore(marketData, '1Hour');
  }

  /**
   * Brings the bars up to `nowMs`. A failing universe symbol fails the refresh; a missing
   * benchmark is logged (the strategy falls back), and missing hourly bars turn the hybrid off
   * for good.
   */
  async refresh(nowMs: number): Promise<UniverseRefresh> {
    const { config } = this;
    const dailyEnd = lastCompleteDailyDate(nowMs);
    const dailyStart = isoDate(nowMs - config.history_days * 86_400_000);
    await this.daily.refreshAll(config.symbols, dailyStart, dailyEnd);
    const bench = config.benchmark_symbol;
    if (!config.symbols.includes(bench)) {
      try {
        await this.daily.refresh(bench, dailyStart, dailyEnd);
      } catch (error) {
        this.logger.warn(
          { err: String(error), symbol: bench },
          'benchmark bars unavailable; the strategy falls back to returns x 0.6',
        );
      }
    }
    let hybrid = false;
    if (config.use_hourly && this.hourlyAvailable) {
      const hourlyEnd = lastCompleteHourlyStart(nowMs);
      const hourlyStart = new Date(nowMs - config.hourly_history_days * 86_400_000).toISOString();
      try {
        await this.hourly.refreshAll(config.symbols, hourlyStart, hourlyEnd);
        hybrid = config.symbols.every((s) => this.hourly.has(s));
      } catch (error) {
        // No hourly data (source without it, unknown symbol): the daily composite alone.
        this.hourlyAvailable = false;
        this.logger.info(
          { err: String(error) },
          'hourly bars unavailable; using the daily composite alone',
        );
      }
    }
    return { dailyEnd, hybrid };
  }
}
