import { NotFoundError, ValidationError } from '@quantpipe/core';
import { slippageBps as slippageBpsOf } from './slippage';
import type { SymbolMarketStats } from './market-stats';

/** One symbol's line of a {@link PreTradeCostReport}. */
export interface PreTradeCostLine {
  readonly symbol: string;
  readonly targetShares: number;
  readonly currentShares: number;
  /** `targetShares - currentShares` (signed). */
  readonly deltaShares: number;
  readonly priceUsd: number;
  /** `|delta| / adv`; null when ADV is 0. */
  readonly participation: number | null;
  readonly slippageBps: number;
  /** `|delta| * price`. */
  readonly notionalUsd: number;
  /** `notional * slippageBps / 10 000`. */
  readonly costUsd: number;
}

/** The spec's pre-trade cost analysis (`log_estimated_costs`) as data. */
export interface PreTradeCostReport {
  /** One line per traded symbol, in the order of `targets`. */
  readonly lines: PreTradeCostLine[];
  /** Sum of `costUsd`, added in line order. */
  readonly totalCostUsd: number;
}

/** Options of {@link preTradeCostReport}. */
export interface PreTradeCostOptions {
  /**
   * The seed skips symbols whose target is 0 (`if target_shares == 0: continue`), so closing a
   * position is estimated as free. Default true (the spec); false also costs the closing trades.
   */
  readonly skipZeroTargets?: boolean;
}

/**
 * Estimated execution cost of moving from `current` to `targets` (share counts per symbol) with
 * the square-root slippage model ({@link estimateSlippageBps}), as the spec's
 * `log_estimated_costs` (6.3):
 *
 *     delta = target - current;  slippageBps = estimateSlippageBps(delta, adv, volatility)
 *     notionalUsd = |delta| * price;  costUsd = notionalUsd * (slippageBps / 10000)
 *
 * Symbols with a zero target (see {@link PreTradeCostOptions.skipZeroTargets}) or a zero delta
 * are left out. Symbols missing from `current` hold 0 shares. A traded symbol missing from
 * `market` throws a {@link NotFoundError}; non-finite share counts throw a {@link ValidationError}.
 * Use {@link marketStatsFromBars} to build `market` from the last 20 daily bars.
 */
export function preTradeCostReport(
  targets: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>,
  market: Readonly<Record<string, SymbolMarketStats>>,
  options: PreTradeCostOptions = {},
): PreTradeCostReport {
  const skipZeroTargets = options.skipZeroTargets ?? true;
  const lines: PreTradeCostLine[] = [];
  let totalCostUsd = 0;
  for (const [symbol, targetShares] of Object.entries(targets)) {
    if (typeof targetShares !== 'number' || !Number.isFinite(targetShares)) {
      throw new ValidationError(
        `targets.${symbol}`,
        `expected a finite share count, got ${String(targetShares)}`,
      );
    }
    if (skipZeroTargets && targetShares === 0) continue;
    const currentShares = Object.prototype.hasOwnProperty.call(current, symbol)
      ? current[symbol]
      : 0;
    if (typeof currentShares !== 'number' || !Number.isFinite(currentShares)) {
      throw new ValidationError(
        `current.${symbol}`,
        `expected a finite share count, got ${String(currentShares)}`,
      );
    }
    const deltaShares = targetShares - currentShares;
    if (deltaShares === 0) continue;
    const stats = Object.prototype.hasOwnProperty.call(market, symbol) ? market[symbol] : undefined;
    if (stats === undefined) {
      throw new NotFoundError(`no market data (price, adv, volatility) for ${symbol}`, {
        context: { symbol },
      });
    }
    if (!Number.isFinite(stats.priceUsd) || stats.priceUsd <= 0) {
      throw new ValidationError(
        `market.${symbol}.priceUsd`,
        `expected a finite number > 0, got ${stats.priceUsd}`,
      );
    }
    const slippageBps = slippageBpsOf(deltaShares, stats.adv, stats.volatility);
    const notionalUsd = Math.abs(deltaShares) * stats.priceUsd;
    const costUsd = tradeCostUsd(notionalUsd, slippageBps);
    totalCostUsd += costUsd;
    lines.push({
      symbol,
      targetShares,
      currentShares,
      deltaShares,
      priceUsd: stats.priceUsd,
      participation: stats.adv === 0 ? null : Math.abs(deltaShares) / stats.adv,
      slippageBps,
      notionalUsd,
      costUsd,
    });
  }
  return { lines, totalCostUsd };
}

/** The estimated cost of a trade: `notional * slippageBps / 10 000` (spec 6.3). */
export function tradeCostUsd(notionalUsd: number, slippageBps: number): number {
  return notionalUsd * (slippageBps / 10000);
}

/**
 * The report as the spec's log lines (one string per symbol, then the total), e.g.
 * `AAPL: 1,000 shares @ $150.00 | Participation: 0.01% of ADV | Est. Slippage: 5.3 bps | Est. Cost: $7.95`.
 */
export function formatPreTradeCostReport(report: PreTradeCostReport): string[] {
  const out = report.lines.map(
    (l) =>
      `${l.symbol}: ${Math.abs(l.deltaShares).toLocaleString('en-US')} shares @ $${l.priceUsd.toFixed(2)} | ` +
      `Participation: ${l.participation === null ? 'n/a (ADV 0)' : `${(l.participation * 100).toFixed(2)}%`} of ADV | ` +
      `Est. Slippage: ${l.slippageBps.toFixed(1)} bps | Est. Cost: $${l.costUsd.toFixed(2)}`,
  );
  out.push(`TOTAL ESTIMATED COST: $${report.totalCostUsd.toFixed(2)}`);
  return out;
}
