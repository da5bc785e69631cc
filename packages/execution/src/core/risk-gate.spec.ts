import type { Account, Alert, Position } from '@quantpipe/core';
import type { RiskSnapshot } from '@quantpipe/risk';
import { RiskGate, type RiskGateConfig } from './risk-gate';

const limits: RiskGateConfig = {
  max_daily_loss: -0.05,
  max_drawdown: -0.15,
  max_leverage: 3,
  on_loss_breach: 'flatten',
  daily_loss_halt: 'session',
  kill_switch_reset: 'never',
  cooldown_sessions: 20,
  scale_in_sessions: 5,
  alert_repeats: 'episode',
};

const FRI = '2024-03-01T21:00:00.000Z';
const FRI_LATE = '2024-03-01T23:00:00.000Z';
const MON = '2024-03-04T21:00:00.000Z';
const TUE = '2024-03-05T21:00:00.000Z';

/** A cash account worth `equityUsd`, its gross exposure given by `positions`. */
const account = (equityUsd: number): Account => ({
  cashUsd: equityUsd,
  equityUsd,
  buyingPowerUsd: equityUsd,
  portfolioValueUsd: equityUsd,
});
const none: Position[] = [];

const snapshot = (equityUsd: number, grossExposureUsd: number): RiskSnapshot => ({
  portfolioValueUsd: equityUsd,
  equityUsd,
  grossExposureUsd,
  dailyPnlUsd: Number.NaN,
  lastEquityUsd: Number.NaN,
});

function gate(config: Partial<RiskGateConfig> = {}, alerts: Alert[] = []) {
  let nowMs = Date.parse(FRI);
  const g = new RiskGate(
    { ...limits, ...config },
    { now: () => nowMs, alertSink: { alert: (a: Alert) => void alerts.push(a) } },
  );
  return { g, alerts, setNow: (iso: string) => (nowMs = Date.parse(iso)) };
}

describe('RiskGate', () => {
  it('a manual kill trips the switch at the clock, with its reason; release clears it', () => {
    const { g, alerts } = gate();
    expect(g.tripped).toBe(false);
    g.kill('operator stop');
    expect(g.tripped).toBe(true);
    expect(g.killSwitchState()).toEqual({
      version: 1,
      tripped: true,
      reason: 'operator stop',
      trippedAt: FRI,
      source: 'manual',
    });
    expect(alerts.map((a) => a.title)).toEqual(['KILL SWITCH TRIPPED']);
    g.release();
    expect(g.tripped).toBe(false);
    expect(g.killSwitchState()).toEqual({
      version: 1,
      tripped: false,
      reason: null,
      trippedAt: null,
      source: null,
    });
  });

  it('a daily-loss trip is released at the first check of a later session, not before', () => {
    const { g } = gate();
    expect(g.checkCycle(account(100_000), none, FRI).ok).toBe(true);
    const verdict = g.checkCycle(account(94_000), none, FRI_LATE); // −6 % on the day
    expect(verdict.breaches.map((b) => b.limit)).toEqual(['daily_loss']);
    expect(verdict.requiresReduction).toBe(false); // a daily-loss breach halts, it does not flatten
    expect(g.tripped).toBe(true);
    expect(g.killSwitch.source).toBe('risk_monitor');
    expect(g.releaseDailyLossHalt(FRI_LATE)).toBeUndefined(); // same session
    expect(g.tripped).toBe(true);
    const released = g.releaseDailyLossHalt(MON);
    expect(released).toEqual({
      trippedSession: '2024-03-01',
      reason: 'DAILY LOSS LIMIT BREACHED: Daily P&L: -6.00% (limit -5.00%)',
    });
    expect(g.tripped).toBe(false);
    expect(g.releaseDailyLossHalt(TUE)).toBeUndefined(); // nothing left to release
  });

  it('keeps a daily-loss halt with daily_loss_halt manual, and never releases drawdown or manual trips', () => {
    const manual = gate({ daily_loss_halt: 'manual' }).g;
    manual.checkCycle(account(100_000), none, FRI);
    manual.checkCycle(account(94_000), none, FRI_LATE);
    expect(manual.releaseDailyLossHalt(MON)).toBeUndefined();
    expect(manual.tripped).toBe(true);

    const drawdown = gate().g;
    drawdown.checkCycle(account(100_000), none, FRI);
    // A new session starts its daily P&L afresh: only the drawdown (−16 %) breaches.
    const v = drawdown.checkCycle(account(84_000), none, MON);
    expect(v.breaches.map((b) => b.limit)).toEqual(['drawdown']);
    expect(drawdown.tripped).toBe(true);
    expect(drawdown.releaseDailyLossHalt(TUE)).toBeUndefined();
    expect(drawdown.tripped).toBe(true);

    const killed = gate().g;
    killed.kill('DAILY LOSS by hand'); // a manual trip, whatever its wording
    expect(killed.releaseDailyLossHalt(TUE)).toBeUndefined();
    expect(killed.tripped).toBe(true);
  });

  it('a manual kill over a risk trip becomes manual: no session release, only release() ends it', () => {
    const { g, setNow } = gate();
    g.checkCycle(account(100_000), none, FRI);
    g.checkCycle(account(94_000), none, FRI_LATE); // daily-loss trip
    expect(g.killSwitch.source).toBe('risk_monitor');
    setNow(FRI_LATE);
    g.kill('operator stop');
    expect(g.killSwitchState()).toEqual({
      version: 1,
      tripped: true,
      reason: 'operator stop',
      trippedAt: FRI_LATE,
      source: 'manual',
    });
    expect(g.releaseDailyLossHalt(MON)).toBeUndefined();
    expect(g.tripped).toBe(true);
    // The monitor trips the new switch, which keeps the manual reason.
    g.checkCycle(account(50_000), none, MON);
    expect(g.killSwitch.source).toBe('manual');
    g.release();
    expect(g.tripped).toBe(false);
  });

  it('merging a stored state: a manual kill wins, a risk trip never overwrites it, resume ends only a manual kill', () => {
    const manual = {
      version: 1,
      tripped: true,
      reason: 'trader kill',
      trippedAt: FRI,
      source: 'manual',
    } as const;
    const released = { version: 1, tripped: false, reason: null, trippedAt: null, source: null };
    // A risk trip this cycle, while the operator killed from another process.
    const risk = gate().g;
    risk.checkCycle(account(100_000), none, FRI);
    risk.checkCycle(account(94_000), none, FRI_LATE);
    expect(risk.mergeStoredKillSwitch(manual)).toBe(true);
    expect(risk.killSwitchState()).toEqual(manual);
    expect(risk.releaseDailyLossHalt(MON)).toBeUndefined();
    // A release stored elsewhere ends a manual kill...
    expect(risk.mergeStoredKillSwitch(released)).toBe(true);
    expect(risk.tripped).toBe(false);
    // ...but not a risk trip made since.
    risk.checkCycle(account(80_000), none, MON);
    expect(risk.killSwitch.source).toBe('risk_monitor');
    expect(risk.mergeStoredKillSwitch(released)).toBe(false);
    expect(risk.tripped).toBe(true);
    // A manual kill already held keeps its own reason; a stored trip is adopted when free.
    const mine = gate().g;
    mine.kill('mine');
    expect(mine.mergeStoredKillSwitch(manual)).toBe(false);
    expect(mine.killSwitch.reason).toBe('mine');
    const free = gate().g;
    expect(free.mergeStoredKillSwitch(manual)).toBe(true);
    expect(free.tripped).toBe(true);
    expect(free.mergeStoredKillSwitch({ bogus: true })).toBe(true);
    expect(free.killSwitch.reason).toMatch(/^kill switch state unreadable/);
  });

  it('a loss acknowledgement re-bases the drawdown reference once per request, on a positive value only', () => {
    const { g } = gate();
    g.checkCycle(account(100_000), none, FRI);
    g.checkCycle(account(84_000), none, MON);
    expect(g.tripped).toBe(true);
    g.release();
    // Without an acknowledgement the old peak trips the switch again at once.
    const again = gate().g;
    again.checkCycle(account(100_000), none, FRI);
    again.checkCycle(account(84_000), none, MON);
    again.release();
    again.checkCycle(account(84_000), none, TUE);
    expect(again.tripped).toBe(true);

    expect(g.applyAcknowledgement(undefined, 84_000)).toBe(false);
    expect(g.applyAcknowledgement('2024-03-05T14:00:00.000Z', 0)).toBe(false);
    expect(g.lossesAcknowledgedAt).toBeNull();
    expect(g.applyAcknowledgement('2024-03-05T14:00:00.000Z', 84_000)).toBe(true);
    expect(g.lossesAcknowledgedAt).toBe('2024-03-05T14:00:00.000Z');
    expect(g.applyAcknowledgement('2024-03-05T14:00:00.000Z', 84_000)).toBe(false); // applied
    const verdict = g.checkCycle(account(84_000), none, TUE);
    expect(verdict.ok).toBe(true);
    expect(verdict.metrics.overallPeakUsd).toBe(100_000); // the high-water mark is kept
    expect(verdict.metrics.drawdownReferenceUsd).toBe(84_000);
    expect(g.tripped).toBe(false);
  });

  it('checks a cycle on the listed positions’ gross exposure', () => {
    const { g } = gate();
    const positions: Position[] = [
      {
        symbol: 'AAA',
        quantity: 1000,
        avgEntryPriceUsd: 200,
        currentPriceUsd: 200,
        marketValueUsd: 200_000,
        unrealizedPnlUsd: 0,
      },
      {
        symbol: 'BBB',
        quantity: -1000,
        avgEntryPriceUsd: 150,
        currentPriceUsd: 150,
        marketValueUsd: -150_000,
        unrealizedPnlUsd: 0,
      },
    ];
    const v = g.checkCycle(account(100_000), positions, FRI);
    expect(v.metrics.grossExposureUsd).toBe(350_000);
    expect(v.metrics.leverage).toBe(3.5);
    expect(v.breaches.map((b) => b.limit)).toEqual(['leverage']);
    expect(v.blocksNewExposure).toBe(true);
    expect(v.requiresReduction).toBe(false);
    expect(g.tripped).toBe(false); // a leverage breach blocks, it does not trip
  });

  it('allowsExposure: never during a liquidation or while tripped; keeps a verdict that is not ok', () => {
    const { g } = gate();
    g.checkCycle(account(100_000), none, FRI);
    expect(g.allowsExposure(snapshot(100_000, 100_000), FRI, false)).toBe(true);
    expect(g.lastVerdict).toBeUndefined();
    expect(g.allowsExposure(snapshot(100_000, 100_000), FRI, true)).toBe(false);
    expect(g.lastVerdict).toBeUndefined();

    expect(g.allowsExposure(snapshot(100_000, 400_000), FRI, false)).toBe(false);
    expect(g.lastVerdict?.breaches.map((b) => b.limit)).toEqual(['leverage']);
    expect(g.tripped).toBe(false);
    // Back under the limit: allowed again, and the kept verdict is cleared.
    expect(g.allowsExposure(snapshot(100_000, 200_000), FRI, false)).toBe(true);
    expect(g.lastVerdict).toBeUndefined();

    // A loss on the fresh snapshot trips the switch through the monitor.
    expect(g.allowsExposure(snapshot(80_000, 0), FRI_LATE, false)).toBe(false);
    expect(g.tripped).toBe(true);
    expect(g.lastVerdict?.killSwitchTripped).toBe(true);
    expect(g.allowsExposure(snapshot(100_000, 0), FRI_LATE, false)).toBe(false);
    expect(g.lastVerdict).toBeUndefined(); // refused before any check
  });

  it('adopts a stored kill switch; the monitor then trips the adopted switch', () => {
    const { g } = gate();
    g.checkCycle(account(100_000), none, FRI);
    g.adoptKillSwitch({
      version: 1,
      tripped: true,
      reason: 'trader kill',
      trippedAt: '2024-03-01T20:00:00.000Z',
      source: 'manual',
    });
    expect(g.tripped).toBe(true);
    expect(g.killSwitch.reason).toBe('trader kill');

    g.adoptKillSwitch({ version: 1, tripped: false, reason: null, trippedAt: null, source: null });
    expect(g.tripped).toBe(false);
    // The monitor kept its peak (100 000) and trips the adopted switch.
    g.checkCycle(account(84_000), none, MON);
    expect(g.tripped).toBe(true);
    expect(g.killSwitchState().source).toBe('risk_monitor');
  });

  it('reads an unreadable stored kill switch as tripped', () => {
    const { g } = gate();
    g.adoptKillSwitch({ version: 1, tripped: 'yes' });
    expect(g.tripped).toBe(true);
    expect(g.killSwitch.reason).toMatch(/^kill switch state unreadable: /);
    expect(g.killSwitch.source).toBe('manual');
  });

  it('restores the monitor’s peaks, or starts fresh and says why', () => {
    const first = gate().g;
    first.checkCycle(account(100_000), none, FRI);
    const saved = JSON.parse(JSON.stringify(first.monitor.toJSON()));

    const restored = gate().g;
    expect(restored.restoreMonitor(saved)).toBeUndefined();
    restored.checkCycle(account(84_000), none, MON);
    expect(restored.tripped).toBe(true); // measured from the restored 100 000 peak

    const fresh = gate().g;
    const problem = fresh.restoreMonitor({ version: 1, overallPeakUsd: 'high' });
    expect(problem).toMatch(/overallPeakUsd/);
    fresh.checkCycle(account(84_000), none, MON);
    expect(fresh.tripped).toBe(false);
    expect(fresh.restoreMonitor(undefined)).toBeUndefined();
    expect(fresh.monitor.toJSON().overallPeakUsd).toBeNull();
  });
});
