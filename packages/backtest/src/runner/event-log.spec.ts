import fc from 'fast-check';
import type { JournalEntryInput, JsonObject, JsonValue, Order, OrderStatus } from '@quantpipe/core';
import {
  SimBroker,
  SimClock,
  clientOrderIdFor,
  fillFromOrder,
  fillJson,
  jsonNumber,
  orderJson,
  toJson,
  type OrderLeg,
} from '@quantpipe/execution';
import { EventLog } from './event-log';

const SYMBOLS = ['AAA', 'BBB', 'CCC'];
const LEGS: readonly OrderLeg[] = ['adjust', 'close', 'open'];

/**
 * The journal the live engine writes, built the way its parts build it: `JournalWriter` stamps
 * run, cycle, kind and instant; `OrderSubmitter` journals the leg as the intent, the venue's
 * order (`orderJson`), the final update and the fill (`fillJson(fillFromOrder(order))`).
 */
class LiveJournal {
  readonly entries: JournalEntryInput[] = [];
  now = '';
  constructor(private readonly runId: string) {}
  add(kind: JournalEntryInput['kind'], cycle: number, payload: JsonValue, clientOrderId?: string) {
    const base = { runId: this.runId, cycle, kind, timestamp: this.now };
    this.entries.push(
      clientOrderId === undefined ? { ...base, payload } : { ...base, clientOrderId, payload },
    );
  }
}

function finalUpdate(order: Order): JsonObject {
  return {
    status: order.status,
    filledQuantity: jsonNumber(order.filledQuantity),
    filledAvgPriceUsd:
      order.filledAvgPriceUsd === undefined ? null : jsonNumber(order.filledAvgPriceUsd),
    orderId: order.id,
  };
}

function legPayload(
  runId: string,
  cycle: number,
  symbol: number,
  kind: number,
  side: number,
  quantity: number,
  increases: boolean,
  gtc: boolean,
): JsonObject {
  return {
    clientOrderId: clientOrderIdFor(
      runId,
      cycle,
      SYMBOLS[symbol] as string,
      LEGS[kind] as OrderLeg,
    ),
    symbol: SYMBOLS[symbol] as string,
    leg: LEGS[kind] as string,
    side: side === 1 ? 'buy' : 'sell',
    quantity,
    timeInForce: gtc ? 'gtc' : 'day',
    increasesExposure: increases,
  };
}

describe('EventLog', () => {
  it('gives back a cycle as the live engine journals it, to the JSON text', async () => {
    const runId = 'parity';
    const log = new EventLog(runId, (i) => SYMBOLS[i] as string);
    const live = new LiveJournal(runId);
    // The venue the live engine would have sent the orders to.
    const clock = new SimClock('2024-03-01T21:00:00Z');
    const broker = new SimBroker({
      initialCashUsd: 100_000,
      clock,
      slippage: { kind: 'fixed', bps: 5 },
      commissionPerShareUsd: 0.005,
      minCommissionUsd: 1,
      quote: () => ({
        priceUsd: 50,
        timestamp: '2024-03-04T14:30:00Z',
        advShares: 1e6,
        volatility: 0.2,
      }),
    });

    live.now = '2024-03-01T21:00:00.000Z';
    log.at(live.now);
    const started = { lastCompletedCycle: 0, resumedCycle: null, mismatches: [] };
    log.object('run_started', 0, started);
    live.add('run_started', 0, toJson(started));
    const verdict = { ok: true, breaches: [], metrics: { drawdown: -0, leverage: Number.NaN } };
    log.object('risk_verdict', 1, verdict);
    live.add('risk_verdict', 1, toJson(verdict));

    // Decision: AAA flips (close 40, open 10), BBB is bought; scale factor NaN (none).
    const from = log.targetsMark;
    log.target(0, -10);
    log.target(1, 25);
    const rows = [
      log.leg(1, 0, 1, -1, 40, false, false),
      log.leg(1, 0, 2, -1, 10, true, false),
      log.leg(1, 1, 0, 1, 25, true, false),
    ];
    log.decision(1, 'traded', false, Number.NaN, 12.5, from, rows[0] as number, 3, false);
    const legs = [
      legPayload(runId, 1, 0, 1, -1, 40, false, false),
      legPayload(runId, 1, 0, 2, -1, 10, true, false),
      legPayload(runId, 1, 1, 0, 1, 25, true, false),
    ];
    live.add('decision', 1, {
      status: 'traded',
      targets: { AAA: -10, BBB: 25 },
      scaleFactor: null,
      estimatedCostUsd: 12.5,
      liquidation: false,
      legs,
      wouldSend: [],
    });

    // The close goes and fills; the open is skipped; BBB goes and fills.
    const sendAndFill = async (row: number, leg: JsonObject, venueNumber: number) => {
      log.intent(row);
      live.add('order_intent', 1, leg, leg['clientOrderId'] as string);
      const order = await broker.submitOrder({
        clientOrderId: leg['clientOrderId'] as string,
        symbol: leg['symbol'] as string,
        side: leg['side'] as 'buy' | 'sell',
        quantity: leg['quantity'] as number,
        type: 'market',
        timeInForce: 'day',
      });
      expect(order.id).toBe(`sim-${venueNumber}`);
      const at = log.order(
        row,
        venueNumber,
        order.status,
        order.filledQuantity,
        {
          priceUsd: order.filledAvgPriceUsd as number,
          commissionUsd: order.commissionUsd as number,
        },
        order.updatedAt,
      );
      log.sent(at);
      live.add('order_sent', 1, { order: orderJson(order) }, order.clientOrderId);
      return { at, order };
    };
    const close = await sendAndFill(rows[0] as number, legs[0] as JsonObject, 1);
    log.final(close.at);
    log.fill(close.at);
    live.add('order_update', 1, finalUpdate(close.order), close.order.clientOrderId);
    live.add('fill', 1, fillJson(fillFromOrder(close.order)), close.order.clientOrderId);
    log.skipped(rows[1] as number, 'close leg did not fill completely');
    live.add(
      'order_update',
      1,
      { status: 'skipped', reason: 'close leg did not fill completely' },
      legs[1]?.['clientOrderId'] as string,
    );
    const buy = await sendAndFill(rows[2] as number, legs[2] as JsonObject, 2);
    log.final(buy.at);
    log.fill(buy.at);
    live.add('order_update', 1, finalUpdate(buy.order), buy.order.clientOrderId);
    live.add('fill', 1, fillJson(fillFromOrder(buy.order)), buy.order.clientOrderId);
    const alert = {
      level: 'INFO',
      title: 'REBALANCE COMPLETED',
      message: 'cycle 1',
      timestamp: live.now,
      context: { cycle: 1 },
    };
    log.object('alert', 1, alert);
    live.add('alert', 1, toJson(alert));
    log.completed(1, 'traded', undefined, 99_987.25, 0.0125, 2);
    live.add('cycle_completed', 1, {
      status: 'traded',
      reason: null,
      equityUsd: 99_987.25,
      leverage: 0.0125,
      orders: 2,
    });

    // The next session's cycle is halted: it completes without trading.
    live.now = '2024-03-04T21:00:00.000Z';
    log.at(live.now);
    log.object('decision', 2, { status: 'halted', targets: { AAA: 0 }, legs: [] });
    live.add('decision', 2, { status: 'halted', targets: { AAA: 0 }, legs: [] });
    log.completed(2, 'halted', 'kill switch tripped: x', Number.NaN, 0, 0);
    live.add('cycle_completed', 2, { status: 'halted', reason: 'kill switch tripped: x' });

    expect(log.length).toBe(live.entries.length);
    expect(JSON.stringify(log.entries())).toBe(JSON.stringify(live.entries));
    expect(log.entries()[4]).toEqual(live.entries[4]);
    expect(log.orders()).toEqual([close.order, buy.order]);
    expect(log.clientOrderId(rows[2] as number)).toBe('qp-parity-1-BBB-adjust');
  });

  it('any run: entries reproduce the live journal and orders the venue’s orders', () => {
    const legArb = fc.record({
      symbol: fc.integer({ min: 0, max: 2 }),
      kind: fc.integer({ min: 0, max: 2 }),
      side: fc.constantFrom(1, -1),
      quantity: fc.integer({ min: 1, max: 10_000 }),
      increases: fc.boolean(),
      outcome: fc.constantFrom('filled', 'partial', 'skipped', 'rejected'),
      price: fc.double({ min: 1, max: 500, noNaN: true }),
      commission: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true })),
    });
    const cycleArb = fc.record({
      legs: fc.uniqueArray(legArb, { selector: (l) => `${l.symbol}-${l.kind}`, maxLength: 4 }),
      halted: fc.boolean(),
      dryRun: fc.boolean(),
      liquidation: fc.boolean(),
      gtc: fc.boolean(),
      scale: fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 1, noNaN: true })),
      cost: fc.oneof(fc.constant(0), fc.constant(-0), fc.double({ min: 0, max: 1e4, noNaN: true })),
      reason: fc.option(fc.constantFrom('new exposure blocked: leverage', 'resumed'), {
        nil: undefined,
      }),
      equity: fc.double({ min: 1, max: 1e7, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(cycleArb, { maxLength: 6 }), (cycles) => {
        const runId = 'r-1';
        const log = new EventLog(runId, (i) => SYMBOLS[i] as string);
        const live = new LiveJournal(runId);
        const orders: Order[] = [];
        let venue = 1;
        cycles.forEach((c, i) => {
          const cycle = i + 1;
          live.now = new Date(Date.UTC(2024, 0, 2 + i, 21)).toISOString();
          const fillAt = new Date(Date.UTC(2024, 0, 3 + i, 14, 30)).toISOString();
          log.at(live.now);
          if (c.halted) {
            log.object('decision', cycle, { status: 'halted', targets: {}, legs: [] });
            live.add('decision', cycle, { status: 'halted', targets: {}, legs: [] });
            log.completed(cycle, 'halted', c.reason, Number.NaN, 0, 0);
            live.add('cycle_completed', cycle, { status: 'halted', reason: c.reason ?? '' });
            return;
          }
          const from = log.targetsMark;
          const targets: JsonObject = {};
          for (const l of c.legs) {
            log.target(l.symbol, l.side * l.quantity);
            targets[SYMBOLS[l.symbol] as string] = l.side * l.quantity;
          }
          const rows = c.legs.map((l) =>
            log.leg(cycle, l.symbol, l.kind, l.side, l.quantity, l.increases, c.gtc),
          );
          const legs = c.legs.map((l) =>
            legPayload(runId, cycle, l.symbol, l.kind, l.side, l.quantity, l.increases, c.gtc),
          );
          const status = c.dryRun ? 'dry_run' : 'traded';
          log.decision(
            cycle,
            status,
            c.liquidation,
            c.scale,
            c.cost,
            from,
            rows[0] ?? -1,
            rows.length,
            c.dryRun,
          );
          live.add('decision', cycle, {
            status,
            targets,
            scaleFactor: Number.isNaN(c.scale) ? null : c.scale,
            estimatedCostUsd: jsonNumber(c.cost),
            liquidation: c.liquidation,
            legs: c.dryRun ? [] : legs,
            wouldSend: c.dryRun ? legs : [],
          });
          let sent = 0;
          if (!c.dryRun)
            c.legs.forEach((l, k) => {
              const row = rows[k] as number;
              const leg = legs[k] as JsonObject;
              const id = leg['clientOrderId'] as string;
              if (l.outcome === 'skipped' || l.outcome === 'rejected') {
                log.skipped(row, 'risk verdict blocks new exposure');
                live.add(
                  'order_update',
                  cycle,
                  { status: 'skipped', reason: 'risk verdict blocks new exposure' },
                  id,
                );
                return;
              }
              const filled = l.outcome === 'filled' ? l.quantity : Math.floor(l.quantity / 2);
              const status: OrderStatus = filled === l.quantity ? 'filled' : 'canceled';
              const order: Order = {
                clientOrderId: id,
                symbol: SYMBOLS[l.symbol] as string,
                side: l.side === 1 ? 'buy' : 'sell',
                quantity: l.quantity,
                type: 'market',
                timeInForce: c.gtc ? 'gtc' : 'day',
                id: `sim-${venue}`,
                status,
                filledQuantity: filled,
                commissionUsd: l.commission,
                submittedAt: live.now,
                updatedAt: fillAt,
                ...(filled > 0 ? { filledAvgPriceUsd: l.price } : {}),
              };
              orders.push(order);
              log.intent(row);
              live.add('order_intent', cycle, leg, id);
              const at = log.order(
                row,
                venue++,
                status,
                filled,
                { priceUsd: l.price, commissionUsd: l.commission },
                fillAt,
              );
              log.sent(at);
              live.add('order_sent', cycle, { order: orderJson(order) }, id);
              log.final(at);
              live.add('order_update', cycle, finalUpdate(order), id);
              if (filled > 0) {
                log.fill(at);
                live.add('fill', cycle, fillJson(fillFromOrder(order)), id);
              }
              sent++;
            });
          log.completed(cycle, status, c.reason, c.equity, 0.5, sent);
          live.add('cycle_completed', cycle, {
            status,
            reason: c.reason ?? null,
            equityUsd: c.equity,
            leverage: 0.5,
            orders: sent,
          });
        });
        expect(JSON.stringify(log.entries())).toBe(JSON.stringify(live.entries));
        expect(log.orders()).toEqual(orders);
      }),
    );
  });

  it('grows past its first allocations', () => {
    const log = new EventLog('big', (i) => `S${i}`);
    log.at('2024-01-02T21:00:00.000Z');
    for (let i = 0; i < 3_000; i++) {
      const row = log.leg(1 + (i % 5), i % 7, 0, 1, i + 1, true, false);
      log.intent(row);
    }
    expect(log.length).toBe(3_000);
    const last = log.entries()[2_999];
    expect(last).toEqual({
      runId: 'big',
      cycle: 5,
      kind: 'order_intent',
      timestamp: '2024-01-02T21:00:00.000Z',
      clientOrderId: 'qp-big-5-S3-adjust',
      payload: {
        clientOrderId: 'qp-big-5-S3-adjust',
        symbol: 'S3',
        leg: 'adjust',
        side: 'buy',
        quantity: 3_000,
        timeInForce: 'day',
        increasesExposure: true,
      },
    });
  });
});
