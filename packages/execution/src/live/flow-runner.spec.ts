import { OrderRejectedError, type Account } from '@quantpipe/core';
import type { LegPayload } from '../core/leg-payload';
import { OrderFlow, SKIP_MARKET_CLOSED_FLIP } from '../core/order-flow';
import { RiskGate } from '../core/risk-gate';
import { SymbolTable } from '../core/symbol-table';
import { BrokerCalls } from './broker-calls';
import { fillSnapshot, runFlowLive } from './flow-runner';
import { JournalWriter } from './journal-writer';
import { JournaledLegs } from './journaled-legs';
import { OrderSubmitter } from './order-submitter';
import {
  FakeBroker,
  ListLogger,
  RecordingJournal,
  StepClock,
  orderOf,
  positionOf,
} from './testing/fakes';

const NOW = Date.parse('2024-03-04T15:00:00Z');

const legOf = (
  symbol: string,
  leg: LegPayload['leg'],
  side: LegPayload['side'],
  quantity: number,
  increasesExposure: boolean,
  timeInForce: LegPayload['timeInForce'] = 'day',
): LegPayload => ({
  clientOrderId: `qp-live-4-${symbol}-${leg}`,
  symbol,
  leg,
  side,
  quantity,
  timeInForce,
  increasesExposure,
});

function setup() {
  const events: string[] = [];
  const broker = new FakeBroker(events);
  const journal = new RecordingJournal(events);
  const clock = new StepClock(NOW);
  const logger = new ListLogger(false);
  const calls = new BrokerCalls(clock, 10, logger);
  const writer = new JournalWriter(journal, 'live', clock);
  const submitter = new OrderSubmitter(
    broker,
    calls,
    writer,
    clock,
    logger,
    async (_level, title) => void events.push(`alert ${title}`),
    { fillTimeoutS: 5, pollIntervalMs: 1_000 },
  );
  const gate = new RiskGate(
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
    { now: () => clock.now() },
  );
  gate.checkCycle(broker.account, [], new Date(NOW).toISOString());
  const table = new SymbolTable(['AAA', 'BBB', 'CCC']);
  let saves = 0;
  const run = (legs: LegPayload[], options: { resume?: boolean; liquidation?: boolean } = {}) =>
    runFlowLive({
      flow: new OrderFlow(),
      gate,
      broker,
      calls,
      journal: writer,
      submitter,
      saveState: async () => {
        saves++;
        events.push('saveState');
      },
      symbolCapacity: table.capacity,
      cycle: 4,
      flowLegs: new JournaledLegs(legs, options.liquidation ?? false, table),
      legs,
      resume: options.resume ?? false,
    });
  return { events, broker, journal, gate, run, saves: () => saves };
}

const brokerAndJournal = (events: string[]) =>
  events.filter((e) => e.startsWith('broker') || e.startsWith('journal') || e === 'saveState');

describe('runFlowLive', () => {
  it('sends and awaits the reducing legs first, then re-checks a fresh account before each adding leg', async () => {
    const { events, run } = setup();
    const close = legOf('AAA', 'close', 'sell', 10, false);
    const open = legOf('AAA', 'open', 'sell', 5, true);
    const add = legOf('BBB', 'adjust', 'buy', 7, true);
    const done = await run([close, open, add]);
    expect(done.submitted).toEqual([close.clientOrderId, open.clientOrderId, add.clientOrderId]);
    expect(done.adopted).toEqual([]);
    expect(done.orders.map((o) => o.clientOrderId)).toEqual(done.submitted);
    expect(done.fills.map((f) => [f.symbol, f.quantity])).toEqual([
      ['AAA', 10],
      ['AAA', 5],
      ['BBB', 7],
    ]);
    expect(done.haltedMidCycle).toBe(false);
    expect(brokerAndJournal(events)).toEqual([
      `journal order_intent ${close.clientOrderId}`,
      `broker submitOrder ${close.clientOrderId}`,
      `journal order_sent ${close.clientOrderId}`,
      `journal order_update ${close.clientOrderId}`,
      `journal fill ${close.clientOrderId}`,
      'broker getAccount', // the account reports its gross exposure: no positions call
      `journal order_intent ${open.clientOrderId}`,
      `broker submitOrder ${open.clientOrderId}`,
      `journal order_sent ${open.clientOrderId}`,
      'broker getAccount',
      `journal order_intent ${add.clientOrderId}`,
      `broker submitOrder ${add.clientOrderId}`,
      `journal order_sent ${add.clientOrderId}`,
      `journal order_update ${open.clientOrderId}`,
      `journal fill ${open.clientOrderId}`,
      `journal order_update ${add.clientOrderId}`,
      `journal fill ${add.clientOrderId}`,
    ]);
  });

  it('re-checks on the positions when the account does not report its gross exposure', async () => {
    const { events, broker, run } = setup();
    const { grossExposureUsd: _gross, ...bare } = broker.account;
    broker.account = bare;
    broker.positions = [positionOf('AAA', 100, 10)];
    await run([legOf('BBB', 'adjust', 'buy', 7, true)]);
    expect(events.filter((e) => e.startsWith('broker get'))).toEqual([
      'broker getAccount',
      'broker getPositions',
    ]);
  });

  it('journals a re-check that blocks, persists the state, and skips the leg', async () => {
    const { events, broker, journal, run, saves } = setup();
    broker.account = { ...broker.account, grossExposureUsd: 400_000 }; // leverage 4
    const add = legOf('BBB', 'adjust', 'buy', 7, true);
    const done = await run([add]);
    expect(done.submitted).toEqual([]);
    expect(saves()).toBe(1);
    expect(brokerAndJournal(events)).toEqual([
      'broker getAccount',
      'journal risk_verdict',
      'saveState',
      `journal order_update ${add.clientOrderId}`,
    ]);
    const [update] = await journal.entries({ runId: 'live', kinds: ['order_update'] });
    expect(update?.payload).toEqual({
      status: 'skipped',
      reason: 'risk verdict blocks new exposure',
    });
    const [verdict] = await journal.entries({ runId: 'live', kinds: ['risk_verdict'] });
    expect((verdict?.payload as { breaches: { limit: string }[] }).breaches[0]?.limit).toBe(
      'leverage',
    );
  });

  it('a loss found by a re-check halts the rest of the cycle', async () => {
    const { broker, gate, run } = setup();
    broker.account = { ...broker.account, equityUsd: 80_000, portfolioValueUsd: 80_000 };
    const done = await run([
      legOf('BBB', 'adjust', 'buy', 7, true),
      legOf('CCC', 'adjust', 'buy', 3, true),
    ]);
    expect(done.submitted).toEqual([]);
    expect(done.haltedMidCycle).toBe(true);
    expect(gate.tripped).toBe(true);
  });

  it('a refused close keeps its open leg back; the cycle goes on', async () => {
    const { events, broker, journal, run } = setup();
    const close = legOf('AAA', 'close', 'sell', 10, false);
    const open = legOf('AAA', 'open', 'sell', 5, true);
    broker.failNext('submitOrder', new OrderRejectedError(close.clientOrderId, 'not shortable'));
    const done = await run([close, open]);
    expect(done.submitted).toEqual([]);
    expect(done.orders).toEqual([]);
    expect(events).toContain('alert ORDER REJECTED');
    const updates = await journal.entries({ runId: 'live', kinds: ['order_update'] });
    expect(updates.map((u) => [u.clientOrderId, u.payload])).toEqual([
      [
        close.clientOrderId,
        { status: 'rejected', reason: `order ${close.clientOrderId} rejected: not shortable` },
      ],
      [open.clientOrderId, { status: 'skipped', reason: 'close leg did not fill completely' }],
    ]);
  });

  it('GTC legs are not waited for: what filled is recorded; adding legs are queued, flips open later with a reason', async () => {
    const { events, broker, run } = setup();
    broker.onSubmit = (r) => orderOf({ ...r, status: 'new' });
    const reduce = legOf('AAA', 'adjust', 'sell', 10, false, 'gtc');
    const close = legOf('CCC', 'close', 'sell', 5, false, 'gtc');
    const open = legOf('CCC', 'open', 'buy', 3, true, 'gtc');
    const add = legOf('BBB', 'adjust', 'buy', 7, true, 'gtc');
    const done = await run([reduce, close, open, add]);
    expect(done.submitted).toEqual([reduce.clientOrderId, close.clientOrderId, add.clientOrderId]);
    expect(done.orders.map((o) => o.status)).toEqual(['new', 'new', 'new']);
    expect(done.fills).toEqual([]);
    expect(done.skipped).toEqual([
      { clientOrderId: open.clientOrderId, symbol: 'CCC', reason: SKIP_MARKET_CLOSED_FLIP },
    ]);
    expect(events.filter((e) => e.startsWith('broker submitOrder'))).toEqual([
      `broker submitOrder ${reduce.clientOrderId}`,
      `broker submitOrder ${close.clientOrderId}`,
      `broker submitOrder ${add.clientOrderId}`,
    ]);
    const partly = setup();
    partly.broker.onSubmit = (r) =>
      orderOf({ ...r, status: 'partially_filled', filledQuantity: 4, filledAvgPriceUsd: 9 });
    const gtc = await partly.run([reduce]);
    expect(gtc.fills.map((f) => [f.quantity, f.priceUsd])).toEqual([[4, 9]]);
  });

  it('when finishing an interrupted cycle adopts the orders the broker has and sends the rest', async () => {
    const { broker, run } = setup();
    const sent = legOf('AAA', 'adjust', 'sell', 10, false);
    const unsent = legOf('BBB', 'adjust', 'sell', 3, false);
    broker.orders.set(
      sent.clientOrderId,
      orderOf({ ...sent, status: 'filled', filledQuantity: 10, filledAvgPriceUsd: 10 }),
    );
    const done = await run([sent, unsent], { resume: true });
    expect(done.adopted).toEqual([sent.clientOrderId]);
    expect(done.submitted).toEqual([unsent.clientOrderId]);
    expect(broker.submitted.map((r) => r.clientOrderId)).toEqual([unsent.clientOrderId]);
    expect(done.orders.map((o) => o.clientOrderId)).toEqual([
      sent.clientOrderId,
      unsent.clientOrderId,
    ]);
  });
});

describe('fillSnapshot', () => {
  it('takes the account’s figures, and the gross exposure from positions when given', () => {
    const flow = new OrderFlow();
    const account: Account = {
      cashUsd: 1,
      equityUsd: 90_000,
      buyingPowerUsd: 1,
      portfolioValueUsd: 91_000,
      grossExposureUsd: 5,
      dailyPnlUsd: -1_000,
      lastEquityUsd: 91_000,
    };
    fillSnapshot(flow.snapshot, account, undefined);
    expect(flow.snapshot).toEqual({
      portfolioValueUsd: 91_000,
      equityUsd: 90_000,
      grossExposureUsd: 5,
      dailyPnlUsd: -1_000,
      lastEquityUsd: 91_000,
    });
    fillSnapshot(
      flow.snapshot,
      { cashUsd: 1, equityUsd: 2, buyingPowerUsd: 3, portfolioValueUsd: 4 },
      [positionOf('A', 10, 5), positionOf('B', -4, 25)],
    );
    expect(flow.snapshot.grossExposureUsd).toBe(150);
    expect(flow.snapshot.dailyPnlUsd).toBeNaN();
    expect(flow.snapshot.lastEquityUsd).toBeNaN();
  });
});
