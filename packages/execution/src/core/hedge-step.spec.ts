import { silentLogger } from '@quantpipe/core';
import { HedgeStep } from './hedge-step';

const config = { hedge_threshold: -0.05, hedge_size: 0.1, cost_per_hedge: 0.0002 };

describe('HedgeStep', () => {
  it('does not step without two benchmark sessions, a known drawdown or a new session', () => {
    const h = new HedgeStep(config, silentLogger);
    const idle = {
      state: 'INACTIVE',
      activationLevel: null,
      transition: null,
      hedgePnl: 0,
      hedgeCost: 0,
      stepped: false,
    };
    expect(h.step(100_000, -0.2, undefined, 95, 100)).toEqual(idle);
    expect(h.step(100_000, -0.2, '2024-03-01', 95, Number.NaN)).toEqual(idle);
    expect(h.step(100_000, Number.NaN, '2024-03-01', 95, 100)).toEqual(idle);
    expect(h.equityUsd).toBeNull();
    expect(h.session).toBeNull();
  });

  it('activates below hedge_threshold, books the synthetic P&L and cost, once per session', () => {
    const h = new HedgeStep(config, silentLogger);
    const first = h.step(100_000, -0.06, '2024-03-01', 95, 100);
    // market return 95/100 − 1 (−5 %): P&L = hedge_size × 0.05^1.5 × 3
    const marketReturn = 95 / 100 - 1;
    expect(first).toEqual({
      state: 'ACTIVE',
      activationLevel: -0.06,
      transition: 'activated',
      hedgePnl: 0.1 * (-marketReturn) ** 1.5 * 3,
      hedgeCost: 0.0002,
      stepped: true,
    });
    expect(h.equityUsd).toBe(100_000);
    expect(h.session).toBe('2024-03-01');
    // The same benchmark session again: reported as it is, not stepped.
    expect(h.step(90_000, -0.1, '2024-03-01', 95, 100)).toEqual({
      state: 'ACTIVE',
      activationLevel: -0.06,
      transition: null,
      hedgePnl: 0,
      hedgeCost: 0,
      stepped: false,
    });
    expect(h.equityUsd).toBe(100_000);
    // A rising market while active costs the hedge, no P&L.
    const second = h.step(101_000, -0.04, '2024-03-04', 96, 95);
    expect(second).toMatchObject({ state: 'ACTIVE', transition: null, hedgePnl: 0, stepped: true });
    expect(second.hedgeCost).toBe(0.0002);
    // Above the spec's -0.025 it switches off.
    const third = h.step(103_000, -0.01, '2024-03-05', 97, 96);
    expect(third).toEqual({
      state: 'INACTIVE',
      activationLevel: -0.06,
      transition: 'deactivated',
      hedgePnl: 0,
      hedgeCost: 0,
      stepped: true,
    });
    expect(h.equityUsd).toBe(103_000);
    expect(h.session).toBe('2024-03-05');
  });

  it('saves and restores its state; an unreadable state starts INACTIVE and says why', () => {
    const h = new HedgeStep(config, silentLogger);
    h.step(100_000, -0.08, '2024-03-01', 90, 100);
    const saved = JSON.parse(JSON.stringify(h.toJSON()));
    const restored = new HedgeStep(config, silentLogger);
    expect(restored.restore(saved)).toBeUndefined();
    expect(restored.toJSON()).toEqual(h.toJSON());
    expect(restored.step(1, -0.08, '2024-03-02', 90, 90)).toMatchObject({
      state: 'ACTIVE',
      activationLevel: -0.08,
      transition: null,
    });

    const fresh = new HedgeStep(config, silentLogger);
    expect(fresh.restore(undefined)).toBeUndefined();
    const problem = fresh.restore({ version: 99 });
    expect(typeof problem).toBe('string');
    expect(problem).not.toBe('');
    expect(fresh.toJSON().state).toBe('INACTIVE');
  });
});
