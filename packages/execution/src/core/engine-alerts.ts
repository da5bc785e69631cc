import type { AlertLevel } from '@quantpipe/core';

/** An alert the engine raises, without its instant (the driver stamps it). */
export interface EngineAlert {
  readonly level: AlertLevel;
  readonly title: string;
  readonly message: string;
  readonly context?: Record<string, unknown>;
}

/**
 * The alerts a cycle raises, worded in one place for both drivers (the live engine and the
 * backtest loop journal and deliver the same texts).
 */
export const engineAlerts = {
  dailyHaltReleased(trippedSession: string, reason: string): EngineAlert {
    return {
      level: 'WARNING',
      title: 'KILL SWITCH RELEASED',
      message: `new session: the daily loss halt of ${trippedSession} ends (${reason})`,
    };
  },
  lossesAcknowledged(portfolioValueUsd: number, requestedAt: string): EngineAlert {
    return {
      level: 'WARNING',
      title: 'LOSSES ACKNOWLEDGED',
      message: `risk peaks re-based at equity ${portfolioValueUsd.toFixed(2)} USD after a kill-switch reset requested at ${requestedAt}`,
      context: { requestedAt, portfolioValueUsd },
    };
  },
  insufficientData(unusable: readonly string[]): EngineAlert {
    return {
      level: 'WARNING',
      title: 'INSUFFICIENT MARKET DATA',
      message: `not traded this cycle: ${unusable.join('; ')}`,
    };
  },
  orderRejected(
    side: string,
    quantity: number,
    symbol: string,
    message: string,
    clientOrderId: string,
  ): EngineAlert {
    return {
      level: 'WARNING',
      title: 'ORDER REJECTED',
      message: `${side} ${quantity} ${symbol}: ${message}`,
      context: { clientOrderId },
    };
  },
  leverageAfterRebalance(leverage: number, maxLeverage: number, cycle: number): EngineAlert {
    return {
      level: 'WARNING',
      title: 'LEVERAGE EXCEEDED AFTER REBALANCE',
      message: `Leverage: ${leverage.toFixed(2)}x (limit ${maxLeverage.toFixed(2)}x); new exposure stays blocked until it is back under the limit`,
      context: { cycle },
    };
  },
  rebalanceCompleted(
    cycle: number,
    filled: number,
    orders: number,
    equityUsd: number,
    leverage: number,
    status: string,
  ): EngineAlert {
    return {
      level: 'INFO',
      title: 'REBALANCE COMPLETED',
      message: `cycle ${cycle}: ${filled}/${orders} orders filled; equity ${equityUsd.toFixed(2)} USD, leverage ${leverage.toFixed(2)}x`,
      context: { cycle, status },
    };
  },
};
