import { MemoryJournal, SKIP_MARKET_CLOSED_FLIP } from '@quantpipe/execution';
import { SYMBOLS, setup as engineSetup } from './testing/engine-harness';
import { createSimMarket } from './testing/sim-market';

/** The engine harness, journaling as run `outcomes`. */
const setup = (weights: Record<string, number>, options: Parameters<typeof engineSetup>[1] = {}) =>
  engineSetup(weights, { runId: 'outcomes', ...options });

describe('TradingEngine cycle outcomes', () => {
  it('a cycle that sends no order is idle, with the reason, not traded', async () => {
    const { engine } = setup({ SYNA: 0.3, SYNB: 0.2, SYNC: 0.1 });
    expect((await engine.runCycle()).status).toBe('traded');
    // Same session, same targets: nothing to do.
    const again = await engine.runCycle();
    expect(again.orders).toEqual([]);
    expect(again.status).toBe('idle');
    expect(again.reason).toBe('no orders: every position is at its target');
  });

  it('market closed: adding legs are queued GTC, a flip opens later with a journaled reason; the dry run says the same', async () => {
    const closedSim = createSimMarket({ broker: { isMarketOpen: () => false } });
    // A fresh book with the market closed: every leg adds exposure.
    const fresh = setup({ SYNA: 0.3, SYNB: 0.1 }, { sim: closedSim });
    const queued = await fresh.engine.runCycle();
    expect(queued.status).toBe('traded');
    expect(queued.plannedOrders.map((o) => o.timeInForce)).toEqual(['gtc', 'gtc']);
    expect(queued.orders.map((o) => [o.symbol, o.status])).toEqual([
      ['SYNA', 'new'],
      ['SYNB', 'new'],
    ]);
    expect(queued.skippedOrders).toEqual([]);
    closedSim.broker.fillOpenOrders();

    // A flip with the market closed: the close is queued, the open waits with a reason.
    closedSim.goTo(closedSim.session() + 1);
    const flip = setup({ SYNA: -0.3, SYNB: 0.1 }, { sim: closedSim, runId: 'flip' });
    const flipDry = setup(
      { SYNA: -0.3, SYNB: 0.1 },
      { sim: closedSim, runId: 'flip', config: { dry_run: true } },
    );
    const dry = await flipDry.engine.runCycle();
    const real = await flip.engine.runCycle();
    const openLeg = 'qp-flip-1-SYNA-open';
    expect(real.skippedOrders).toEqual([
      { clientOrderId: openLeg, symbol: 'SYNA', reason: SKIP_MARKET_CLOSED_FLIP },
    ]);
    expect(dry.skippedOrders).toEqual(real.skippedOrders);
    expect(real.orders.map((o) => o.clientOrderId)).toContain('qp-flip-1-SYNA-close');
    const [skippedEntry] = await flip.journal.entries({
      runId: 'flip',
      kinds: ['order_update'],
      clientOrderId: openLeg,
    });
    expect(skippedEntry?.payload).toEqual({ status: 'skipped', reason: SKIP_MARKET_CLOSED_FLIP });
  });

  it('raises a POSITION MISMATCH alert naming symbol, expected and actual shares after a cycle', async () => {
    const { engine, broker, alerts } = setup({ SYNA: 0.3, SYNB: 0.2, SYNC: 0.1 });
    const first = await engine.runCycle();
    expect(alerts.alerts.map((a) => a.title)).not.toContain('POSITION MISMATCH');
    const held = first.fills.find((f) => f.symbol === 'SYNA')?.quantity ?? 0;
    expect(held).toBeGreaterThan(0);
    // The venue lists one more lot of SYNA than it holds: the engine sells it, and the
    // position the venue then reports is not the one it expects.
    broker.tamper = (ps) =>
      ps.map((p) => (p.symbol === 'SYNA' ? { ...p, quantity: 2 * p.quantity } : p));
    await engine.runCycle();
    const alert = alerts.alerts.find((a) => a.title === 'POSITION MISMATCH');
    expect(alert?.level).toBe('CRITICAL');
    expect(alert?.context).toEqual({
      cycle: 2,
      mismatches: [{ symbol: 'SYNA', expectedShares: held, actualShares: 0 }],
    });
    expect(alert?.message).toContain('SYNA expected');
  });

  it('a risk trip mid-cycle never overwrites a manual kill stored meanwhile; only resume releases it', async () => {
    let crash = false;
    const sim = createSimMarket({
      quoteOverride: (_s, q) => (crash ? { ...q, priceUsd: q.priceUsd * 0.5 } : q),
    });
    const journal = new MemoryJournal();
    const { engine, broker } = setup({ SYNA: 0.9, SYNB: 0.9, SYNC: 0.9 }, { sim, journal });
    await engine.start();
    broker.beforeSubmit = async (n) => {
      if (n !== 1) return;
      // The operator kills the run from another process (as `trader kill` does)...
      await journal.saveState('outcomes', 'kill_switch', {
        version: 1,
        tripped: true,
        reason: 'operator kill',
        trippedAt: sim.clock.nowIso(),
        source: 'manual',
      });
      // ...and the account loses half its value: the re-check trips the switch.
      crash = true;
      const prices: Record<string, number> = {};
      for (const s of SYMBOLS) prices[s] = sim.bar(s, sim.session()).close * 0.5;
      sim.broker.markToMarket(prices, sim.clock.nowIso());
    };
    const report = await engine.runCycle();
    expect(report.status).toBe('halted');
    expect(await journal.loadState('outcomes', 'kill_switch')).toMatchObject({
      tripped: true,
      reason: 'operator kill',
      source: 'manual',
    });
    // Sessions later the switch is still tripped: a manual kill never auto-releases.
    broker.beforeSubmit = undefined;
    sim.goTo(sim.session() + 2);
    expect((await engine.runCycle()).status).toBe('halted');
    await engine.resume();
    expect(engine.halted).toBe(false);
  });

  it('after a restart, a plan older than max_plan_age_minutes is dropped with an alert, not sent', async () => {
    const sim = createSimMarket();
    const journal = new MemoryJournal();
    const weights = { SYNA: 0.5, SYNB: -0.3, SYNC: 0.2 };
    const a = setup(weights, { sim, journal });
    a.broker.beforeSubmit = async (n) => {
      if (n === 1) throw new Error('process killed');
    };
    await expect(a.engine.runCycle()).rejects.toThrow('process killed');
    expect(a.broker.submitted).toHaveLength(1);
    // The restart comes a session later.
    sim.goTo(sim.session() + 1);
    const b = setup(weights, { sim, journal, config: { max_plan_age_minutes: 120 } });
    const start = await b.engine.start();
    expect(start.resumedCycle).toBeNull();
    expect(b.broker.submitted).toEqual([]);
    const alert = b.alerts.alerts.find((x) => x.title === 'STALE PLAN DROPPED');
    expect(alert?.level).toBe('CRITICAL');
    expect(alert?.context).toMatchObject({ cycle: 1, maxMinutes: 120, legs: 3 });
    const completed = await journal.entries({ runId: 'outcomes', kinds: ['cycle_completed'] });
    expect(completed.map((e) => [e.cycle, (e.payload as { status: string }).status])).toEqual([
      [1, 'skipped'],
    ]);
    // A restart within the age finishes the plan as before.
    const sim2 = createSimMarket();
    const journal2 = new MemoryJournal();
    const c = setup(weights, { sim: sim2, journal: journal2 });
    c.broker.beforeSubmit = async (n) => {
      if (n === 1) throw new Error('process killed');
    };
    await expect(c.engine.runCycle()).rejects.toThrow('process killed');
    const d = setup(weights, { sim: sim2, journal: journal2 });
    expect((await d.engine.start()).resumedCycle).toBe(1);
    expect(d.broker.submitted).toHaveLength(2);
  });
});
