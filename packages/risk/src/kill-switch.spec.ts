import fc from 'fast-check';
import { RiskBreachError, StateError } from '@quantpipe/core';
import type { Alert } from '@quantpipe/core';
import { KillSwitch } from './kill-switch';

describe('KillSwitch', () => {
  it('blocks every new order once tripped, keeps the first reason and time, until reset()', () => {
    const alerts: Alert[] = [];
    const ks = new KillSwitch({
      now: () => Date.UTC(2024, 2, 4, 15),
      alertSink: { alert: (a) => void alerts.push(a) },
    });
    expect(ks.allowsNewOrders()).toBe(true);
    expect(() => ks.assertAllowsOrders()).not.toThrow();
    expect(ks.trip('operator stop')).toBe(true);
    expect(ks.trip('second reason', { at: '2024-03-05T00:00:00Z' })).toBe(false);
    expect(ks.toJSON()).toEqual({
      version: 1,
      tripped: true,
      reason: 'operator stop',
      trippedAt: '2024-03-04T15:00:00.000Z',
      source: 'manual',
    });
    expect(ks.allowsNewOrders()).toBe(false);
    expect(() => ks.assertAllowsOrders()).toThrow(RiskBreachError);
    expect(() => ks.assertAllowsOrders()).toThrow(/operator stop/);
    expect(alerts).toEqual([
      expect.objectContaining({
        level: 'CRITICAL',
        title: 'KILL SWITCH TRIPPED',
        message: 'operator stop',
      }),
    ]);
    ks.reset();
    expect(ks.isTripped).toBe(false);
    expect(ks.reason).toBeNull();
    expect(ks.allowsNewOrders()).toBe(true);
  });

  it('needs a reason', () => {
    expect(() => new KillSwitch().trip('  ')).toThrow(StateError);
  });

  it('JSON state round-trips for both states, and broken state is a StateError', () => {
    const idle = new KillSwitch();
    expect(KillSwitch.fromJSON(JSON.parse(JSON.stringify(idle))).toJSON()).toEqual(idle.toJSON());
    expect(() =>
      KillSwitch.fromJSON({
        version: 1,
        tripped: true,
        reason: null,
        trippedAt: null,
        source: null,
      }),
    ).toThrow(StateError);
    expect(() =>
      KillSwitch.fromJSON({
        version: 1,
        tripped: false,
        reason: 'x',
        trippedAt: null,
        source: null,
      }),
    ).toThrow(StateError);
    expect(() => KillSwitch.fromJSON([])).toThrow(StateError);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
        fc.date({ noInvalidDate: true }),
        fc.boolean(),
        (reason, at, manual) => {
          const ks = new KillSwitch();
          ks.trip(reason, { at: at.toISOString(), source: manual ? 'manual' : 'risk_monitor' });
          const restored = KillSwitch.fromJSON(JSON.parse(JSON.stringify(ks)));
          expect(restored.toJSON()).toEqual(ks.toJSON());
          expect(restored.allowsNewOrders()).toBe(false);
        },
      ),
    );
  });
});
