import { marketStateAt } from '@quantpipe/core';
import type { MarketClock } from '@quantpipe/core';
import { isoSeconds } from './ibkr-time';

/**
 * The US equity regular session from the exchange calendar of `@quantpipe/core`, because the
 * TWS API has no market-clock request: 09:30–16:00 America/New_York on trading days, closed
 * on NYSE holidays (and the one-off closures), 13:00 closes on the early-close days.
 */
export function usEquityMarketClock(nowMs: number): MarketClock {
  const state = marketStateAt(nowMs);
  return {
    timestamp: isoSeconds(nowMs),
    isOpen: state.isOpen,
    nextOpen: isoSeconds(state.nextSession.openMs),
    nextClose: isoSeconds(state.nextCloseMs),
  };
}
