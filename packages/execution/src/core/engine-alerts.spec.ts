import { engineAlerts } from './engine-alerts';

describe('engineAlerts', () => {
  it('words the end of a daily-loss halt', () => {
    expect(engineAlerts.dailyHaltReleased('2024-03-01', 'DAILY LOSS LIMIT BREACHED: x')).toEqual({
      level: 'WARNING',
      title: 'KILL SWITCH RELEASED',
      message: 'new session: the daily loss halt of 2024-03-01 ends (DAILY LOSS LIMIT BREACHED: x)',
    });
  });

  it('words a loss acknowledgement with the equity in cents and the request in its context', () => {
    expect(engineAlerts.lossesAcknowledged(84_000.456, '2024-03-05T14:00:00.000Z')).toEqual({
      level: 'WARNING',
      title: 'LOSSES ACKNOWLEDGED',
      message:
        'risk peaks re-based at equity 84000.46 USD after a kill-switch reset requested at 2024-03-05T14:00:00.000Z',
      context: { requestedAt: '2024-03-05T14:00:00.000Z', portfolioValueUsd: 84_000.456 },
    });
  });

  it('lists the symbols left out for want of data', () => {
    expect(engineAlerts.insufficientData(['NEW: 5 bars', 'ODD: bad close'])).toEqual({
      level: 'WARNING',
      title: 'INSUFFICIENT MARKET DATA',
      message: 'not traded this cycle: NEW: 5 bars; ODD: bad close',
    });
  });

  it('words a rejected order with its client order id in the context', () => {
    expect(
      engineAlerts.orderRejected(
        'buy',
        120,
        'AAA',
        'insufficient buying power',
        'qp-r-3-AAA-adjust',
      ),
    ).toEqual({
      level: 'WARNING',
      title: 'ORDER REJECTED',
      message: 'buy 120 AAA: insufficient buying power',
      context: { clientOrderId: 'qp-r-3-AAA-adjust' },
    });
  });

  it('words the leverage left after a rebalance and the completed rebalance', () => {
    expect(engineAlerts.leverageAfterRebalance(3.256, 3, 7)).toEqual({
      level: 'WARNING',
      title: 'LEVERAGE EXCEEDED AFTER REBALANCE',
      message:
        'Leverage: 3.26x (limit 3.00x); new exposure stays blocked until it is back under the limit',
      context: { cycle: 7 },
    });
    expect(engineAlerts.rebalanceCompleted(7, 3, 4, 1_000_123.456, 1.5, 'traded')).toEqual({
      level: 'INFO',
      title: 'REBALANCE COMPLETED',
      message: 'cycle 7: 3/4 orders filled; equity 1000123.46 USD, leverage 1.50x',
      context: { cycle: 7, status: 'traded' },
    });
  });
});
