import fc from 'fast-check';
import {
  FLOW_AWAIT,
  FLOW_DONE,
  FLOW_NEED_SNAPSHOT,
  FLOW_SEND,
  FLOW_SKIP,
  FLOW_VERDICT,
  OrderFlow,
  SKIP_CLOSE_NOT_FILLED,
  SKIP_KILL_SWITCH,
  SKIP_MARKET_CLOSED_FLIP,
  closedMarketSkip,
  SKIP_RISK_BLOCKS,
  type FlowLegs,
} from './order-flow';
import { LEG_ADJUST, LEG_CLOSE, LEG_OPEN } from './plan-orders-into';
import { RiskGate } from './risk-gate';

const AS_OF = '2024-03-01T21:00:00.000Z';

interface Leg {
  readonly symbol: number;
  readonly kind: number;
  readonly increases: boolean;
}

function legs(list: readonly Leg[], liquidation = false): FlowLegs {
  return {
    keptCount: list.length,
    liquidation,
    increasesAt: (k) => (list[k] as Leg).increases,
    kindAt: (k) => (list[k] as Leg).kind,
    legSymbol: (k) => (list[k] as Leg).symbol,
  };
}

const adjust = (symbol: number, increases: boolean): Leg => ({
  symbol,
  kind: LEG_ADJUST,
  increases,
});
const close = (symbol: number): Leg => ({ symbol, kind: LEG_CLOSE, increases: false });
const open = (symbol: number): Leg => ({ symbol, kind: LEG_OPEN, increases: true });

/** A risk gate with the default limits; its monitor has seen a 100 000 USD account. */
function gate(): RiskGate {
  const g = new RiskGate(
    {
      max_daily_loss: -0.05,
      max_drawdown: -0.15,
      max_leverage: 3,
      on_loss_breach: 'flatten',
      daily_loss_halt: 'session',
      kill_switch_reset: 'never',
      cooldown_sessions: 20,
      scale_in_sessions: 5,
      alert_repeats: 'episode',
    },
    { now: () => Date.parse(AS_OF) },
  );
  g.checkCycle(
    { cashUsd: 100_000, equityUsd: 100_000, buyingPowerUsd: 100_000, portfolioValueUsd: 100_000 },
    [],
    AS_OF,
  );
  return g;
}

/** What a re-check finds: an account within limits, over the leverage limit, or a loss. */
type Check = 'ok' | 'leverage' | 'loss';

function fill(flow: OrderFlow, check: Check): void {
  const equity = check === 'loss' ? 80_000 : 100_000;
  flow.snapshot.portfolioValueUsd = equity;
  flow.snapshot.equityUsd = equity;
  flow.snapshot.grossExposureUsd = check === 'leverage' ? 400_000 : 50_000;
  flow.snapshot.dailyPnlUsd = Number.NaN;
  flow.snapshot.lastEquityUsd = Number.NaN;
}

interface Outcomes {
  /** Per send: whether the venue takes the leg (else it refuses it). */
  readonly accepted: (leg: number) => boolean;
  /** Per await: whether the leg filled completely. */
  readonly filled: (leg: number) => boolean;
  /** Per re-check: what the fresh account shows. */
  readonly check: (n: number) => Check;
}

/** Pumps the flow as a driver does; returns the actions as `ACTION leg` lines. */
function pump(
  flow: OrderFlow,
  plan: FlowLegs,
  g: RiskGate,
  gtc: boolean,
  outcomes: Outcomes,
  log: string[] = [],
): string[] {
  flow.begin(plan, g, gtc, 8);
  let checks = 0;
  for (let step = 0; ; step++) {
    if (step > 10 * plan.keptCount + 10) throw new Error('the flow does not end');
    const action = flow.next();
    if (action === FLOW_DONE) return log;
    const k = flow.leg;
    if (action === FLOW_SEND) {
      const ok = outcomes.accepted(k);
      log.push(`${ok ? 'SEND' : 'REFUSED'} ${k}${g.tripped ? ' tripped' : ''}`);
      if (ok) flow.sent();
      else flow.refused();
    } else if (action === FLOW_AWAIT) {
      const filled = outcomes.filled(k);
      log.push(`AWAIT ${k} ${filled ? 'filled' : 'partial'}`);
      flow.final(filled);
    } else if (action === FLOW_SKIP) {
      log.push(`SKIP ${k} ${flow.skipReason}`);
    } else if (action === FLOW_NEED_SNAPSHOT) {
      log.push(`CHECK ${k}`);
      fill(flow, outcomes.check(checks++));
      flow.checkExposure(AS_OF);
    } else if (action === FLOW_VERDICT) {
      expect(g.lastVerdict).toBeDefined();
      log.push(`VERDICT ${(g.lastVerdict?.breaches ?? []).map((b) => b.limit).join('+')}`);
    } else throw new Error(`unknown action ${action}`);
  }
}

const allGood: Outcomes = { accepted: () => true, filled: () => true, check: () => 'ok' };

describe('OrderFlow', () => {
  it('sends every reducing leg, awaits them all, then each adding leg after a re-check', () => {
    const plan = legs([close(0), adjust(1, false), open(0), adjust(2, true)]);
    expect(pump(new OrderFlow(), plan, gate(), false, allGood)).toEqual([
      'SEND 0',
      'SEND 1',
      'AWAIT 0 filled',
      'AWAIT 1 filled',
      'CHECK 2',
      'SEND 2',
      'CHECK 3',
      'SEND 3',
      'AWAIT 2 filled',
      'AWAIT 3 filled',
    ]);
  });

  it('takes the legs in the plan’s order, whatever order the phases are listed in', () => {
    // Journaled legs of an interrupted cycle may interleave adding and reducing legs.
    const plan = legs([adjust(2, true), adjust(1, false), adjust(3, true), adjust(4, false)]);
    expect(pump(new OrderFlow(), plan, gate(), false, allGood)).toEqual([
      'SEND 1',
      'SEND 3',
      'AWAIT 1 filled',
      'AWAIT 3 filled',
      'CHECK 0',
      'SEND 0',
      'CHECK 2',
      'SEND 2',
      'AWAIT 0 filled',
      'AWAIT 2 filled',
    ]);
  });

  it('skips an opening leg whose close did not fill completely or was refused', () => {
    const plan = legs([close(0), close(1), open(0), open(1)]);
    const partial = pump(new OrderFlow(), plan, gate(), false, {
      ...allGood,
      filled: (k) => k !== 0,
    });
    expect(partial).toEqual([
      'SEND 0',
      'SEND 1',
      'AWAIT 0 partial',
      'AWAIT 1 filled',
      `SKIP 2 ${SKIP_CLOSE_NOT_FILLED}`,
      'CHECK 3',
      'SEND 3',
      'AWAIT 3 filled',
    ]);
    const refused = pump(new OrderFlow(), plan, gate(), false, {
      ...allGood,
      accepted: (k) => k !== 1,
    });
    expect(refused).toEqual([
      'SEND 0',
      'REFUSED 1',
      'AWAIT 0 filled',
      'CHECK 2',
      'SEND 2',
      `SKIP 3 ${SKIP_CLOSE_NOT_FILLED}`,
      'AWAIT 2 filled',
    ]);
  });

  it('journals a re-check that is not ok, and skips the leg it blocks', () => {
    const plan = legs([adjust(0, true), adjust(1, true)]);
    const g = gate();
    const log = pump(new OrderFlow(), plan, g, false, {
      ...allGood,
      check: (n) => (n === 0 ? 'leverage' : 'ok'),
    });
    expect(log).toEqual([
      'CHECK 0',
      'VERDICT leverage',
      `SKIP 0 ${SKIP_RISK_BLOCKS}`,
      'CHECK 1',
      'SEND 1',
      'AWAIT 1 filled',
    ]);
    expect(g.tripped).toBe(false);
  });

  it('a loss on a re-check trips the switch: that leg and every later adding leg are skipped', () => {
    const plan = legs([adjust(0, false), adjust(1, true), adjust(2, true)]);
    const g = gate();
    const flow = new OrderFlow();
    const log = pump(flow, plan, g, false, { ...allGood, check: () => 'loss' });
    expect(log).toEqual([
      'SEND 0',
      'AWAIT 0 filled',
      'CHECK 1',
      'VERDICT drawdown+daily_loss',
      `SKIP 1 ${SKIP_RISK_BLOCKS}`,
      `SKIP 2 ${SKIP_RISK_BLOCKS}`,
    ]);
    expect(g.tripped).toBe(true);
    expect(flow.haltedMidCycle).toBe(true);
  });

  it('while tripped sends nothing, unless the plan is the liquidation: then only its reducing legs', () => {
    const plan = [adjust(0, false), close(1), open(1), adjust(2, true)];
    const tripped = gate();
    tripped.kill('operator');
    const halted = new OrderFlow();
    expect(pump(halted, legs(plan), tripped, false, allGood)).toEqual([
      `SKIP 0 ${SKIP_KILL_SWITCH}`,
      `SKIP 1 ${SKIP_KILL_SWITCH}`,
      `SKIP 2 ${SKIP_CLOSE_NOT_FILLED}`,
      `SKIP 3 ${SKIP_RISK_BLOCKS}`,
    ]);
    expect(halted.haltedMidCycle).toBe(true);
    const liquidation = new OrderFlow();
    expect(pump(liquidation, legs(plan, true), tripped, false, allGood)).toEqual([
      'SEND 0 tripped',
      'SEND 1 tripped',
      'AWAIT 0 filled',
      'AWAIT 1 filled',
      `SKIP 2 ${SKIP_RISK_BLOCKS}`,
      `SKIP 3 ${SKIP_RISK_BLOCKS}`,
    ]);
    // A liquidation without a tripped switch still sends no adding leg, and is not a halt.
    const untripped = new OrderFlow();
    expect(pump(untripped, legs(plan, true), gate(), false, allGood)).toEqual([
      'SEND 0',
      'SEND 1',
      'AWAIT 0 filled',
      'AWAIT 1 filled',
      `SKIP 2 ${SKIP_RISK_BLOCKS}`,
      `SKIP 3 ${SKIP_RISK_BLOCKS}`,
    ]);
    expect(untripped.haltedMidCycle).toBe(false);
  });

  it('with the market closed (GTC) queues adding legs after their re-check; a flip opens later, with a reason', () => {
    const plan = legs([close(0), open(0), adjust(1, true), adjust(2, false)]);
    expect(pump(new OrderFlow(), plan, gate(), true, allGood)).toEqual([
      'SEND 0',
      'SEND 3',
      'AWAIT 0 filled',
      'AWAIT 3 filled',
      `SKIP 1 ${SKIP_MARKET_CLOSED_FLIP}`,
      'CHECK 2',
      'SEND 2',
      'AWAIT 2 filled',
    ]);
    expect(closedMarketSkip(plan, 1, true)).toBe(SKIP_MARKET_CLOSED_FLIP);
    expect(closedMarketSkip(plan, 1, false)).toBe('');
    expect(closedMarketSkip(plan, 2, true)).toBe('');
    expect(pump(new OrderFlow(), legs([]), gate(), false, allGood)).toEqual([]);
  });

  it('is reusable: begin starts a new flow over another plan', () => {
    const flow = new OrderFlow();
    const g = gate();
    pump(flow, legs([close(0), open(0)]), g, false, { ...allGood, filled: () => false });
    // The earlier cycle's unfilled close does not leak: this cycle's close filled.
    expect(pump(flow, legs([close(0), open(0)]), g, false, allGood)).toEqual([
      'SEND 0',
      'AWAIT 0 filled',
      'CHECK 1',
      'SEND 1',
      'AWAIT 1 filled',
    ]);
    const many = Array.from({ length: 12 }, (_, i) => adjust(i % 8, i % 2 === 0));
    const log = pump(flow, legs(many), g, false, allGood);
    expect(log.filter((l) => l.startsWith('SEND'))).toHaveLength(12);
    expect(log.filter((l) => l.startsWith('AWAIT'))).toHaveLength(12);
  });

  describe('invariants', () => {
    const leg: fc.Arbitrary<Leg> = fc.oneof(
      fc.record({
        symbol: fc.integer({ min: 0, max: 4 }),
        kind: fc.constant(LEG_ADJUST),
        increases: fc.boolean(),
      }),
      fc.integer({ min: 0, max: 4 }).map(close),
      fc.integer({ min: 0, max: 4 }).map(open),
    );
    const scenario = fc.record({
      legs: fc.array(leg, { maxLength: 10 }),
      liquidation: fc.boolean(),
      gtc: fc.boolean(),
      trippedAtStart: fc.boolean(),
      accepted: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      filled: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      checks: fc.array(fc.constantFrom<Check>('ok', 'ok', 'leverage', 'loss'), {
        minLength: 10,
        maxLength: 10,
      }),
    });

    it('holds the leg order, the close-before-open rule and the kill switch in every flow', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const g = gate();
          if (s.trippedAtStart) g.kill('operator');
          const plan = legs(s.legs, s.liquidation);
          const log = pump(new OrderFlow(), plan, g, s.gtc, {
            accepted: (k) => s.accepted[k] as boolean,
            filled: (k) => s.filled[k] as boolean,
            check: (n) => s.checks[n] as Check,
          });
          const sent = new Set<number>();
          const awaited = new Set<number>();
          const skipped = new Set<number>();
          const refused = new Set<number>();
          const closeFilled = new Map<number, boolean>();
          let checked = -1;
          for (const line of log) {
            const [action, index, ...rest] = line.split(' ');
            const k = Number(index);
            const l = s.legs[k] as Leg;
            if (action === 'SEND' || action === 'REFUSED') {
              // Never sent twice; never skipped and sent.
              expect(sent.has(k) || refused.has(k) || skipped.has(k)).toBe(false);
              if (l.increases) {
                // An adding leg: every reducing leg that went has been awaited, and it was
                // re-checked just before, never in a liquidation or while tripped.
                s.legs.forEach((o, j) => {
                  if (!o.increases && sent.has(j)) expect(awaited.has(j)).toBe(true);
                });
                expect(checked).toBe(k);
                expect(s.liquidation).toBe(false);
                expect(rest).not.toContain('tripped');
              }
              // An opening leg only after its symbol's close filled completely.
              if (l.kind === LEG_OPEN) expect(closeFilled.get(l.symbol)).toBe(true);
              // While tripped only the liquidation's reducing legs go.
              if (rest.includes('tripped')) {
                expect(s.liquidation).toBe(true);
                expect(l.increases).toBe(false);
              }
              if (action === 'SEND') sent.add(k);
              else {
                refused.add(k);
                if (l.kind === LEG_CLOSE) closeFilled.set(l.symbol, false);
              }
            } else if (action === 'AWAIT') {
              expect(sent.has(k)).toBe(true);
              expect(awaited.has(k)).toBe(false);
              awaited.add(k);
              if (l.kind === LEG_CLOSE) closeFilled.set(l.symbol, rest[0] === 'filled');
            } else if (action === 'SKIP') {
              expect(sent.has(k) || skipped.has(k)).toBe(false);
              skipped.add(k);
            } else if (action === 'CHECK') {
              expect(l.increases).toBe(true);
              checked = k;
            }
          }
          // Every sent leg is awaited once; every leg is accounted for (sent, refused or
          // skipped with a reason): none is silently dropped, with the market closed or not.
          expect([...awaited].sort()).toEqual([...sent].sort());
          s.legs.forEach((l, k) => {
            const done = sent.has(k) || refused.has(k) || skipped.has(k);
            expect(done).toBe(true);
            if (s.gtc && l.kind === LEG_OPEN) expect(skipped.has(k)).toBe(true);
          });
          if (s.trippedAtStart && !s.liquidation) expect(sent.size + refused.size).toBe(0);
        }),
      );
    });
  });
});
