import { BrokerError, OrderRejectedError, type Fill } from '@quantpipe/core';
import type { LegPayload } from '../core/leg-payload';
import { BrokerCalls } from './broker-calls';
import { JournalWriter } from './journal-writer';
import { OrderSubmitter, finalUpdate } from './order-submitter';
import { FakeBroker, ListLogger, RecordingJournal, StepClock, orderOf } from './testing/fakes';

const START = Date.parse('2024-03-04T15:00:00Z');
const leg: LegPayload = {
  clientOrderId: 'qp-live-3-AAA-adjust',
  symbol: 'AAA',
  leg: 'adjust',
  side: 'buy',
  quantity: 100,
  timeInForce: 'day',
  increasesExposure: true,
};

function setup(infoEnabled = true) {
  const events: string[] = [];
  const broker = new FakeBroker(events);
  const journal = new RecordingJournal(events);
  const clock = new StepClock(START);
  const logger = new ListLogger(infoEnabled);
  const calls = new BrokerCalls(clock, 100, logger);
  const alerts: { level: string; title: string; message: string; context?: unknown }[] = [];
  const submitter = new OrderSubmitter(
    broker,
    calls,
    new JournalWriter(journal, 'live', clock),
    clock,
    logger,
    async (level, title, message, context) => {
      events.push(`alert ${title}`);
      alerts.push({ level, title, message, ...(context ? { context } : {}) });
    },
    { fillTimeoutS: 30, pollIntervalMs: 1_000 },
  );
  return { events, broker, journal, clock, logger, calls, alerts, submitter };
}

const openOrder = (over: Partial<ReturnType<typeof orderOf>> = {}) =>
  orderOf({ ...leg, status: 'new', ...over });

describe('OrderSubmitter.send', () => {
  it('journals the intent before the order is sent, and what the venue answered after', async () => {
    const { events, broker, journal, submitter, logger } = setup();
    const sent = await submitter.send(3, leg, false);
    expect(sent.adopted).toBe(false);
    expect(sent.order?.status).toBe('filled');
    expect(events).toEqual([
      `journal order_intent ${leg.clientOrderId}`,
      `broker submitOrder ${leg.clientOrderId}`,
      `journal order_sent ${leg.clientOrderId}`,
    ]);
    expect(broker.submitted).toEqual([
      {
        clientOrderId: leg.clientOrderId,
        symbol: 'AAA',
        side: 'buy',
        quantity: 100,
        type: 'market',
        timeInForce: 'day',
      },
    ]);
    const entries = await journal.entries({ runId: 'live' });
    expect(entries[0]?.payload).toEqual(leg);
    expect(entries[1]?.payload).toMatchObject({
      order: { clientOrderId: leg.clientOrderId, status: 'filled', filledQuantity: 100 },
    });
    expect(logger.messages('info')).toEqual(['order sent']);
    expect(logger.lines[0]?.obj).toEqual({
      cycle: 3,
      clientOrderId: leg.clientOrderId,
      symbol: 'AAA',
      side: 'buy',
      quantity: 100,
      status: 'filled',
    });
    const quiet = setup(false);
    await quiet.submitter.send(3, leg, false);
    expect(quiet.logger.lines).toEqual([]);
  });

  it('after a failed attempt looks the order up before sending again: never sent twice', async () => {
    const { events, broker, submitter, calls } = setup();
    // The first submission reaches the venue, but the answer is lost.
    const reached = broker.submitOrder.bind(broker);
    let first = true;
    broker.submitOrder = async (request) => {
      const order = await reached(request);
      if (first) {
        first = false;
        throw new BrokerError('timeout', 'no answer');
      }
      return order;
    };
    const sent = await submitter.send(3, leg, false);
    expect(sent.order?.status).toBe('filled');
    expect(broker.submitted).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('broker'))).toEqual([
      `broker submitOrder ${leg.clientOrderId}`,
      `broker getOrderByClientId ${leg.clientOrderId}`,
    ]);
    expect(calls.connectionTrouble).toBe(true);
  });

  it('sends again when the lookup shows the failed attempt never arrived', async () => {
    const { broker, submitter } = setup();
    broker.failNext('submitOrder', new BrokerError('connection', 'reset'));
    const sent = await submitter.send(3, leg, false);
    expect(sent.order?.status).toBe('filled');
    expect(broker.submitted).toHaveLength(1); // the first attempt failed before the venue
  });

  it('journals and alerts a refusal by the venue, and goes on without an order', async () => {
    for (const refusal of [
      new OrderRejectedError(leg.clientOrderId, 'insufficient buying power'),
      new BrokerError('insufficient_buying_power', 'need more'),
      new BrokerError('market_closed', 'closed'),
    ]) {
      const { events, broker, journal, submitter, alerts } = setup();
      broker.failNext('submitOrder', refusal);
      const sent = await submitter.send(3, leg, false);
      expect(sent).toEqual({ adopted: false });
      expect(broker.submitted).toEqual([]);
      const update = (await journal.entries({ runId: 'live', kinds: ['order_update'] }))[0];
      expect(update?.clientOrderId).toBe(leg.clientOrderId);
      expect(update?.payload).toEqual({ status: 'rejected', reason: refusal.message });
      expect(alerts).toEqual([
        {
          level: 'WARNING',
          title: 'ORDER REJECTED',
          message: `buy 100 AAA: ${refusal.message}`,
          context: { clientOrderId: leg.clientOrderId },
        },
      ]);
      expect(events.slice(-2)).toEqual([
        `journal order_update ${leg.clientOrderId}`,
        'alert ORDER REJECTED',
      ]);
    }
  });

  it('lets a failure that is not a refusal through (the order’s fate is unknown)', async () => {
    const { broker, journal, submitter } = setup();
    const auth = new BrokerError('auth', 'bad key');
    broker.failNext('submitOrder', auth);
    await expect(submitter.send(3, leg, false)).rejects.toBe(auth);
    const kinds = (await journal.entries({ runId: 'live' })).map((e) => e.kind);
    expect(kinds).toEqual(['order_intent']); // the intent stays: a restart looks the order up
  });

  it('on resume adopts an order the venue already has, and sends one it never got', async () => {
    const { broker, journal, submitter } = setup();
    const known = openOrder({ status: 'partially_filled', filledQuantity: 40 });
    broker.orders.set(leg.clientOrderId, known);
    const adopted = await submitter.send(3, leg, true);
    expect(adopted).toEqual({ order: known, adopted: true });
    expect(broker.submitted).toEqual([]);
    const entries = await journal.entries({ runId: 'live' });
    expect(entries.map((e) => e.kind)).toEqual(['order_sent']);
    expect(entries[0]?.payload).toMatchObject({ adopted: true, order: { filledQuantity: 40 } });

    const other = { ...leg, clientOrderId: 'qp-live-3-BBB-adjust', symbol: 'BBB' };
    const resent = await submitter.send(3, other, true);
    expect(resent.adopted).toBe(false);
    expect(broker.submitted.map((r) => r.clientOrderId)).toEqual([other.clientOrderId]);
  });
});

describe('OrderSubmitter.awaitFill', () => {
  it('a filled order is final: journals its update and its fill', async () => {
    const { journal, submitter, clock } = setup();
    const filled = openOrder({
      status: 'filled',
      filledQuantity: 100,
      filledAvgPriceUsd: 10.5,
      commissionUsd: 1,
      updatedAt: '2024-03-04T15:00:01.000Z',
    });
    const fills: Fill[] = [];
    const final = await submitter.awaitFill(3, leg, filled, fills);
    expect(final).toBe(filled);
    expect(clock.sleeps).toEqual([]);
    expect(fills).toEqual([
      {
        fillId: `${filled.id}:100`,
        orderId: filled.id,
        clientOrderId: leg.clientOrderId,
        symbol: 'AAA',
        side: 'buy',
        quantity: 100,
        priceUsd: 10.5,
        commissionUsd: 1,
        timestamp: '2024-03-04T15:00:01.000Z',
      },
    ]);
    const entries = await journal.entries({ runId: 'live' });
    expect(entries.map((e) => [e.kind, e.clientOrderId])).toEqual([
      ['order_update', leg.clientOrderId],
      ['fill', leg.clientOrderId],
    ]);
    expect(entries[0]?.payload).toEqual({
      status: 'filled',
      filledQuantity: 100,
      filledAvgPriceUsd: 10.5,
      orderId: filled.id,
    });
  });

  it('looks again at once, then polls on the clock until the order is final', async () => {
    const { broker, submitter, clock } = setup();
    const placed = openOrder();
    broker.lookups.set(leg.clientOrderId, [
      openOrder(),
      openOrder({ status: 'partially_filled', filledQuantity: 30 }),
      openOrder({ status: 'filled', filledQuantity: 100, filledAvgPriceUsd: 10 }),
    ]);
    const fills: Fill[] = [];
    const final = await submitter.awaitFill(3, leg, placed, fills);
    expect(final.status).toBe('filled');
    expect(clock.sleeps).toEqual([1_000, 1_000]);
    expect(fills.map((f) => f.quantity)).toEqual([100]);
  });

  it('after fill_timeout_s cancels the rest, alerts, and records the part that filled', async () => {
    const { broker, journal, submitter, clock, alerts, events } = setup();
    const partial = openOrder({
      status: 'partially_filled',
      filledQuantity: 30,
      filledAvgPriceUsd: 10,
    });
    broker.orders.set(leg.clientOrderId, partial);
    const fills: Fill[] = [];
    const final = await submitter.awaitFill(3, leg, openOrder(), fills);
    // 30 s at 1 s a poll.
    expect(clock.sleeps).toHaveLength(30);
    expect(clock.ms - START).toBe(30_000);
    expect(broker.canceled).toEqual([partial.id]);
    expect(final.status).toBe('canceled');
    expect(final.filledQuantity).toBe(30);
    expect(alerts).toEqual([
      {
        level: 'WARNING',
        title: 'FILL TIMEOUT',
        message: `${leg.clientOrderId}: 30/100 filled after 30s; rest canceled`,
        context: { clientOrderId: leg.clientOrderId },
      },
    ]);
    expect(events.slice(-4)).toEqual([
      `broker getOrderByClientId ${leg.clientOrderId}`,
      'alert FILL TIMEOUT',
      `journal order_update ${leg.clientOrderId}`,
      `journal fill ${leg.clientOrderId}`,
    ]);
    expect(fills.map((f) => [f.quantity, f.fillId])).toEqual([[30, `${partial.id}:30`]]);
    const update = (await journal.entries({ runId: 'live', kinds: ['order_update'] }))[0];
    expect(update?.payload).toEqual({
      status: 'canceled',
      filledQuantity: 30,
      filledAvgPriceUsd: 10,
      orderId: partial.id,
    });
  });

  it('journals no fill for an order that filled nothing', async () => {
    const { broker, journal, submitter } = setup();
    broker.lookups.set(leg.clientOrderId, [openOrder({ status: 'expired' })]);
    const fills: Fill[] = [];
    const final = await submitter.awaitFill(3, leg, openOrder(), fills);
    expect(final.status).toBe('expired');
    expect(fills).toEqual([]);
    const entries = await journal.entries({ runId: 'live' });
    expect(entries.map((e) => e.kind)).toEqual(['order_update']);
    expect(entries[0]?.payload).toEqual({
      status: 'expired',
      filledQuantity: 0,
      filledAvgPriceUsd: null,
      orderId: `v-${leg.clientOrderId}`,
    });
  });
});

describe('finalUpdate', () => {
  it('is the order’s final state as journaled (non-finite numbers null)', () => {
    expect(
      finalUpdate(
        orderOf({ ...leg, status: 'filled', filledQuantity: 5, filledAvgPriceUsd: Number.NaN }),
      ),
    ).toEqual({
      status: 'filled',
      filledQuantity: 5,
      filledAvgPriceUsd: null,
      orderId: `v-${leg.clientOrderId}`,
    });
  });
});
