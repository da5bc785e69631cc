import fc from 'fast-check';
import { silentLogger } from '@quantpipe/core';
import { clientOrderIdFor } from '../client-order-id';
import { BrokerCalls } from './broker-calls';
import { JournalWriter } from './journal-writer';
import { Reconciler, positionsMap } from './reconciler';
import { FakeBroker, RecordingJournal, StepClock, orderOf, positionOf } from './testing/fakes';

const NOW = Date.parse('2024-03-04T15:00:00Z');

function setup(runId = 'live') {
  const events: string[] = [];
  const broker = new FakeBroker(events);
  const journal = new RecordingJournal(events);
  const clock = new StepClock(NOW);
  const calls = new BrokerCalls(clock, 10, silentLogger);
  const reconciler = new Reconciler(broker, calls, new JournalWriter(journal, runId, clock), runId);
  return { events, broker, journal, reconciler };
}

const open = (clientOrderId: string, symbol: string, side: 'buy' | 'sell' = 'buy') =>
  orderOf({ clientOrderId, symbol, side, quantity: 10, status: 'new' });

describe('positionsMap', () => {
  it('keeps the non-zero positions in the broker’s order', () => {
    expect(
      positionsMap([positionOf('B', 5, 1), positionOf('A', 0, 1), positionOf('C', -3, 1)]),
    ).toEqual({ B: 5, C: -3 });
    expect(Object.keys(positionsMap([positionOf('Z', 1, 1), positionOf('A', 1, 1)]))).toEqual([
      'Z',
      'A',
    ]);
  });
});

describe('Reconciler', () => {
  it('cancels this run’s open orders, journals each, and keeps other orders’ symbols out', async () => {
    const { broker, journal, reconciler, events } = setup();
    const own = open(clientOrderIdFor('live', 3, 'AAA', 'adjust'), 'AAA');
    const foreign = open('manual-7', 'BBB', 'sell');
    const filled = orderOf({
      clientOrderId: clientOrderIdFor('live', 2, 'CCC', 'adjust'),
      symbol: 'CCC',
      side: 'buy',
      quantity: 10,
      status: 'filled',
      filledQuantity: 10,
    });
    for (const o of [own, foreign, filled]) broker.orders.set(o.clientOrderId, o);
    const others = await reconciler.sweepOpenOrders(4, 'open order of an earlier cycle');
    expect(others).toEqual([foreign]);
    expect(broker.canceled).toEqual([own.id]);
    expect([...reconciler.foreignOrderSymbols]).toEqual(['BBB']);
    expect(reconciler.openOrderIds).toEqual([own.clientOrderId, 'manual-7']);
    const entries = await journal.entries({ runId: 'live' });
    expect(entries).toEqual([
      {
        runId: 'live',
        cycle: 4,
        kind: 'order_update',
        timestamp: new Date(NOW).toISOString(),
        clientOrderId: own.clientOrderId,
        payload: { status: 'canceled', reason: 'open order of an earlier cycle', orderId: own.id },
        seq: 1,
      },
    ]);
    // The cancel goes before its journal entry.
    expect(events).toEqual([
      'broker listOpenOrders',
      `broker cancelOrder ${own.id}`,
      `journal order_update ${own.clientOrderId}`,
    ]);
  });

  it('keeps the interrupted cycle’s own orders open', async () => {
    const { broker, reconciler } = setup();
    const keep = open(clientOrderIdFor('live', 5, 'AAA', 'close'), 'AAA');
    const stale = open(clientOrderIdFor('live', 4, 'AAA', 'adjust'), 'AAA');
    for (const o of [keep, stale]) broker.orders.set(o.clientOrderId, o);
    await reconciler.sweepOpenOrders(5, 'stale', new Set([keep.clientOrderId]));
    expect(broker.canceled).toEqual([stale.id]);
    expect(reconciler.foreignOrderSymbols.size).toBe(0);
  });

  it('cancels exactly this run’s stale orders, whatever else is open', async () => {
    const runIds = fc.constantFrom('live', 'paper', 'live2', 'olive');
    const order = fc.record({
      run: fc.oneof(runIds, fc.constant('manual')),
      cycle: fc.integer({ min: 1, max: 9 }),
      symbol: fc.constantFrom('AAA', 'BBB', 'CCC'),
      leg: fc.constantFrom('adjust' as const, 'close' as const, 'open' as const),
      keep: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(order, { selector: (o) => JSON.stringify(o), maxLength: 12 }),
        async (list) => {
          const { broker, reconciler } = setup('live');
          const keep = new Set<string>();
          const ids = new Set<string>();
          const expectedCanceled: string[] = [];
          const expectedForeign = new Set<string>();
          for (const o of list) {
            const id =
              o.run === 'manual'
                ? `manual-${o.cycle}-${o.symbol}-${o.leg}`
                : clientOrderIdFor(o.run, o.cycle, o.symbol, o.leg);
            if (ids.has(id)) continue;
            ids.add(id);
            const placed = open(id, o.symbol);
            broker.orders.set(id, placed);
            if (o.run === 'live' && o.keep) keep.add(id);
            else if (o.run === 'live') expectedCanceled.push(placed.id);
            else expectedForeign.add(o.symbol);
          }
          const foreign = await reconciler.sweepOpenOrders(10, 'stale', keep);
          expect(broker.canceled).toEqual(expectedCanceled);
          expect(new Set(reconciler.foreignOrderSymbols)).toEqual(expectedForeign);
          expect(foreign.every((o) => !o.clientOrderId.startsWith('qp-live-'))).toBe(true);
        },
      ),
    );
  });

  it('compares the broker’s positions with the journal plus what the interrupted cycle filled', async () => {
    const { broker, journal, reconciler } = setup();
    broker.positions = [
      positionOf('AAA', 150, 10),
      positionOf('BBB', -20, 5),
      positionOf('ZZZ', 0, 1),
    ];
    const closeLeg = clientOrderIdFor('live', 6, 'BBB', 'close');
    const buyLeg = clientOrderIdFor('live', 6, 'AAA', 'adjust');
    broker.orders.set(
      buyLeg,
      orderOf({
        clientOrderId: buyLeg,
        symbol: 'AAA',
        side: 'buy',
        quantity: 60,
        status: 'filled',
        filledQuantity: 50,
      }),
    );
    broker.orders.set(
      closeLeg,
      orderOf({
        clientOrderId: closeLeg,
        symbol: 'BBB',
        side: 'sell',
        quantity: 30,
        status: 'partially_filled',
        filledQuantity: 10,
      }),
    );
    const found = await reconciler.reconcile(5, { AAA: 100, BBB: -10 }, [
      { clientOrderId: buyLeg, symbol: 'AAA' },
      { clientOrderId: closeLeg, symbol: 'BBB' },
      { clientOrderId: clientOrderIdFor('live', 6, 'CCC', 'adjust'), symbol: 'CCC' }, // never sent
    ]);
    // AAA 100 + 50 = 150 and BBB −10 − 10 = −20: as the broker holds.
    expect(found).toEqual({ positions: { AAA: 150, BBB: -20 }, mismatches: [] });
    expect(broker.canceled).toEqual([]); // the interrupted cycle's open close leg is kept
    const [entry] = await journal.entries({ runId: 'live', kinds: ['reconciliation'] });
    expect(entry?.cycle).toBe(5);
    expect(entry?.payload).toEqual({
      positions: { AAA: 150, BBB: -20 },
      openOrders: [closeLeg],
      mismatches: [],
    });
  });

  it('lists every difference: positions either side expects, and orders not in the journal', async () => {
    const { broker, reconciler } = setup();
    broker.positions = [positionOf('AAA', 90, 10), positionOf('NEW', 5, 10)];
    const foreign = open('manual-1', 'CCC', 'sell');
    broker.orders.set(foreign.clientOrderId, foreign);
    const found = await reconciler.reconcile(2, { AAA: 100, OLD: -4 }, []);
    expect(found.positions).toEqual({ AAA: 90, NEW: 5 });
    expect(found.mismatches).toEqual([
      'open order manual-1 (sell 10 CCC) is not in the journal',
      'AAA: journal expects 100 shares, broker holds 90',
      'OLD: journal expects -4 shares, broker holds 0',
      'NEW: journal expects 0 shares, broker holds 5',
    ]);
    expect([...reconciler.foreignOrderSymbols]).toEqual(['CCC']);
  });

  it('a fresh run (nothing expected) only sweeps and reports the broker’s view', async () => {
    const { broker, reconciler } = setup();
    broker.positions = [positionOf('AAA', 7, 10)];
    const found = await reconciler.reconcile(0, null, []);
    expect(found).toEqual({ positions: { AAA: 7 }, mismatches: [] });
  });
});
