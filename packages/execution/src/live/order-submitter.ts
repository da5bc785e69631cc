import {
  isOrderOpen,
  type AlertLevel,
  isOrderRefusal,
  type Broker,
  type Clock,
  type Fill,
  type JsonObject,
  type Logger,
  type Order,
} from '@quantpipe/core';
import { fillJson, jsonNumber, orderJson } from '../journal-payloads';
import { fillFromOrder } from '../order-fill';
import type { BrokerCalls } from './broker-calls';
import type { JournalWriter } from './journal-writer';

import { engineAlerts } from '../core/engine-alerts';
import type { LegPayload } from '../core/leg-payload';

export type { LegPayload } from '../core/leg-payload';

/** What {@link OrderSubmitter.send} did. */
export interface SentLeg {
  /** The venue's order (undefined when the venue refused it). */
  readonly order?: Order;
  /** The venue already had it (a restart adopted it, nothing was sent). */
  readonly adopted: boolean;
}

/** Raises an alert (journaled and delivered by the driver). */
export type RaiseAlert = (
  level: AlertLevel,
  title: string,
  message: string,
  context?: Record<string, unknown>,
) => Promise<void>;

/**
 * Sends a cycle's orders to a live venue and waits for their fills (spec 7.2): the intent is
 * journaled before the order is sent, the submission is retried with the same deterministic
 * client order id (after a failed attempt the venue is asked for the order before it is sent
 * again, so it is never sent twice), a refusal by the venue (by the error's type) is journaled
 * and alerted and the cycle goes on, and an open order is polled until it is final or
 * `fill_timeout_s` passes, then the rest is canceled.
 */
export class OrderSubmitter {
  constructor(
    private readonly broker: Broker,
    private readonly calls: BrokerCalls,
    private readonly journal: JournalWriter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly raise: RaiseAlert,
    private readonly timing: { readonly fillTimeoutS: number; readonly pollIntervalMs: number },
  ) {}

  /**
   * Sends `leg`. With `resume` (finishing an interrupted cycle), an order the venue already
   * has is adopted and not sent again.
   */
  async send(cycle: number, leg: LegPayload, resume: boolean): Promise<SentLeg> {
    const broker = this.broker;
    if (resume) {
      const existing = await this.calls.call('getOrderByClientId', () =>
        broker.getOrderByClientId(leg.clientOrderId),
      );
      if (existing) {
        await this.journal.appendJson(
          'order_sent',
          cycle,
          { adopted: true, order: orderJson(existing) },
          leg.clientOrderId,
        );
        return { order: existing, adopted: true };
      }
    }
    await this.journal.appendJson('order_intent', cycle, leg, leg.clientOrderId);
    const request = {
      clientOrderId: leg.clientOrderId,
      symbol: leg.symbol,
      side: leg.side,
      quantity: leg.quantity,
      type: 'market' as const,
      timeInForce: leg.timeInForce,
    };
    const submit = async (attempt: number): Promise<Order> => {
      if (attempt > 1) {
        // The failed attempt may have reached the venue: look before sending again.
        const known = await broker.getOrderByClientId(leg.clientOrderId);
        if (known) return known;
      }
      return broker.submitOrder(request);
    };
    try {
      const order = await this.calls.submit(submit);
      await this.journal.appendJson(
        'order_sent',
        cycle,
        { order: orderJson(order) },
        leg.clientOrderId,
      );
      if (this.logger.isLevelEnabled?.('info') !== false)
        this.logger.info(
          {
            cycle,
            clientOrderId: leg.clientOrderId,
            symbol: leg.symbol,
            side: leg.side,
            quantity: leg.quantity,
            status: order.status,
          },
          'order sent',
        );
      return { order, adopted: false };
    } catch (error) {
      // The venue refused this order (not a transport problem): record it and go on.
      if (!isOrderRefusal(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      await this.journal.append(
        'order_update',
        cycle,
        { status: 'rejected', reason: message },
        leg.clientOrderId,
      );
      const alert = engineAlerts.orderRejected(
        leg.side,
        leg.quantity,
        leg.symbol,
        message,
        leg.clientOrderId,
      );
      await this.raise(alert.level, alert.title, alert.message, alert.context);
      return { adopted: false };
    }
  }

  /**
   * Polls the order until it is final or `fill_timeout_s` passes; then cancels what is left.
   * Journals the final state and the fill (also appended to `fills`).
   */
  async awaitFill(cycle: number, leg: LegPayload, submitted: Order, fills: Fill[]): Promise<Order> {
    const broker = this.broker;
    const deadline = this.clock.now() + this.timing.fillTimeoutS * 1000;
    const lookUp = (): Promise<Order | undefined> =>
      this.calls.call('getOrderByClientId', () => broker.getOrderByClientId(leg.clientOrderId));
    let order = submitted;
    // A market order usually fills at once: look again right away, then poll.
    if (isOrderOpen(order.status)) order = (await lookUp()) ?? order;
    while (isOrderOpen(order.status) && this.clock.now() < deadline) {
      await this.clock.sleep(this.timing.pollIntervalMs);
      order = (await lookUp()) ?? order;
    }
    if (isOrderOpen(order.status)) {
      const id = order.id;
      await this.calls.call('cancelOrder', () => broker.cancelOrder(id));
      order = (await lookUp()) ?? order;
      await this.raise(
        'WARNING',
        'FILL TIMEOUT',
        `${leg.clientOrderId}: ${order.filledQuantity}/${order.quantity} filled after ${this.timing.fillTimeoutS}s; rest canceled`,
        { clientOrderId: leg.clientOrderId },
      );
    }
    await this.journal.appendJson('order_update', cycle, finalUpdate(order), leg.clientOrderId);
    if (order.filledQuantity > 0) {
      const fill = fillFromOrder(order);
      await this.journal.appendJson('fill', cycle, fillJson(fill), order.clientOrderId);
      fills.push(fill);
    }
    return order;
  }
}

/** The `order_update` payload of an order's final state. */
export function finalUpdate(order: Order): JsonObject {
  return {
    status: order.status,
    filledQuantity: jsonNumber(order.filledQuantity),
    filledAvgPriceUsd:
      order.filledAvgPriceUsd === undefined ? null : jsonNumber(order.filledAvgPriceUsd),
    orderId: order.id,
  };
}
