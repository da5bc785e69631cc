import type { Account, Bar, Strategy, StrategyDecision, StrategyOutput } from '@quantpipe/core';
import { marketStatsFromBars, preTradeCostReport } from '@quantpipe/risk';
import { DecisionCore } from '../core/decision-core';
import { resolveEngineConfig, type EngineConfigInput } from '../engine-config';
import { UniverseBars } from '../universe-bars';
import { BrokerCalls } from './broker-calls';
import { emptyReport } from './cycle-reports';
import { JournalWriter } from './journal-writer';
import { planLiveCycle, type LiveCycleContext, type PlannedCycle } from './live-cycle';
import { Reconciler } from './reconciler';
import { RISK_ACKNOWLEDGEMENT_STATE_KEY, StateStore } from './state-store';
import {
  FakeBroker,
  HandMarketData,
  ListLogger,
  RecordingJournal,
  StepClock,
  dailyBars,
  orderOf,
  positionOf,
  weekdaysEndingAt,
} from './testing/fakes';

/** Friday 2024-03-01, 16:30 in New York: that day's bar is complete. */
const DECISION = '2024-03-01T21:30:00.000Z';
const DATES = weekdaysEndingAt('2024-03-01', 30);
const BARS: Record<string, Bar[]> = {
  AAA: dailyBars(
    'AAA',
    DATES,
    DATES.map((_, i) => 50 + 0.1 * i),
  ),
  BBB: dailyBars(
    'BBB',
    DATES,
    DATES.map((_, i) => 20 + 0.05 * (i % 3)),
    500_000,
  ),
  SPY: dailyBars(
    'SPY',
    DATES,
    DATES.map((_, i) => 400 + i),
  ),
  NEW: dailyBars('NEW', DATES.slice(-2), [10, 11]),
};
const lastClose = (symbol: string) => (BARS[symbol]?.[DATES.length - 1] as Bar).close;

const decision = (symbol: string, targetShares?: number): StrategyDecision => ({
  symbol,
  composite: 0.3,
  confidence: 1,
  signals: { Momentum: 0.3 },
  ...(targetShares === undefined ? {} : { targetShares }),
});

/** A strategy that wants fixed share counts (or sized composites). */
function fixed(decisions: StrategyDecision[], notes?: string[]): Strategy {
  const output: StrategyOutput = {
    decisions,
    weights: { Momentum: 1 },
    health: { Momentum: 0.9 },
    ic: { Momentum: 0.05 },
    hybrid: false,
    ...(notes ? { notes } : {}),
  };
  return { name: 'fixed', decide: () => output };
}

function setup(
  options: {
    config?: Partial<EngineConfigInput>;
    strategy?: Strategy;
    daily?: Record<string, readonly Bar[]>;
    now?: string;
  } = {},
) {
  const config = resolveEngineConfig({
    symbols: ['AAA', 'BBB'],
    benchmark_symbol: 'SPY',
    use_hourly: false,
    ...options.config,
  });
  const events: string[] = [];
  const broker = new FakeBroker(events);
  const journal = new RecordingJournal(events);
  const clock = new StepClock(Date.parse(options.now ?? DECISION));
  const logger = new ListLogger();
  const writer = new JournalWriter(journal, 'live', clock);
  const calls = new BrokerCalls(clock, 10, logger);
  const core = new DecisionCore(config, { logger, now: () => clock.now() });
  const alerts: { level: string; title: string; message: string }[] = [];
  const ctx: LiveCycleContext = {
    config,
    runId: 'live',
    broker,
    strategy: options.strategy ?? fixed([decision('AAA', 100), decision('BBB', -50)]),
    core,
    bars: new UniverseBars(new HandMarketData(options.daily ?? BARS), config, logger),
    journal: writer,
    store: new StateStore(journal, 'live'),
    calls,
    reconciler: new Reconciler(broker, calls, writer, 'live'),
    logger,
    raise: async (level, title, message) => {
      events.push(`alert ${title}`);
      alerts.push({ level, title, message });
    },
    saveState: async () => void events.push('saveState'),
    notes: { last: '' },
  };
  let cycle = 0;
  const plan = (): Promise<PlannedCycle> => {
    cycle++;
    core.figures.clear(); // as the driver does before each cycle
    return planLiveCycle(
      ctx,
      cycle,
      clock.now(),
      emptyReport('live', cycle, clock.ms ? new Date(clock.ms).toISOString() : ''),
    );
  };
  const decisions = async () =>
    (await journal.entries({ runId: 'live', kinds: ['decision'] })).map((e) => e.payload);
  return { ctx, config, events, broker, journal, clock, logger, core, alerts, plan, decisions };
}

const account = (over: Partial<Account>): Account => ({
  cashUsd: 100_000,
  equityUsd: 100_000,
  buyingPowerUsd: 400_000,
  portfolioValueUsd: 100_000,
  ...over,
});

const leg = (
  symbol: string,
  legName: 'adjust' | 'close' | 'open',
  side: 'buy' | 'sell',
  quantity: number,
  increasesExposure: boolean,
  timeInForce: 'day' | 'gtc' = 'day',
  cycle = 1,
) => ({
  clientOrderId: `qp-live-${cycle}-${symbol}-${legName}`,
  symbol,
  leg: legName,
  side,
  quantity,
  timeInForce,
  increasesExposure,
});

describe('planLiveCycle', () => {
  it('plans a traded cycle and journals its decision, with its legs, before any order', async () => {
    const s = setup();
    s.broker.positions = [positionOf('AAA', 40, 50)];
    const planned = await s.plan();
    expect(planned.kind).toBe('planned');
    if (planned.kind !== 'planned') return;
    const legs = [leg('AAA', 'adjust', 'buy', 60, true), leg('BBB', 'adjust', 'sell', 50, true)];
    expect(planned.legs).toEqual(legs);
    expect(planned.status).toBe('traded');
    expect(planned.reason).toBeUndefined();
    const stats = (symbol: string) =>
      marketStatsFromBars(BARS[symbol] as Bar[], { windowBars: 20 });
    const cost = preTradeCostReport(
      { AAA: 100, BBB: -50 },
      { AAA: 40 },
      { AAA: stats('AAA'), BBB: stats('BBB') },
    ).totalCostUsd;
    expect(await s.decisions()).toEqual([
      {
        status: 'traded',
        targets: { AAA: 100, BBB: -50 },
        scaleFactor: null,
        estimatedCostUsd: cost,
        liquidation: false,
        legs,
        wouldSend: [],
      },
    ]);
    expect(s.events).toEqual([
      'broker getClock',
      'broker listOpenOrders',
      'broker getAccount',
      'broker getPositions',
      'journal risk_verdict',
      'saveState',
      'journal decision',
    ]);
    const report = planned.report;
    expect(report.status).toBe('traded');
    expect(report.plannedOrders).toEqual(legs);
    expect(report.estimatedCostUsd).toBe(cost);
    expect(report.buyingPowerScale).toBeNull();
    expect(report.equityUsd).toBe(100_000);
    expect(report.weights).toEqual({ Momentum: 1 });
    expect(report.riskVerdict?.ok).toBe(true);
    expect(report.hedge).toMatchObject({ state: 'INACTIVE', stepped: true });
    expect(report.decisions).toEqual([
      {
        symbol: 'AAA',
        composite: 0.3,
        confidence: 1,
        signals: { Momentum: 0.3 },
        targetShares: 100,
        currentShares: 40,
        priceUsd: lastClose('AAA'),
      },
      {
        symbol: 'BBB',
        composite: 0.3,
        confidence: 1,
        signals: { Momentum: 0.3 },
        targetShares: -50,
        currentShares: 0,
        priceUsd: lastClose('BBB'),
      },
    ]);
    expect(s.alerts).toEqual([]);
  });

  it('does not trade on stale or missing bars: a CRITICAL alert, no broker call', async () => {
    const stale = setup({ now: '2024-03-08T21:30:00.000Z' });
    const planned = await stale.plan();
    expect(planned).toMatchObject({
      kind: 'finished',
      status: 'skipped',
      reason: 'stale market data: AAA: last bar 2024-03-01; BBB: last bar 2024-03-01',
    });
    expect(stale.alerts).toEqual([
      {
        level: 'CRITICAL',
        title: 'STALE MARKET DATA',
        message: 'no trading on stale data (AAA: last bar 2024-03-01; BBB: last bar 2024-03-01)',
      },
    ]);
    expect(stale.events).toEqual(['alert STALE MARKET DATA']);

    const missing = setup({ daily: { ...BARS, BBB: [] } });
    const none = await missing.plan();
    expect(none).toMatchObject({ kind: 'finished', reason: 'stale market data: BBB: no bars' });
    expect(await missing.decisions()).toEqual([]);
  });

  it('while halted journals what it wanted and sends nothing', async () => {
    const s = setup();
    s.core.gate.kill('operator');
    const planned = await s.plan();
    expect(planned).toMatchObject({
      kind: 'finished',
      status: 'halted',
      reason: 'kill switch tripped: operator',
    });
    expect(await s.decisions()).toEqual([
      { status: 'halted', targets: { AAA: 100, BBB: -50 }, legs: [] },
    ]);
    expect(planned.report.decisions.map((d) => d.targetShares)).toEqual([100, -50]);
    expect(planned.report.riskVerdict?.killSwitchTripped).toBe(true);
  });

  it('a drawdown breach flattens every position, one held outside the universe too', async () => {
    const s = setup();
    // The high-water mark was 120,000: at 90,000 the drawdown limit trips the switch and asks
    // for a flatten (the daily-loss breach alone would only halt).
    s.core.gate.checkCycle(
      account({ equityUsd: 120_000, portfolioValueUsd: 120_000 }),
      [],
      new Date(s.clock.now()).toISOString(),
    );
    s.broker.account = account({
      equityUsd: 90_000,
      portfolioValueUsd: 90_000,
      buyingPowerUsd: 0,
      dailyPnlUsd: -10_000,
    });
    s.broker.positions = [positionOf('AAA', 40, 50), positionOf('XTRA', 30, 10)];
    const planned = await s.plan();
    expect(planned.kind).toBe('planned');
    if (planned.kind !== 'planned') return;
    expect(s.core.gate.tripped).toBe(true);
    expect(planned.status).toBe('halted');
    expect(planned.reason).toBe(
      'kill switch tripped (MAX DRAWDOWN BREACHED: Drawdown: -25.00% (limit -15.00%)): flatten',
    );
    const legs = [
      leg('AAA', 'adjust', 'sell', 40, false),
      leg('XTRA', 'adjust', 'sell', 30, false),
    ];
    expect(planned.legs).toEqual(legs);
    expect(await s.decisions()).toEqual([
      {
        status: 'halted',
        targets: { AAA: 0, XTRA: 0 },
        scaleFactor: null,
        estimatedCostUsd: 0,
        liquidation: true,
        legs,
        wouldSend: [],
      },
    ]);
  });

  it('cancels this run’s stale orders and keeps symbols with other orders out of the plan', async () => {
    const s = setup();
    const stale = orderOf({
      clientOrderId: 'qp-live-0-AAA-adjust',
      symbol: 'AAA',
      side: 'buy',
      quantity: 5,
    });
    const manual = orderOf({ clientOrderId: 'manual-9', symbol: 'BBB', side: 'buy', quantity: 5 });
    s.broker.orders.set(stale.clientOrderId, stale);
    s.broker.orders.set(manual.clientOrderId, manual);
    const planned = await s.plan();
    expect(s.broker.canceled).toEqual([stale.id]);
    if (planned.kind !== 'planned') throw new Error('expected a plan');
    expect(planned.legs).toEqual([leg('AAA', 'adjust', 'buy', 100, true)]);
    expect((await s.decisions())[0]).toMatchObject({ targets: { AAA: 100 } });
    const [cancel] = await s.journal.entries({ runId: 'live', kinds: ['order_update'] });
    expect(cancel?.payload).toEqual({
      status: 'canceled',
      reason: 'open order of an earlier cycle',
      orderId: stale.id,
    });
  });

  it('dry run: the legs are what would be sent; with the market closed they are GTC', async () => {
    const dry = setup({ config: { dry_run: true } });
    const planned = await dry.plan();
    if (planned.kind !== 'planned') throw new Error('expected a plan');
    expect(planned.status).toBe('dry_run');
    const legs = [leg('AAA', 'adjust', 'buy', 100, true), leg('BBB', 'adjust', 'sell', 50, true)];
    expect(await dry.decisions()).toEqual([
      expect.objectContaining({ status: 'dry_run', legs: [], wouldSend: legs }),
    ]);
    const closed = setup();
    closed.broker.clock = { ...closed.broker.clock, isOpen: false };
    const gtc = await closed.plan();
    if (gtc.kind !== 'planned') throw new Error('expected a plan');
    expect(gtc.legs.map((l) => l.timeInForce)).toEqual(['gtc', 'gtc']);
  });

  it('a verdict that forbids new exposure keeps only the reducing legs, and says why', async () => {
    const s = setup();
    s.broker.positions = [positionOf('AAA', 7_000, 50)]; // leverage 3.5
    const planned = await s.plan();
    if (planned.kind !== 'planned') throw new Error('expected a plan');
    expect(planned.legs).toEqual([leg('AAA', 'adjust', 'sell', 6_900, false)]);
    expect(planned.reason).toBe('new exposure blocked: leverage');
    expect(s.logger.messages('warn')).toContain('risk verdict blocks new exposure');
  });

  it('writes the buying-power scaling into the decision lines', async () => {
    const s = setup({ strategy: fixed([decision('AAA', 100)]) });
    s.broker.account = account({ buyingPowerUsd: 1_000 });
    const planned = await s.plan();
    if (planned.kind !== 'planned') throw new Error('expected a plan');
    const factor = (1_000 / (100 * lastClose('AAA'))) * 0.95;
    const scaled = Math.trunc(100 * factor);
    expect(planned.report.buyingPowerScale).toBe(factor);
    expect(planned.report.decisions[0]?.targetShares).toBe(scaled);
    expect(planned.legs).toEqual([leg('AAA', 'adjust', 'buy', scaled, true)]);
    expect(s.logger.messages('warn')).toContain('insufficient buying power: scaling targets down');
  });

  it('leaves out a symbol with too little history, with a warning; sizes the others', async () => {
    const s = setup({
      config: { symbols: ['AAA', 'NEW'] },
      strategy: fixed([decision('AAA', 10), decision('NEW')]),
    });
    const planned = await s.plan();
    if (planned.kind !== 'planned') throw new Error('expected a plan');
    expect(s.alerts.map((a) => a.title)).toEqual(['INSUFFICIENT MARKET DATA']);
    expect(s.alerts[0]?.message).toMatch(/^not traded this cycle: NEW: /);
    expect(planned.report.decisions.map((d) => d.symbol)).toEqual(['AAA']);
    expect(planned.legs.map((l) => l.symbol)).toEqual(['AAA']);
  });

  it('applies a loss acknowledgement once, with an alert, before the risk check', async () => {
    const s = setup();
    await s.ctx.store.write(RISK_ACKNOWLEDGEMENT_STATE_KEY, {
      requestedAt: '2024-03-01T20:00:00.000Z',
    });
    await s.plan();
    expect(s.core.gate.lossesAcknowledgedAt).toBe('2024-03-01T20:00:00.000Z');
    expect(s.events.indexOf('alert LOSSES ACKNOWLEDGED')).toBeLessThan(
      s.events.indexOf('journal risk_verdict'),
    );
    await s.plan();
    expect(s.alerts.filter((a) => a.title === 'LOSSES ACKNOWLEDGED')).toHaveLength(1);
  });

  it('logs the strategy’s notes when they change, and persists the decay state of sized symbols', async () => {
    const s = setup({ strategy: fixed([decision('AAA'), decision('BBB', 5)], ['SPY missing']) });
    await s.plan();
    await s.plan();
    expect(s.logger.messages('info').filter((m) => m === 'strategy notes')).toHaveLength(1);
    // Both cycles fall in one session (2024-03-01, ordinal 13903): the kept position does not age.
    expect(await s.ctx.store.load('position_decay')).toEqual({
      symbols: ['AAA'],
      currentPosition: [0.3],
      positionAge: [0],
      lastExchangeSession: [13903],
    });
  });
});
