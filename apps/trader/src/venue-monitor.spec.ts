import { BrokerError, type Alert } from '@quantpipe/core';
import { TraderMetrics } from './metrics';
import { VenueMonitor, errorKindOf } from './venue-monitor';

describe('venue monitor', () => {
  it('alerts on disconnect, retries (throttled) and reconnect, and counts them', async () => {
    const alerts: Alert[] = [];
    const metrics = new TraderMetrics();
    let now = Date.parse('2024-07-09T15:00:00Z');
    const statuses: boolean[] = [];
    const monitor = new VenueMonitor({
      venue: 'alpaca',
      metrics,
      onStatus: (connected) => statuses.push(connected),
      now: () => now,
      raise: async (level, title, message, context) => {
        alerts.push({
          level,
          title,
          message,
          timestamp: new Date(now).toISOString(),
          ...(context ? { context } : {}),
        });
      },
    });
    let down = true;
    const broker = monitor.wrapBroker({
      venue: 'alpaca',
      getAccount: async () => {
        if (down) throw new BrokerError('connection', 'ECONNREFUSED 127.0.0.1:1');
        return { equityUsd: 1 };
      },
    });
    const drop = new BrokerError('connection', 'socket hang up');
    monitor.onRetry({ error: drop, attempt: 1, delayMs: 500 });
    monitor.onRetry({ error: drop, attempt: 2, delayMs: 1000 });
    await expect(broker.getAccount()).rejects.toThrow(/ECONNREFUSED/);
    expect(monitor.connected).toBe(false);
    now += 61_000;
    monitor.onRetry({ error: new BrokerError('rate_limit', '429'), attempt: 1, delayMs: 500 });
    down = false;
    await expect(broker.getAccount()).resolves.toEqual({ equityUsd: 1 });
    await monitor.flush();
    expect(monitor.connected).toBe(true);
    expect(statuses).toEqual([false, true]);
    expect(alerts.map((a) => a.title)).toEqual([
      'BROKER DISCONNECTED',
      'BROKER RETRYING',
      'BROKER RETRYING',
      'BROKER RECONNECTED',
    ]);
    const text = await metrics.text();
    expect(text).toMatch(/^trader_retries_total 3$/m);
    expect(text).toMatch(/^trader_disconnects_total 1$/m);
    expect(text).toMatch(/^trader_reconnects_total 1$/m);
    expect(text).toMatch(/^trader_broker_errors_total\{kind="connection"\} 1$/m);
    expect(text).toMatch(/^trader_broker_up 1$/m);
  });

  it('tracks the age of the newest bar the market data returned', async () => {
    const now = Date.parse('2024-07-09T21:00:00Z');
    const monitor = new VenueMonitor({
      venue: 'sim',
      now: () => now,
      raise: async () => undefined,
    });
    const data = monitor.wrapMarketData({
      getLatestBar: async () => ({
        symbol: 'SYNA',
        timestamp: '2024-07-08',
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      }),
    });
    await data.getLatestBar();
    // The 2024-07-08 session closed at 20:00Z; 25 hours later.
    expect(monitor.dataStalenessSeconds()).toBe(25 * 3600);
    expect(errorKindOf(new Error('x'))).toBe('unknown');
  });
});
