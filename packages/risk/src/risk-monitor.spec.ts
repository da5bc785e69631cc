import fc from 'fast-check';
import { ConfigError, RiskBreachError, StateError, ValidationError } from '@quantpipe/core';
import type { Account, Alert, Position } from '@quantpipe/core';
import { KillSwitch } from './kill-switch';
import { RiskMonitor } from './risk-monitor';

const account = (
  portfolioValueUsd: number,
  timestamp: string,
  extra: Partial<Account> = {},
): Account => ({
  cashUsd: portfolioValueUsd,
  equityUsd: portfolioValueUsd,
  buyingPowerUsd: portfolioValueUsd,
  portfolioValueUsd,
  timestamp,
  ...extra,
});

const position = (symbol: string, quantity: number, priceUsd: number): Position => ({
  symbol,
  quantity,
  avgEntryPriceUsd: priceUsd,
  currentPriceUsd: priceUsd,
  marketValueUsd: quantity * priceUsd,
  unrealizedPnlUsd: 0,
});

function recordingSink(): { alerts: Alert[]; alert: (a: Alert) => void } {
  const alerts: Alert[] = [];
  return { alerts, alert: (a: Alert) => void alerts.push(a) };
}

// 15:00 UTC is 10:00 or 11:00 in New York: inside the session of the same date.
const DAY1 = '2024-03-04T15:00:00Z';
const DAY1_LATER = '2024-03-04T19:30:00Z';
const DAY2 = '2024-03-05T15:00:00Z';

describe('RiskMonitor limits and config', () => {
  it('uses the spec defaults and accepts snake_case or camelCase keys', () => {
    expect(new RiskMonitor().limits).toEqual({
      maxDailyLoss: -0.05,
      maxDrawdown: -0.15,
      maxLeverage: 3,
      onLossBreach: 'flatten',
    });
    expect(
      new RiskMonitor({ max_drawdown: -0.1, maxLeverage: 2, on_loss_breach: 'reduce' }).limits,
    ).toEqual({
      maxDailyLoss: -0.05,
      maxDrawdown: -0.1,
      maxLeverage: 2,
      onLossBreach: 'reduce',
    });
  });

  it('rejects broken config with a ConfigError naming the key', () => {
    expect(() => new RiskMonitor({ max_daily_loss: 0.05 })).toThrow(/max_daily_loss/);
    expect(() => new RiskMonitor({ max_drawdown: -1.5 })).toThrow(ConfigError);
    expect(() => new RiskMonitor({ max_leverage: 0 })).toThrow(/max_leverage/);
    expect(() => new RiskMonitor({ maxLeverage: 2, max_leverage: 3 })).toThrow(/given twice/);
    expect(() => new RiskMonitor({ onLossBreach: 'panic' as 'block' })).toThrow(/on_loss_breach/);
  });

  it('rejects a non-finite snapshot with a ValidationError', () => {
    const m = new RiskMonitor();
    expect(() => m.check(account(NaN, DAY1), [])).toThrow(ValidationError);
    expect(() =>
      m.check(account(100, DAY1), [{ ...position('A', 1, 1), marketValueUsd: NaN }]),
    ).toThrow(/A/);
    expect(() => m.check(account(100, 'yesterday'), [])).toThrow(/asOf/);
  });
});

describe('RiskMonitor scenarios', () => {
  it('a clean snapshot is ok and reports its metrics', () => {
    const m = new RiskMonitor();
    const v = m.check(account(1_000_000, DAY1), [
      position('AAA', 1000, 100),
      position('BBB', -500, 200),
    ]);
    expect(v.ok).toBe(true);
    expect(v.breaches).toEqual([]);
    expect(v.action).toBe('none');
    expect(v.sessionDate).toBe('2024-03-04');
    // gross exposure |100 000| + |-100 000| = 200 000; leverage 0.2.
    expect(v.metrics.grossExposureUsd).toBe(200_000);
    expect(v.metrics.leverage).toBeCloseTo(0.2, 15);
    expect(v.metrics.dailyPnlSource).toBe('session_start');
  });

  it('a session boundary resets the daily peak (the seed never does)', () => {
    const m = new RiskMonitor();
    m.check(account(1_000_000, DAY1), []);
    const up = m.check(account(1_100_000, DAY1_LATER), []);
    expect(up.metrics.dailyPeakUsd).toBe(1_100_000);
    // Next session opens lower: the daily peak restarts at the session's first value.
    const next = m.check(account(1_050_000, DAY2), []);
    expect(next.metrics.dailyPeakUsd).toBe(1_050_000);
    expect(next.metrics.overallPeakUsd).toBe(1_100_000);
    expect(next.metrics.dailyPnlUsd).toBe(0);
    // A 6 % fall within the new session is measured from the new session's peak:
    // -63 000 / 1 050 000 = -0.06 < -0.05.
    const fall = m.check(account(987_000, '2024-03-05T18:00:00Z'), []);
    expect(fall.metrics.dailyPnlPct).toBeCloseTo(-0.06, 12);
    expect(fall.breaches.map((b) => b.limit)).toEqual(['daily_loss']);
  });

  it('daily P&L prefers account.dailyPnlUsd, then equity - lastEquityUsd', () => {
    const m = new RiskMonitor();
    const v1 = m.check(
      account(1_000_000, DAY1, { dailyPnlUsd: -60_000, lastEquityUsd: 990_000 }),
      [],
    );
    expect(v1.metrics.dailyPnlSource).toBe('account_daily_pnl');
    expect(v1.metrics.dailyPnlPct).toBeCloseTo(-0.06, 15);
    expect(v1.breaches[0]).toMatchObject({
      limit: 'daily_loss',
      threshold: -0.05,
      severity: 'CRITICAL',
    });
    const v2 = new RiskMonitor().check(account(1_000_000, DAY1, { lastEquityUsd: 1_040_000 }), []);
    expect(v2.metrics.dailyPnlSource).toBe('last_equity');
    expect(v2.metrics.dailyPnlUsd).toBe(-40_000);
    expect(v2.ok).toBe(true);
  });

  it('a drawdown breach raises a CRITICAL alert, trips the kill switch and requests a flatten', () => {
    const sink = recordingSink();
    const killSwitch = new KillSwitch();
    const m = new RiskMonitor({}, { alertSink: sink, killSwitch });
    m.check(account(1_000_000, '2024-03-01'), []);
    m.check(account(900_000, '2024-03-04'), []);
    // Drawdown (840 000 - 1 000 000) / 1 000 000 = -0.16 < -0.15; the daily move is -6.7 % too.
    const v = m.check(account(840_000, '2024-03-05'), [], { asOf: '2024-03-05' });
    expect(v.breaches.find((b) => b.limit === 'drawdown')).toMatchObject({
      value: -0.16,
      threshold: -0.15,
      severity: 'CRITICAL',
      title: 'MAX DRAWDOWN BREACHED',
    });
    expect(v).toMatchObject({
      ok: false,
      blocksNewExposure: true,
      requiresReduction: true,
      action: 'flatten',
      killSwitchTripped: true,
    });
    expect(killSwitch.isTripped).toBe(true);
    expect(killSwitch.source).toBe('risk_monitor');
    expect(killSwitch.reason).toMatch(/MAX DRAWDOWN BREACHED/);
    expect(sink.alerts.map((a) => [a.level, a.title])).toEqual([
      ['CRITICAL', 'MAX DRAWDOWN BREACHED'],
    ]);
    // A recovery does not release the switch: only reset() does.
    expect(m.check(account(1_000_000, '2024-03-06'), []).ok).toBe(false);
    expect(m.allowsOrder({ symbol: 'AAA', side: 'buy', quantity: 1 }, {}).allowed).toBe(false);
    killSwitch.reset();
    expect(m.check(account(1_000_000, '2024-03-07'), []).ok).toBe(true);
    expect(m.allowsOrder({ symbol: 'AAA', side: 'buy', quantity: 1 }, {}).allowed).toBe(true);
  });

  it('while tripped only liquidation orders that reduce exposure pass, and only when a reduction is required', () => {
    const killSwitch = new KillSwitch();
    const m = new RiskMonitor({}, { killSwitch });
    const held = [position('AAA', 1000, 100)];
    m.check(account(1_000_000, '2024-03-01'), held);
    m.check(account(800_000, '2024-03-04'), held);
    const sell = { symbol: 'AAA', side: 'sell' as const, quantity: 1000 };
    expect(m.allowsOrder(sell, held).allowed).toBe(false);
    expect(m.allowsOrder(sell, held, { liquidation: true })).toEqual({
      allowed: true,
      exposureIncreasing: false,
      reason: null,
    });
    expect(m.allowsOrder({ ...sell, quantity: 1500 }, held, { liquidation: true }).allowed).toBe(
      false,
    );
    const blockOnly = new RiskMonitor({ onLossBreach: 'block' }, { killSwitch: new KillSwitch() });
    blockOnly.check(account(1_000_000, '2024-03-01'), held);
    const v = blockOnly.check(account(800_000, '2024-03-04'), held);
    expect(v).toMatchObject({ requiresReduction: false, action: 'block' });
    expect(blockOnly.allowsOrder(sell, held, { liquidation: true }).allowed).toBe(false);
    expect(() => blockOnly.assertAllowsOrder(sell, held)).toThrow(RiskBreachError);
  });

  it('leverage over the limit is a WARNING that blocks only exposure-increasing orders', () => {
    const sink = recordingSink();
    const killSwitch = new KillSwitch();
    const m = new RiskMonitor({ max_leverage: 3 }, { alertSink: sink, killSwitch });
    const held = [position('AAA', 20_000, 100), position('BBB', -15_000, 100)];
    // Gross 2 000 000 + 1 500 000 = 3 500 000 on 1 000 000 equity: 3.5x > 3x.
    const v = m.check(account(1_000_000, DAY1), held);
    expect(v.breaches).toEqual([
      expect.objectContaining({ limit: 'leverage', value: 3.5, threshold: 3, severity: 'WARNING' }),
    ]);
    expect(v).toMatchObject({ blocksNewExposure: true, requiresReduction: false, action: 'block' });
    expect(killSwitch.isTripped).toBe(false);
    expect(sink.alerts[0]).toMatchObject({ level: 'WARNING', title: 'LEVERAGE EXCEEDED' });
    const decide = (symbol: string, side: 'buy' | 'sell', quantity: number): boolean =>
      m.allowsOrder({ symbol, side, quantity }, held).allowed;
    expect(decide('AAA', 'buy', 100)).toBe(false); // adds to a long
    expect(decide('BBB', 'sell', 100)).toBe(false); // adds to a short
    expect(decide('CCC', 'buy', 1)).toBe(false); // opens a new position
    expect(decide('AAA', 'sell', 25_000)).toBe(false); // flips long -> short
    expect(decide('AAA', 'sell', 5_000)).toBe(true); // reduces a long
    expect(decide('AAA', 'sell', 20_000)).toBe(true); // closes a long
    expect(decide('BBB', 'buy', 15_000)).toBe(true); // covers a short
    // Back under the limit: new exposure is allowed again.
    m.check(account(1_000_000, DAY1_LATER), [position('AAA', 10_000, 100)]);
    expect(decide('CCC', 'buy', 1)).toBe(true);
  });

  it('takes the gross exposure from the account when positions are omitted, as from the positions', () => {
    const held = [position('AAA', 20_000, 100), position('BBB', -15_000, 100)];
    const fromPositions = new RiskMonitor({ max_leverage: 3 }).check(
      account(1_000_000, DAY1),
      held,
    );
    const fromAccount = new RiskMonitor({ max_leverage: 3 }).check(
      account(1_000_000, DAY1, { grossExposureUsd: 3_500_000 }),
    );
    expect(fromAccount).toEqual(fromPositions);
    expect(fromAccount.metrics.leverage).toBe(3.5);
    const m = new RiskMonitor();
    expect(() => m.check(account(1_000_000, DAY1))).toThrow(/grossExposureUsd/);
    expect(() => m.check(account(1_000_000, DAY1, { grossExposureUsd: Number.NaN }))).toThrow(
      ValidationError,
    );
  });

  it('open exposure on non-positive equity is infinite leverage (the seed reports 0)', () => {
    const v = new RiskMonitor().check(account(-10, DAY1), [position('AAA', 10, 100)]);
    expect(v.metrics.leverage).toBe(Infinity);
    expect(v.breaches.some((b) => b.limit === 'leverage')).toBe(true);
  });

  it('blocks new exposure before the first check, and rejects snapshots from an older session', () => {
    const m = new RiskMonitor();
    expect(m.allowsOrder({ symbol: 'A', side: 'buy', quantity: 1 }, []).reason).toMatch(
      /no risk check/,
    );
    expect(
      m.allowsOrder({ symbol: 'A', side: 'sell', quantity: 1 }, [position('A', 5, 1)]).allowed,
    ).toBe(true);
    m.check(account(100, DAY2), []);
    expect(() => m.check(account(100, DAY1), [])).toThrow(StateError);
  });

  it('an async alert sink that fails neither throws nor leaks a rejection', async () => {
    const errors: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (o: unknown) => void errors.push(o),
    };
    const m = new RiskMonitor(
      {},
      { logger, alertSink: { alert: () => Promise.reject(new Error('webhook down')) } },
    );
    m.check(account(100, DAY1), []);
    expect(() => m.check(account(80, DAY1_LATER), [])).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(errors.length).toBe(2); // daily loss and drawdown alerts both failed and were logged
  });
});

describe('RiskMonitor peaks (property)', () => {
  it('the daily peak is the max of the current session only; the overall peak the max of all', () => {
    const snapshot = fc.record({
      newSession: fc.boolean(),
      value: fc.double({ min: 1, max: 1e9, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(snapshot, { minLength: 1, maxLength: 40 }), (snaps) => {
        const m = new RiskMonitor();
        let day = 1;
        let sessionValues: number[] = [];
        const all: number[] = [];
        snaps.forEach((s, i) => {
          if (s.newSession && i > 0) {
            day++;
            sessionValues = [];
          }
          sessionValues.push(s.value);
          all.push(s.value);
          const date = new Date(Date.UTC(2024, 0, day, 15)).toISOString().slice(0, 19) + 'Z';
          const v = m.check(account(s.value, date), []);
          expect(v.metrics.dailyPeakUsd).toBe(Math.max(...sessionValues));
          expect(v.metrics.overallPeakUsd).toBe(Math.max(...all));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('a sink that throws synchronously is logged and does not break the check', () => {
    const errors: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (o: unknown) => void errors.push(o),
    };
    const m = new RiskMonitor(
      {},
      {
        logger,
        alertSink: {
          alert: () => {
            throw new Error('boom');
          },
        },
      },
    );
    m.check(account(100, DAY1), []);
    expect(m.check(account(80, DAY1_LATER), []).breaches).toHaveLength(2);
    expect(errors).toHaveLength(2);
  });
});

describe('RiskMonitor state', () => {
  it('serialises to JSON and restores exactly: a restored monitor decides as the original', () => {
    const m = new RiskMonitor();
    m.check(account(1_000_000, DAY1), []);
    m.check(account(1_020_000, DAY1_LATER), []);
    const restored = RiskMonitor.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(restored.toJSON()).toEqual(m.toJSON());
    const next = account(960_000, '2024-03-04T20:00:00Z');
    expect(restored.check(next, [])).toEqual(m.check(next, []));
    expect(restored.toJSON()).toEqual(m.toJSON());
  });

  it('rejects broken state with a StateError', () => {
    const good = new RiskMonitor().toJSON();
    expect(() => RiskMonitor.fromJSON('x')).toThrow(StateError);
    expect(() => RiskMonitor.fromJSON({ ...good, version: 0 })).toThrow(StateError);
    expect(() => RiskMonitor.fromJSON({ ...good, dailyPeakUsd: 5 })).toThrow(StateError);
    expect(() => RiskMonitor.fromJSON({ ...good, blocksNewExposure: 'no' })).toThrow(StateError);
  });

  it('property: peaks never fall, drawdown is in [-1, 0] for positive values, JSON round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (values) => {
          const m = new RiskMonitor();
          let lastPeak = 0;
          values.forEach((v, i) => {
            const verdict = m.check(
              account(v, `2024-01-${String(1 + Math.floor(i / 3)).padStart(2, '0')}`),
              [],
            );
            expect(verdict.metrics.overallPeakUsd).toBeGreaterThanOrEqual(lastPeak);
            expect(verdict.metrics.drawdown).toBeLessThanOrEqual(0);
            expect(verdict.metrics.drawdown).toBeGreaterThanOrEqual(-1);
            lastPeak = verdict.metrics.overallPeakUsd;
          });
          expect(RiskMonitor.fromJSON(JSON.parse(JSON.stringify(m))).toJSON()).toEqual(m.toJSON());
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('RiskMonitor acknowledging losses', () => {
  it('re-bases the peaks so a reset kill switch is not re-tripped by the same drawdown', () => {
    const killSwitch = new KillSwitch();
    const monitor = new RiskMonitor({}, { killSwitch });
    monitor.check(account(1_000_000, DAY1), []);
    const breach = monitor.check(account(800_000, DAY2), []);
    expect(breach.breaches.map((b) => b.limit)).toContain('drawdown');
    expect(killSwitch.isTripped).toBe(true);

    // Without the acknowledgement the reset would not hold: the old peak still counts.
    killSwitch.reset();
    const again = monitor.check(account(800_000, DAY2), []);
    expect(again.ok).toBe(false);
    expect(killSwitch.isTripped).toBe(true);

    killSwitch.reset();
    monitor.acknowledgeLosses(800_000);
    const after = monitor.check(account(790_000, DAY2), []);
    expect(after.ok).toBe(true);
    expect(after.metrics.overallPeakUsd).toBe(800_000);
    expect(after.metrics.drawdown).toBeCloseTo(-0.0125, 12);
    expect(killSwitch.isTripped).toBe(false);
    // A new fall of more than 15 % from the new peak breaches again.
    expect(monitor.check(account(679_000, DAY2), []).breaches.map((b) => b.limit)).toContain(
      'drawdown',
    );
  });

  it('survives a JSON round trip and refuses a non-positive value', () => {
    const monitor = new RiskMonitor();
    monitor.acknowledgeLosses(5); // before any check: nothing to re-base
    expect(monitor.toJSON().overallPeakUsd).toBeNull();
    monitor.check(account(1_000_000, DAY1), []);
    monitor.acknowledgeLosses(900_000);
    const restored = RiskMonitor.fromJSON(monitor.toJSON());
    expect(restored.toJSON()).toEqual(monitor.toJSON());
    expect(restored.toJSON().overallPeakUsd).toBe(900_000);
    expect(() => monitor.acknowledgeLosses(0)).toThrow(ValidationError);
    expect(() => monitor.acknowledgeLosses(Number.NaN)).toThrow(ValidationError);
  });
});

describe('RiskMonitor.checkSnapshot (the check an engine makes before every order)', () => {
  const snapshotArb = fc.record({
    portfolioValueUsd: fc.double({ min: 1, max: 2e6, noNaN: true }),
    grossExposureUsd: fc.double({ min: 0, max: 8e6, noNaN: true }),
    venueDailyPnl: fc.option(fc.double({ min: -5e5, max: 5e5, noNaN: true }), { nil: undefined }),
    lastEquity: fc.option(fc.double({ min: 1, max: 2e6, noNaN: true }), { nil: undefined }),
    day: fc.integer({ min: 0, max: 3 }),
  });

  it('changes the state exactly as check() and returns its verdict whenever it is not ok', () => {
    fc.assert(
      fc.property(fc.array(snapshotArb, { minLength: 1, maxLength: 30 }), (snapshots) => {
        const alertsA: Alert[] = [];
        const alertsB: Alert[] = [];
        const ksA = new KillSwitch();
        const ksB = new KillSwitch();
        const a = new RiskMonitor(
          {},
          { killSwitch: ksA, alertSink: { alert: (x) => void alertsA.push(x) } },
        );
        const b = new RiskMonitor(
          {},
          { killSwitch: ksB, alertSink: { alert: (x) => void alertsB.push(x) } },
        );
        let day = 0;
        for (const s of snapshots) {
          day += s.day;
          const asOf = `2024-03-${String(4 + day).padStart(2, '0')}T20:00:00.000Z`;
          const acc: Account = {
            accountId: 'x',
            cashUsd: 0,
            equityUsd: s.portfolioValueUsd,
            portfolioValueUsd: s.portfolioValueUsd,
            buyingPowerUsd: 0,
            grossExposureUsd: s.grossExposureUsd,
            ...(s.venueDailyPnl !== undefined ? { dailyPnlUsd: s.venueDailyPnl } : {}),
            ...(s.lastEquity !== undefined ? { lastEquityUsd: s.lastEquity } : {}),
          };
          const full = a.check(acc, undefined, { asOf });
          const fast = b.checkSnapshot(
            {
              portfolioValueUsd: s.portfolioValueUsd,
              equityUsd: s.portfolioValueUsd,
              grossExposureUsd: s.grossExposureUsd,
              dailyPnlUsd: s.venueDailyPnl ?? Number.NaN,
              lastEquityUsd: s.lastEquity ?? Number.NaN,
            },
            asOf,
          );
          if (full.ok) expect(fast).toBeUndefined();
          else expect(fast).toEqual(full);
          expect(b.toJSON()).toEqual(a.toJSON());
          expect(ksB.toJSON()).toEqual(ksA.toJSON());
        }
        expect(alertsB).toEqual(alertsA);
      }),
    );
  });

  it('refuses non-finite figures with a ValidationError', () => {
    const m = new RiskMonitor();
    const ok = {
      portfolioValueUsd: 1e6,
      equityUsd: 1e6,
      grossExposureUsd: 0,
      dailyPnlUsd: Number.NaN,
      lastEquityUsd: Number.NaN,
    };
    expect(() => m.checkSnapshot({ ...ok, equityUsd: Number.NaN }, DAY1)).toThrow(ValidationError);
    expect(() => m.checkSnapshot({ ...ok, grossExposureUsd: Infinity }, DAY1)).toThrow(
      ValidationError,
    );
    expect(() => m.checkSnapshot({ ...ok, dailyPnlUsd: -Infinity }, DAY1)).toThrow(ValidationError);
    expect(m.checkSnapshot(ok, DAY1)).toBeUndefined();
  });
});
