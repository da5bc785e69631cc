import { ConfigError, isQuantpipeError, type Clock, type MarketData } from '@quantpipe/core';
import type { TradingConfig } from './config-schema';

/** How far back from "now" the start-up check looks for daily bars. */
const LOOKBACK_DAYS = 30;

/**
 * Before the first cycle: every symbol and the benchmark must have daily bars at the venue in
 * the last {@link LOOKBACK_DAYS} days before the trader's "now". An unknown ticker or benchmark
 * is a configuration error naming the key (it would otherwise silently change the plan), and
 * so is data that ends long before "now" (an emulator replaying the past without
 * `clock_start`): the same error for every venue, rather than "unknown symbol" on Alpaca data
 * and a skipped cycle on IBKR data. A short outage (bars a few days old) is left to the engine,
 * which skips the cycle with a STALE MARKET DATA alert.
 */
export async function checkMarketData(
  marketData: MarketData,
  cfg: TradingConfig,
  clock: Clock,
): Promise<void> {
  const nowMs = clock.now();
  const now = new Date(nowMs).toISOString();
  const start = new Date(nowMs - LOOKBACK_DAYS * 86_400_000).toISOString().slice(0, 10);
  const wanted: [string, string][] = [
    ['benchmark_symbol', cfg.benchmark_symbol],
    ...cfg.symbols.map((s): [string, string] => ['symbols', s]),
  ];
  for (const [key, symbol] of wanted) {
    let count: number;
    try {
      count = (await marketData.getBars({ symbol, timeframe: '1Day', start, end: now })).length;
    } catch (error) {
      if (!isQuantpipeError(error, 'E_NOT_FOUND') && !isQuantpipeError(error, 'E_DATA'))
        throw error;
      count = 0;
    }
    if (count === 0)
      throw new ConfigError(
        key,
        `the venue has no daily bars for ${symbol} from ${start} to the trader's now (${now}): an unknown ticker, or data that ends long before now (replaying past data needs clock_start)`,
      );
  }
}
