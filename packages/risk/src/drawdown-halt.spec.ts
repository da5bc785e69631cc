import type { Account, Alert } from '@quantpipe/core';
import { cooldownEnded, scaleInFraction } from './drawdown-halt';
import { KillSwitch } from './kill-switch';
import { RiskMonitor } from './risk-monitor';

const account = (portfolioValueUsd: number, timestamp: string): Account => ({
  cashUsd: portfolioValueUsd,
  equityUsd: portfolioValueUsd,
  buyingPowerUsd: portfolioValueUsd,
  portfolioValueUsd,
  grossExposureUsd: 0,
  timestamp,
});

/** Session dates 2024-03-01 + i days (the monitor counts checked sessions, not weekdays). */
const day = (i: number): string => new Date(Date.UTC(2024, 2, 1 + i)).toISOString().slice(0, 10);

function monitorWith(limits: ConstructorParameters<typeof RiskMonitor>[0]) {
  const alerts: Alert[] = [];
  const killSwitch = new KillSwitch();
  const monitor = new RiskMonitor(limits, {
    killSwitch,
    alertSink: { alert: (a: Alert) => void alerts.push(a) },
  });
  return { monitor, killSwitch, alerts };
}

describe('drawdown halt rules', () => {
  it('cooldownEnded and scaleInFraction follow the configured sessions', () => {
    const cooldown = { killSwitchReset: 'cooldown' as const, cooldownSessions: 3 };
    expect(cooldownEnded(cooldown, 4, 2)).toBe(false);
    expect(cooldownEnded(cooldown, 5, 2)).toBe(true);
    expect(cooldownEnded(cooldown, 5, null)).toBe(false);
    expect(cooldownEnded({ ...cooldown, killSwitchReset: 'never' }, 99, 2)).toBe(false);
    expect([10, 11, 12, 13, 14].map((s) => scaleInFraction(4, s, 10))).toEqual([
      0.25, 0.5, 0.75, 1, 1,
    ]);
    expect(scaleInFraction(4, 10, null)).toBe(1);
  });

  it('never: a drawdown halt lasts, keeps the high-water mark and alerts once', () => {
    const { monitor, killSwitch, alerts } = monitorWith({});
    monitor.check(account(1_000_000, day(0)));
    const breach = monitor.check(account(840_000, day(1)));
    expect(breach).toMatchObject({ requiresReduction: true, action: 'flatten', exposureScale: 1 });
    expect(killSwitch.reason).toMatch(/^MAX DRAWDOWN/);
    for (let i = 2; i < 60; i++) {
      const v = monitor.check(account(840_000, day(i)));
      expect(v.resumed).toBe(false);
      expect(v.requiresReduction).toBe(true); // flatten: whatever is still held
      expect(v.metrics.overallPeakUsd).toBe(1_000_000);
    }
    expect(killSwitch.isTripped).toBe(true);
    expect(alerts.filter((a) => a.title === 'MAX DRAWDOWN BREACHED')).toHaveLength(1);
  });

  it('reduce halves the book once per halt, not at every check', () => {
    const { monitor } = monitorWith({ on_loss_breach: 'reduce' });
    monitor.check(account(1_000_000, day(0)));
    expect(monitor.check(account(800_000, day(1))).requiresReduction).toBe(true);
    expect(monitor.check(account(800_000, day(2))).requiresReduction).toBe(false);
    expect(monitor.check(account(700_000, day(3))).action).toBe('reduce');
  });

  it('cooldown: released after N sessions, re-based with an alert, scaled back in', () => {
    const { monitor, killSwitch, alerts } = monitorWith({
      kill_switch_reset: 'cooldown',
      cooldown_sessions: 3,
      scale_in_sessions: 4,
    });
    monitor.check(account(1_000_000, day(0)));
    monitor.check(account(800_000, day(1))); // session 2: the halt begins
    expect(monitor.check(account(800_000, day(2))).killSwitchTripped).toBe(true);
    expect(monitor.check(account(800_000, day(3))).killSwitchTripped).toBe(true);
    const resumed = monitor.check(account(790_000, day(4))); // session 5 = 2 + 3
    expect(resumed).toMatchObject({ resumed: true, ok: true, exposureScale: 0.25 });
    expect(killSwitch.isTripped).toBe(false);
    expect(resumed.metrics).toMatchObject({
      overallPeakUsd: 1_000_000,
      drawdownReferenceUsd: 790_000,
      limitDrawdown: 0,
      drawdown: -0.21,
    });
    const alert = alerts.find((a) => a.title === 'TRADING RESUMED');
    expect(alert?.message).toMatch(/measured from 790000\.00 \(high-water mark 1000000\.00/);
    expect(alert?.timestamp).toBe(day(4));
    // Restored mid-scale-in, the monitor goes on where it was.
    const restored = RiskMonitor.fromJSON(monitor.toJSON(), monitor.limits);
    expect(restored.toJSON()).toEqual(monitor.toJSON());
    expect([5, 6, 7].map((i) => restored.check(account(790_000, day(i))).exposureScale)).toEqual([
      0.5, 0.75, 1,
    ]);
    // A new fall of 15 % from the resume level halts again.
    const again = restored.check(account(670_000, day(8)));
    expect(again.breaches.map((b) => b.limit)).toEqual(['drawdown']);
    expect(again.breaches[0]?.message).toMatch(/from the resume level/);
  });

  it('a daily-loss breach halts without a reduction; a drawdown breach names the trip', () => {
    const { monitor, killSwitch } = monitorWith({});
    monitor.check(account(1_000_000, day(0)));
    const daily = monitor.check({ ...account(940_000, day(1)), lastEquityUsd: 1_000_000 });
    expect(daily).toMatchObject({ requiresReduction: false, action: 'block' });
    expect(killSwitch.reason).toMatch(/^DAILY LOSS/);
    const other = monitorWith({});
    other.monitor.check(account(1_000_000, day(0)));
    const both = other.monitor.check({ ...account(800_000, day(1)), lastEquityUsd: 1_000_000 });
    expect(both.breaches.map((b) => b.limit)).toEqual(['drawdown', 'daily_loss']);
    expect(other.killSwitch.reason).toMatch(/^MAX DRAWDOWN/);
  });

  it('reads a state saved before the halt fields existed', () => {
    const { monitor } = monitorWith({});
    monitor.check(account(1_000_000, day(0)));
    const {
      drawdownReferenceUsd: _r,
      sessionCount: _c,
      haltedSinceSession: _h,
      resumedAtSession: _s,
      ...old
    } = monitor.toJSON();
    const restored = RiskMonitor.fromJSON(old);
    expect(restored.toJSON()).toMatchObject({ drawdownReferenceUsd: 1_000_000, sessionCount: 0 });
  });
});
