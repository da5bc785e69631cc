import fc from 'fast-check';
import { ConfigError, StateError, ValidationError } from '@quantpipe/core';
import { StatefulTailHedge } from './tail-hedge';
import type { TailHedgeState } from './tail-hedge';
import { expectSeriesClose, loadFixture, nanOf } from './testing/golden';
import type { GoldenRisk } from './testing/golden';

const golden = loadFixture<GoldenRisk>('golden-risk.json').tail_hedge;
const specConfig = {
  hedge_size: golden.config.hedge_size,
  cost_per_hedge: golden.config.cost_per_hedge,
  hedge_threshold: golden.config.activation_threshold,
};

describe('StatefulTailHedge against golden.json tail_hedge', () => {
  it('has the four reference cases', () => {
    expect(golden.cases.map((c) => c.name)).toEqual([
      'constructed_thresholds',
      'market_returns_shorter',
      'nan_market_return',
      'real_SYNA_2017-10-01_to_2019-06-30',
    ]);
    expect(golden.config.deactivation_threshold).toBe(-0.025);
  });

  for (const c of golden.cases) {
    it(`apply() matches ${c.name}: states exact, hedged returns within tolerance`, () => {
      const hedge = new StatefulTailHedge(specConfig);
      const returns = nanOf(c.returns);
      const market = nanOf(c.market_returns);
      const out = hedge.apply(returns, market, c.drawdowns);
      expect(out.states).toEqual(c.states);
      expectSeriesClose(out.hedgedReturns, c.hedged_returns, c.name);
      expect(hedge.state).toBe(c.states[c.states.length - 1]);
    });

    it(`step() one at a time matches ${c.name}`, () => {
      const hedge = new StatefulTailHedge(specConfig);
      const hedged: number[] = [];
      const states: TailHedgeState[] = [];
      c.drawdowns.forEach((dd, i) => {
        const mkt = i < c.market_returns.length ? (c.market_returns[i] ?? NaN) : undefined;
        const r = hedge.step(c.returns[i] ?? NaN, mkt, dd);
        hedged.push(r.hedgedReturn);
        states.push(r.state);
      });
      expect(states).toEqual(c.states);
      expectSeriesClose(hedged, c.hedged_returns, c.name);
    });

    it(`a restart from JSON half way through resumes ${c.name} exactly`, () => {
      const half = Math.floor(c.drawdowns.length / 2);
      const returns = nanOf(c.returns);
      const market = nanOf(c.market_returns);
      const whole = new StatefulTailHedge(specConfig).apply(returns, market, c.drawdowns);
      const first = new StatefulTailHedge(specConfig);
      const a = first.apply(
        returns.slice(0, half),
        market.slice(0, half),
        c.drawdowns.slice(0, half),
      );
      const restored = StatefulTailHedge.fromJSON(JSON.parse(JSON.stringify(first)));
      const b = restored.apply(returns.slice(half), market.slice(half), c.drawdowns.slice(half));
      expect([...a.states, ...b.states]).toEqual(whole.states);
      expect([...a.hedgedReturns, ...b.hedgedReturns]).toEqual(whole.hedgedReturns);
    });
  }

  it('constructed thresholds: -0.05 does not activate, -0.0500001 does; -0.025 does not deactivate, -0.0249 does', () => {
    const c = golden.cases[0] as GoldenRisk['tail_hedge']['cases'][number];
    const at = (dd: number): number => c.drawdowns.indexOf(dd);
    expect(c.states[at(-0.05)]).toBe('INACTIVE');
    expect(c.states[at(-0.0500001)]).toBe('ACTIVE');
    expect(c.states[at(-0.025)]).toBe('ACTIVE');
    expect(c.states[at(-0.0249)]).toBe('INACTIVE');
  });
});

describe('StatefulTailHedge behaviour', () => {
  it('applies hedge = r + 0.10 * max(0,-mkt)^1.5 * 3 - 0.0002 while ACTIVE (hand-computed)', () => {
    const h = new StatefulTailHedge();
    // dd -0.06 < -0.05 activates; mkt -0.04: 0.1 * 0.04^1.5 * 3 = 0.1 * 0.008 * 3 = 0.0024.
    const s = h.step(-0.01, -0.04, -0.06);
    expect(s.transition).toBe('activated');
    expect(s.hedgePnl).toBeCloseTo(0.0024, 15);
    expect(s.hedgedReturn).toBeCloseTo(-0.01 + 0.0024 - 0.0002, 15);
    expect(h.activationLevel).toBe(-0.06);
    // A rising market gives no payoff, only the cost.
    expect(h.step(0.02, 0.03, -0.04).hedgedReturn).toBeCloseTo(0.0198, 15);
    // NaN market return: only the cost (Python max(0, nan) == 0).
    expect(h.step(0.01, NaN, -0.04).hedgedReturn).toBeCloseTo(0.0098, 15);
    // Deactivates above -0.025; the input return passes unchanged; the level is kept (seed).
    const off = h.step(0.01, -0.05, -0.02);
    expect(off).toEqual({
      hedgedReturn: 0.01,
      state: 'INACTIVE',
      transition: 'deactivated',
      hedgePnl: 0,
      hedgeCost: 0,
    });
    expect(h.activationLevel).toBe(-0.06);
  });

  it('accepts camelCase config, rejects conflicting or out-of-range config with a ConfigError', () => {
    expect(new StatefulTailHedge({ hedgeSize: 0.2 }).config.hedgeSize).toBe(0.2);
    expect(() => new StatefulTailHedge({ hedgeSize: 0.2, hedge_size: 0.1 })).toThrow(ConfigError);
    expect(() => new StatefulTailHedge({ hedge_threshold: 0.05 })).toThrow(ConfigError);
    expect(() => new StatefulTailHedge({ cost_per_hedge: Number.NaN })).toThrow(/cost_per_hedge/);
    expect(() => new StatefulTailHedge({ hedge_threshold: -0.02 })).toThrow(
      /deactivation_threshold/,
    );
  });

  it('rejects bad input with a ValidationError naming it, and does not mutate inputs', () => {
    const h = new StatefulTailHedge();
    expect(() => h.apply([0.01, 0.02], [0, 0], [0])).toThrow(ValidationError);
    expect(() => h.step(0.01, 0, Number.NaN)).toThrow(/drawdown/);
    expect(() => h.step(Infinity, 0, -0.1)).toThrow(/returns/);
    expect(() => h.step(0.01, -Infinity, -0.1)).toThrow(/marketReturns/);
    const returns = [0.01, -0.02];
    const market = [-0.03, -0.01];
    const dds = [-0.06, -0.07];
    const copies = [returns, market, dds].map((a) => [...a]);
    new StatefulTailHedge().apply(returns, market, dds);
    expect([returns, market, dds]).toEqual(copies);
  });

  it('fromJSON rejects broken state with a StateError', () => {
    const good = new StatefulTailHedge().toJSON();
    expect(() => StatefulTailHedge.fromJSON(null)).toThrow(StateError);
    expect(() => StatefulTailHedge.fromJSON({ ...good, version: 2 })).toThrow(StateError);
    expect(() => StatefulTailHedge.fromJSON({ ...good, state: 'ON' })).toThrow(StateError);
    expect(() =>
      StatefulTailHedge.fromJSON({ ...good, state: 'ACTIVE', activationLevel: null }),
    ).toThrow(StateError);
    expect(() => StatefulTailHedge.fromJSON({ ...good, config: { hedgeSize: -1 } })).toThrow(
      StateError,
    );
  });

  it('property: JSON round-trip is the identity on the state and on every later step', () => {
    const step = fc.record({
      r: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      m: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      dd: fc.double({ min: -0.5, max: 0, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(step, { maxLength: 20 }),
        (before, after) => {
          const h = new StatefulTailHedge();
          for (const s of before) h.step(s.r, s.m, s.dd);
          const json = JSON.stringify(h);
          const restored = StatefulTailHedge.fromJSON(JSON.parse(json));
          expect(JSON.stringify(restored)).toBe(json);
          for (const s of after)
            expect(restored.step(s.r, s.m, s.dd)).toEqual(h.step(s.r, s.m, s.dd));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: the hedge never lowers a return by more than its cost, and never touches INACTIVE steps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -0.9, max: 0, noNaN: true }),
        (r, m, dd) => {
          const s = new StatefulTailHedge().step(r, m, dd);
          if (s.state === 'INACTIVE') expect(s.hedgedReturn).toBe(r);
          else expect(s.hedgedReturn).toBeGreaterThanOrEqual(r - 0.0002 - 1e-15);
        },
      ),
    );
  });

  it('hedge_size 0 never activates: no hedge and no cost', () => {
    const hedge = new StatefulTailHedge({ hedge_size: 0 });
    const r = hedge.apply([-0.01, -0.02, 0.01], [-0.03, -0.05, 0.02], [-0.06, -0.1, -0.2]);
    expect(r.states).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
    expect(r.hedgedReturns).toEqual([-0.01, -0.02, 0.01]);
    expect(hedge.step(-0.01, -0.05, -0.3)).toMatchObject({ hedgePnl: 0, hedgeCost: 0 });
  });
});
