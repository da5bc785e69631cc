import type { Bar } from '@quantpipe/core';
import {
  parseBacktestConfig,
  runBacktest,
  type BacktestOutcome,
  type LoadedMarket,
  type OpenedMarket,
} from '@quantpipe/backtest';
import { FixedRuleStrategy } from './fixed-rule-strategy';
import { IncrementalRuleStrategy } from './incremental-rule-strategy';
import { TradeHash, type RuleRun } from './floor';
import { SLOW_BARS } from './sma-rule';

/** Commission of the fixed-rule runs, USD a share (no minimum), as the peers charge. */
export const COMMISSION_PER_SHARE_USD = 0.005;
export const INITIAL_CASH_USD = 1_000_000;

/**
 * The engine's configuration for the fixed rule: limits off (a loss limit no run reaches,
 * leverage far above the 0.9 the rule holds), no tail hedge, no slippage, $0.005 a share.
 */
export function fixedRuleConfig(market: LoadedMarket) {
  return parseBacktestConfig({
    source: 'synthetic',
    symbols: market.symbols,
    initial_capital: INITIAL_CASH_USD,
    slippage: 'none',
    commission_per_share_usd: COMMISSION_PER_SHARE_USD,
    // A flat fee a share (no minimum, no cap) and no financing, as the hand-written floor.
    commission_min_usd: 0,
    commission_max_pct: 1,
    margin_interest_rate: 0,
    short_borrow_rate: 0,
    margin_multiplier: 4,
    warmup_sessions: SLOW_BARS,
    progress: false,
    pipeline: {
      max_daily_loss: -0.99,
      max_drawdown: -0.99,
      max_leverage: 10,
      hedge_size: 0,
      cost_per_hedge: 0,
      position_decay: false,
    },
  });
}

/** The market opened as a backtest opens it: trading starts after the rule's warm-up. */
export function openedFor(market: LoadedMarket): OpenedMarket {
  const calendar = (market.daily[market.benchmarkSymbol] ?? []) as readonly Bar[];
  return {
    market,
    startDate: (calendar[SLOW_BARS] as Bar).timestamp,
    endDate: (calendar[calendar.length - 1] as Bar).timestamp,
  };
}

/**
 * The fixed rule through the engine (precomputed, or `incremental`: stepped at each decision);
 * what it traded, and the run.
 */
export async function runEngine(
  market: LoadedMarket,
  form: 'precomputed' | 'incremental' = 'precomputed',
): Promise<
  RuleRun & {
    readonly outcome: BacktestOutcome;
    readonly precomputeMs: number;
    /** `performance.now()` when runBacktest was called and when it returned. */
    readonly window: { readonly startMs: number; readonly endMs: number };
  }
> {
  const precomputed = new FixedRuleStrategy();
  const strategy = form === 'incremental' ? new IncrementalRuleStrategy() : precomputed;
  const startMs = performance.now();
  const outcome = await runBacktest({
    config: fixedRuleConfig(market),
    market: openedFor(market),
    strategy,
    runId: 'rule',
  });
  const endMs = performance.now();
  const index = new Map(market.symbols.map((s, i) => [s, i]));
  const sessionOf = new Map(
    ((market.daily[market.benchmarkSymbol] ?? []) as readonly Bar[]).map((b, i) => [
      b.timestamp,
      i,
    ]),
  );
  const hash = new TradeHash();
  for (const t of outcome.result.trades) {
    hash.add(sessionOf.get(t.timestamp.slice(0, 10)) as number);
    hash.add(index.get(t.symbol) as number);
    hash.add(t.side === 'buy' ? t.quantity : -t.quantity);
    hash.add(t.priceUsd);
  }
  const last = outcome.result.equity[outcome.result.equity.length - 1];
  return {
    trades: outcome.result.trades.length,
    finalEquityUsd: last?.equityUsd ?? Number.NaN,
    tradesHash: hash.digest(),
    outcome,
    precomputeMs: precomputed.precomputeMs,
    window: { startMs, endMs },
  };
}
