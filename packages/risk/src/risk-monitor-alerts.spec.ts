import { StateError, ValidationError } from '@quantpipe/core';
import type { Account, Alert } from '@quantpipe/core';
import { RiskMonitor } from './risk-monitor';
import type { AlertRepeats } from './risk-monitor';

const account = (portfolioValueUsd: number, timestamp: string): Account => ({
  cashUsd: portfolioValueUsd,
  equityUsd: portfolioValueUsd,
  buyingPowerUsd: portfolioValueUsd,
  portfolioValueUsd,
  timestamp,
});

/** `grossUsd` of exposure on 100,000 of equity: leverage `grossUsd / 100,000`. */
const book = (grossUsd: number) => [{ symbol: 'ACME', marketValueUsd: grossUsd }];

function monitor(alertRepeats?: AlertRepeats): { m: RiskMonitor; titles: () => string[] } {
  const alerts: Alert[] = [];
  const m = new RiskMonitor(
    { max_leverage: 2 },
    { alertSink: { alert: (a) => void alerts.push(a) }, ...(alertRepeats && { alertRepeats }) },
  );
  return { m, titles: () => alerts.map((a) => `${a.level} ${a.title}`) };
}

/** Checks at 10:00..10:05 New York on 2024-03-04 with the given gross exposures. */
function replay(m: RiskMonitor, grossUsd: readonly number[]): void {
  grossUsd.forEach((g, i) =>
    m.check(account(100_000, `2024-03-04T15:0${i}:00Z`), book(g), {
      sessionDate: '2024-03-04',
    }),
  );
}

describe('RiskMonitor alerts once per breach episode', () => {
  it('by default: one alert when the leverage limit trips, one when it clears, one for the next episode', () => {
    const { m, titles } = monitor();
    replay(m, [250_000, 260_000, 250_000, 150_000, 150_000, 300_000]);
    expect(titles()).toEqual([
      'WARNING LEVERAGE EXCEEDED',
      'INFO LEVERAGE BACK WITHIN LIMIT',
      'WARNING LEVERAGE EXCEEDED',
    ]);
  });

  it("'every_check' keeps the spec's alert at each check that finds the breach, and no clear alert", () => {
    const { m, titles } = monitor('every_check');
    replay(m, [250_000, 260_000, 250_000, 150_000, 150_000, 300_000]);
    expect(titles()).toEqual(Array.from({ length: 4 }, () => 'WARNING LEVERAGE EXCEEDED'));
  });

  it('a breach still blocks new exposure at every check, alerted or not', () => {
    const { m } = monitor();
    replay(m, [250_000, 250_000]);
    const verdict = m.check(account(100_000, '2024-03-04T16:00:00Z'), book(250_000));
    expect(verdict.blocksNewExposure).toBe(true);
    expect(verdict.breaches.map((b) => b.limit)).toEqual(['leverage']);
  });

  it('a daily-loss episode ends at the next session (its peak resets), with a clear alert', () => {
    const alerts: Alert[] = [];
    const m = new RiskMonitor({}, { alertSink: { alert: (a) => void alerts.push(a) } });
    m.check(account(100_000, '2024-03-04T15:00:00Z'), []);
    m.check(account(94_000, '2024-03-04T16:00:00Z'), []);
    m.check(account(93_000, '2024-03-04T17:00:00Z'), []);
    m.check(account(93_500, '2024-03-05T15:00:00Z'), []);
    expect(alerts.map((a) => a.title)).toEqual([
      'DAILY LOSS LIMIT BREACHED',
      'DAILY LOSS BACK WITHIN LIMIT',
    ]);
    expect(alerts[1]?.message).toBe('Daily P&L: 0.00% (limit -5.00%)');
  });

  it('the alerted episode survives a restart: the restored monitor does not alert it again', () => {
    const first = monitor();
    replay(first.m, [250_000]);
    const saved = JSON.parse(JSON.stringify(first.m.toJSON())) as unknown;
    expect((saved as { alertedLimits: string[] }).alertedLimits).toEqual(['leverage']);
    const alerts: Alert[] = [];
    const restored = RiskMonitor.fromJSON(
      saved,
      { max_leverage: 2 },
      { alertSink: { alert: (a) => void alerts.push(a) } },
    );
    restored.check(account(100_000, '2024-03-04T15:30:00Z'), book(250_000));
    restored.check(account(100_000, '2024-03-04T15:31:00Z'), book(100_000));
    expect(alerts.map((a) => a.title)).toEqual(['LEVERAGE BACK WITHIN LIMIT']);
  });

  it('older states without alertedLimits restore with no open episode; a bad list or option is refused', () => {
    const state = { ...new RiskMonitor().toJSON() } as Record<string, unknown>;
    delete state['alertedLimits'];
    expect(RiskMonitor.fromJSON(state).toJSON().alertedLimits).toEqual([]);
    expect(() => RiskMonitor.fromJSON({ ...state, alertedLimits: ['drawdown'] })).toThrow(
      new StateError('risk monitor state: alertedLimits must be a list of daily_loss, leverage'),
    );
    expect(
      () => new RiskMonitor({}, { alertRepeats: 'sometimes' as unknown as AlertRepeats }),
    ).toThrow(ValidationError);
  });
});
