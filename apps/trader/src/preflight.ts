import { ConfigError, isQuantpipeError, type Clock, type MarketData } from '@quantpipe/core';
import type { TradingConfig } from './config-schema';

/** Data older than this at start-up is a clock or data-source mismatch, not an outage. */
const MAX_START_LAG_DAYS = 30;

/**
 * Before the first cycle: every symbol and the benchmark must have daily data at the venue,
 * and that data must reach near the trader's "now". An unknown ticker or benchmark is a
 * configuration error (it would otherwise silently change the plan), and data that ends months
 * before "now" (replaying an emulator's past without `clock_start`) is reported as such, the
 * same way for every venue, instead of as an "unknown symbol" or a skipped cycle.
 */
export async function checkMarketData(
  marketData: MarketData,
  cfg: TradingConfig,
  clock: Clock,
): Promise<void> {
  const nowMs = clock.now();
  const wanted: [string, string][] = [
    ['benchmark_symbol', cfg.benchmark_symbol],
    ...cfg.symbols.map((s): [string, string] => ['symbols', s]),
  ];
  for (const [key, symbol] of wanted) {
    let timestamp: string;
    try {
      timestamp = (await marketData.getLatestBar(symbol, '1Day')).timestamp;
    } catch (error) {
      if (isQuantpipeError(error, 'E_NOT_FOUND') || isQuantpipeError(error, 'E_DATA'))
        throw new ConfigError(key, `the venue has no daily data for ${symbol} (unknown ticker?)`, {
          cause: error,
        });
      throw error;
    }
    const lastMs = Date.parse(timestamp.length === 10 ? `${timestamp}T21:00:00Z` : timestamp);
    const lagDays = (nowMs - lastMs) / 86_400_000;
    if (lagDays > MAX_START_LAG_DAYS) {
      throw new ConfigError(
        'clock_start',
        `market data for ${symbol} ends ${timestamp}, ${Math.floor(lagDays)} days before the trader's now (${new Date(nowMs).toISOString()}): ${
          cfg.clock_start === undefined
            ? 'replaying past data (an emulator) needs clock_start'
            : 'clock_start is far after the data'
        }`,
      );
    }
  }
}
