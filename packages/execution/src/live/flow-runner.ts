import type { Account, Broker, Fill, Order, Position } from '@quantpipe/core';
import type { RiskVerdict } from '@quantpipe/risk';
import {
  FLOW_AWAIT,
  FLOW_DONE,
  FLOW_NEED_SNAPSHOT,
  FLOW_SEND,
  FLOW_SKIP,
  FLOW_VERDICT,
  type FlowLegs,
  type OrderFlow,
} from '../core/order-flow';
import type { RiskGate } from '../core/risk-gate';
import { fillFromOrder } from '../order-fill';
import type { BrokerCalls } from './broker-calls';
import type { JournalWriter } from './journal-writer';
import type { LegPayload, OrderSubmitter } from './order-submitter';

/** What a cycle's order flow did against the broker. */
export interface Executed {
  readonly orders: Order[];
  readonly fills: Fill[];
  /** Legs a restart found at the broker and adopted. */
  readonly adopted: string[];
  /** Legs sent. */
  readonly submitted: string[];
  /** Whether a re-check found the kill switch tripped mid-cycle. */
  readonly haltedMidCycle: boolean;
}

/** The risk re-check's snapshot of a fresh account (gross exposure from positions if needed). */
export function fillSnapshot(
  snapshot: OrderFlow['snapshot'],
  account: Account,
  positions: readonly Position[] | undefined,
): void {
  let gross = account.grossExposureUsd ?? 0;
  if (positions !== undefined) {
    gross = 0;
    for (const p of positions) gross += Math.abs(p.marketValueUsd);
  }
  snapshot.portfolioValueUsd = account.portfolioValueUsd;
  snapshot.equityUsd = account.equityUsd;
  snapshot.grossExposureUsd = gross;
  snapshot.dailyPnlUsd = account.dailyPnlUsd ?? Number.NaN;
  snapshot.lastEquityUsd = account.lastEquityUsd ?? Number.NaN;
}

/**
 * Pumps an {@link OrderFlow} against a live broker: the actions it names are performed here
 * (skips journaled, re-checks on a fresh account, verdicts journaled and the state persisted,
 * sends through the {@link OrderSubmitter}, fill waits). With `resume`, a leg the broker already
 * knows is adopted, not resent.
 */
export async function runFlowLive(parts: {
  readonly flow: OrderFlow;
  readonly gate: RiskGate;
  readonly broker: Broker;
  readonly calls: BrokerCalls;
  readonly journal: JournalWriter;
  readonly submitter: OrderSubmitter;
  readonly saveState: () => Promise<void>;
  readonly symbolCapacity: number;
  readonly cycle: number;
  readonly flowLegs: FlowLegs;
  readonly legs: readonly LegPayload[];
  readonly resume: boolean;
}): Promise<Executed> {
  const { flow, broker, calls, journal, submitter, cycle, legs, resume } = parts;
  const orders: Order[] = [];
  const fills: Fill[] = [];
  const adopted: string[] = [];
  const submitted: string[] = [];
  const sent: (Order | undefined)[] = new Array(legs.length);
  const gtc = legs.some((l) => l.timeInForce === 'gtc');
  flow.begin(parts.flowLegs, parts.gate, gtc, parts.symbolCapacity);
  for (let action = flow.next(); action !== FLOW_DONE; action = flow.next()) {
    const leg = legs[flow.leg] as LegPayload;
    if (action === FLOW_SKIP) {
      const payload = { status: 'skipped', reason: flow.skipReason };
      await journal.append('order_update', cycle, payload, leg.clientOrderId);
    } else if (action === FLOW_NEED_SNAPSHOT) {
      const account = await calls.call('getAccount', () => broker.getAccount());
      const positions =
        account.grossExposureUsd === undefined
          ? await calls.call('getPositions', () => broker.getPositions())
          : undefined;
      fillSnapshot(flow.snapshot, account, positions);
      flow.checkExposure(journal.nowIso());
    } else if (action === FLOW_VERDICT) {
      await journal.append('risk_verdict', cycle, parts.gate.lastVerdict as RiskVerdict);
      await parts.saveState();
    } else if (action === FLOW_SEND) {
      const result = await submitter.send(cycle, leg, resume);
      if (result.adopted) adopted.push(leg.clientOrderId);
      else if (result.order) submitted.push(leg.clientOrderId);
      sent[flow.leg] = result.order;
      if (result.order) flow.sent();
      else flow.refused();
    } else if (action === FLOW_AWAIT) {
      const order = sent[flow.leg] as Order;
      let final = order;
      if (leg.timeInForce !== 'gtc') final = await submitter.awaitFill(cycle, leg, order, fills);
      else if (order.filledQuantity > 0) fills.push(fillFromOrder(order));
      orders.push(final);
      flow.final(final.status === 'filled');
    }
  }
  return { orders, fills, adopted, submitted, haltedMidCycle: flow.haltedMidCycle };
}
