import type { Account, Alert, OrderSide, Position } from '@quantpipe/core';
import { KillSwitch, RiskMonitor } from '../index';

/** What the example bot did, for its test and its README. */
export interface OtherBotOutcome {
  /** Orders the bot sent, e.g. "buy 500 ACME". */
  readonly sent: string[];
  /** Orders the risk layer refused, with the reason. */
  readonly blocked: string[];
  /** Alert headlines received, with their level. */
  readonly alerts: string[];
  /** Why the kill switch tripped. */
  readonly killSwitchReason: string | null;
  /** Whether the switch is still tripped after a restart from the saved state. */
  readonly trippedAfterRestart: boolean;
}

/**
 * A bot that knows nothing of quantpipe but its core types: it feeds account snapshots to a
 * RiskMonitor wired to a KillSwitch and asks before every order.
 */
export function runOtherBot(): OtherBotOutcome {
  const alerts: Alert[] = [];
  const killSwitch = new KillSwitch();
  const monitor = new RiskMonitor(
    { max_daily_loss: -0.05, max_drawdown: -0.15, max_leverage: 3.0, onLossBreach: 'flatten' },
    { killSwitch, alertSink: { alert: (alert) => void alerts.push(alert) } },
  );

  let positions: Position[] = [];
  const sent: string[] = [];
  const blocked: string[] = [];

  const account = (equityUsd: number, timestamp: string): Account => ({
    cashUsd: equityUsd - positions.reduce((sum, p) => sum + p.marketValueUsd, 0),
    equityUsd,
    buyingPowerUsd: equityUsd,
    portfolioValueUsd: equityUsd,
    timestamp,
  });

  const markTo = (priceUsd: number): void => {
    positions = positions.map((p) => ({
      ...p,
      currentPriceUsd: priceUsd,
      marketValueUsd: p.quantity * priceUsd,
      unrealizedPnlUsd: p.quantity * (priceUsd - p.avgEntryPriceUsd),
    }));
  };

  const order = (
    symbol: string,
    side: OrderSide,
    quantity: number,
    priceUsd: number,
    liquidation = false,
  ): void => {
    const label = `${side} ${quantity} ${symbol}`;
    const decision = monitor.allowsOrder({ symbol, side, quantity }, positions, { liquidation });
    if (!decision.allowed) {
      blocked.push(`${label}: ${decision.reason}`);
      return;
    }
    sent.push(label);
    // The bot's own broker call would go here; this one fills at once.
    const held = positions.find((p) => p.symbol === symbol)?.quantity ?? 0;
    const quantityAfter = held + (side === 'buy' ? quantity : -quantity);
    positions = positions.filter((p) => p.symbol !== symbol);
    if (quantityAfter !== 0) {
      positions.push({
        symbol,
        quantity: quantityAfter,
        avgEntryPriceUsd: priceUsd,
        currentPriceUsd: priceUsd,
        marketValueUsd: quantityAfter * priceUsd,
        unrealizedPnlUsd: 0,
      });
    }
  };

  // Monday: all limits fine, the bot buys.
  monitor.check(account(100_000, '2024-03-04T15:00:00Z'), positions);
  order('ACME', 'buy', 500, 100);

  // Tuesday: ACME falls from 100 to 64; equity 100 000 - 18 000 = 82 000, an 18 % drawdown.
  markTo(64);
  const verdict = monitor.check(account(82_000, '2024-03-05T15:00:00Z'), positions);

  // The kill switch is tripped: a new buy is refused...
  order('ACME', 'buy', 100, 64);
  // ...while the flatten the verdict requests goes through as a liquidation.
  if (verdict.requiresReduction) {
    for (const p of [...positions]) {
      order(
        p.symbol,
        p.quantity > 0 ? 'sell' : 'buy',
        Math.abs(p.quantity),
        p.currentPriceUsd,
        true,
      );
    }
  }

  // The bot saves the risk state; after a restart the switch is still tripped.
  const saved = JSON.stringify({ monitor: monitor.toJSON(), killSwitch: killSwitch.toJSON() });
  const state = JSON.parse(saved) as { monitor: unknown; killSwitch: unknown };
  const restoredSwitch = KillSwitch.fromJSON(state.killSwitch);
  const restoredMonitor = RiskMonitor.fromJSON(state.monitor, {}, { killSwitch: restoredSwitch });
  const afterRestart = restoredMonitor.allowsOrder(
    { symbol: 'ACME', side: 'buy', quantity: 1 },
    positions,
  );
  if (!afterRestart.allowed) blocked.push(`buy 1 ACME after restart: ${afterRestart.reason}`);

  return {
    sent,
    blocked,
    alerts: alerts.map((a) => `${a.level} ${a.title}`),
    killSwitchReason: killSwitch.reason,
    trippedAfterRestart: restoredSwitch.isTripped,
  };
}
