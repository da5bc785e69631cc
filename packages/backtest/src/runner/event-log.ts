import {
  JOURNAL_ENTRY_KINDS,
  type JournalEntryInput,
  type JournalEntryKind,
  type JsonObject,
  type JsonValue,
  type Order,
  type OrderStatus,
} from '@quantpipe/core';
import {
  clientOrderIdFor,
  fillFromOrder,
  fillJson,
  jsonNumber,
  orderJson,
  toJson,
  type VenueExecution,
} from '@quantpipe/execution';
import { ChunkedColumn } from '../result/chunked-column';
import { grown } from '../result/grown';

const KINDS: readonly JournalEntryKind[] = JOURNAL_ENTRY_KINDS;
const KIND: Readonly<Record<JournalEntryKind, number>> = Object.fromEntries(
  KINDS.map((k, i) => [k, i]),
) as Record<JournalEntryKind, number>;

const LEG_NAMES = ['adjust', 'close', 'open'] as const;
const STATUSES: readonly OrderStatus[] = [
  'new',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'expired',
];

/** How an order event's payload is made (`ref` points at a leg or an order). */
const PAYLOAD_OBJECT = 0;
const PAYLOAD_INTENT = 1;
const PAYLOAD_SENT = 2;
const PAYLOAD_FINAL = 3;
const PAYLOAD_FILL = 4;
const PAYLOAD_SKIPPED = 5;
const PAYLOAD_DECISION = 6;
const PAYLOAD_COMPLETED = 7;
/** An order's `order_intent` and `order_sent` (they are journaled one after the other). */
const PAYLOAD_INTENT_SENT = 8;
/** An order's final `order_update` and its `fill`. */
const PAYLOAD_FINAL_FILL = 9;

/**
 * A backtest's journal held as columns: the same entries a live engine journals (decisions,
 * verdicts, order intents, sends, updates and fills, completed cycles, alerts), recorded as
 * numbers and references while the run goes on and turned into journal entries only when read
 * ({@link EventLog.entries}), so an entry costs no object, string or JSON on the way. Orders and
 * their legs are columns too; {@link EventLog.orders} gives them back as `Order`s.
 */
/**
 * Rows an {@link EventLog} makes room for up front (entries, legs and orders are chunked
 * columns, which grow without copying).
 */
export interface EventLogCapacity {
  /** Decision targets (one per symbol and decision). */
  readonly targets?: number;
}

export class EventLog {
  private count = 0;
  private readonly kind = new ChunkedColumn(Uint8Array);
  private readonly payload = new ChunkedColumn(Uint8Array);
  private readonly cycle = new ChunkedColumn(Int32Array);
  private readonly stamp = new ChunkedColumn(Int32Array);
  private readonly ref = new ChunkedColumn(Int32Array);
  private readonly stamps: string[] = [];
  private readonly objects: unknown[] = [];
  private readonly objectIds: (string | undefined)[] = [];
  private readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();
  // Legs (a cycle's kept order legs, in plan order).
  private legs = 0;
  private readonly legSymbol = new ChunkedColumn(Int32Array);
  private readonly legKind = new ChunkedColumn(Uint8Array);
  private readonly legSide = new ChunkedColumn(Int8Array);
  private readonly legQuantity = new ChunkedColumn(Float64Array);
  private readonly legIncreases = new ChunkedColumn(Uint8Array);
  private readonly legCycle = new ChunkedColumn(Int32Array);
  private readonly legGtc = new ChunkedColumn(Uint8Array);
  // Orders (one per leg the venue received).
  private orderCount = 0;
  private readonly orderLeg = new ChunkedColumn(Int32Array);
  private readonly orderVenueNumber = new ChunkedColumn(Int32Array);
  private readonly orderStatus = new ChunkedColumn(Uint8Array);
  private readonly orderFilled = new ChunkedColumn(Float64Array);
  private readonly orderAvgPrice = new ChunkedColumn(Float64Array);
  private readonly orderCommission = new ChunkedColumn(Float64Array);
  private readonly orderSubmitted = new ChunkedColumn(Int32Array);
  private readonly orderUpdated = new ChunkedColumn(Int32Array);
  // Decisions: status text, liquidation, scale factor, cost, targets and legs ranges.
  private decisionCount = 0;
  private decisionNumbers = new Float64Array(0);
  private decisionRefs = new Int32Array(0);
  private targetCount = 0;
  private targetSymbol: Int32Array;
  private targetValue: Float64Array;
  // Skipped legs: leg row and reason text.
  private skipCount = 0;
  private skipRefs = new Int32Array(0);
  /** Instants orders were updated at (their fills' times), one per change. */
  private readonly fillInstants: string[] = [];
  // Completed cycles: status, reason, equity, leverage, orders.
  private completedCount = 0;
  private completedNumbers = new Float64Array(0);
  private completedRefs = new Int32Array(0);

  /** @param capacity rows to make room for up front (the targets grow past them as needed). */
  constructor(
    private readonly runId: string,
    private readonly symbols: (index: number) => string,
    capacity: EventLogCapacity = {},
  ) {
    const targets = capacity.targets ?? 0;
    this.targetSymbol = new Int32Array(targets);
    this.targetValue = new Float64Array(targets);
  }

  /** Entries recorded (an order's intent and send count two, as do its final update and fill). */
  get length(): number {
    return this.count + this.pairs;
  }

  /** Records that stand for two entries. */
  private pairs = 0;

  /** The instant stamped on the entries recorded next (an ISO-8601 UTC string). */
  at(timestamp: string): void {
    if (this.stamps[this.stamps.length - 1] !== timestamp) this.stamps.push(timestamp);
  }

  /** The index of `value` in the interned texts (statuses and reasons repeat every cycle). */
  private text(value: string): number {
    let index = this.textIndex.get(value);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(value);
      this.textIndex.set(value, index);
    }
    return index;
  }

  private push(kind: JournalEntryKind, cycle: number, payload: number, ref: number): void {
    const i = this.count++;
    this.kind.set(i, KIND[kind]);
    this.cycle.set(i, cycle);
    this.stamp.set(i, this.stamps.length - 1);
    this.payload.set(i, payload);
    this.ref.set(i, ref);
  }

  /**
   * An entry whose payload is an object (verdicts, alerts, …): kept as it is and made JSON when
   * read, so it must not change afterwards.
   */
  object(kind: JournalEntryKind, cycle: number, payload: unknown, clientOrderId?: string): void {
    this.objects.push(payload);
    this.objectIds.push(clientOrderId);
    this.push(kind, cycle, PAYLOAD_OBJECT, this.objects.length - 1);
  }

  /** Records a leg of `cycle`; returns its row. */
  leg(
    cycle: number,
    symbol: number,
    kind: number,
    side: number,
    quantity: number,
    increases: boolean,
    gtc: boolean,
  ): number {
    const i = this.legs++;
    this.legSymbol.set(i, symbol);
    this.legKind.set(i, kind);
    this.legSide.set(i, side);
    this.legQuantity.set(i, quantity);
    this.legIncreases.set(i, increases ? 1 : 0);
    this.legCycle.set(i, cycle);
    this.legGtc.set(i, gtc ? 1 : 0);
    return i;
  }

  /**
   * The decision of `cycle`: its targets are `targetsCount` (symbol, target) pairs added with
   * {@link EventLog.target} just before; its legs the rows `[firstLeg, firstLeg + legCount)`.
   */
  decision(
    cycle: number,
    status: string,
    liquidation: boolean,
    scaleFactor: number,
    estimatedCostUsd: number,
    targetsFrom: number,
    firstLeg: number,
    legCount: number,
    dryRun: boolean,
  ): void {
    const i = this.decisionCount++;
    this.decisionNumbers = grown(this.decisionNumbers, i + 1, 2);
    this.decisionRefs = grown(this.decisionRefs, i + 1, 7);
    this.decisionNumbers[i * 2] = scaleFactor;
    this.decisionNumbers[i * 2 + 1] = estimatedCostUsd;
    const r = i * 7;
    this.decisionRefs[r] = this.text(status);
    this.decisionRefs[r + 1] = liquidation ? 1 : 0;
    this.decisionRefs[r + 2] = targetsFrom;
    this.decisionRefs[r + 3] = this.targetCount;
    this.decisionRefs[r + 4] = firstLeg;
    this.decisionRefs[r + 5] = legCount;
    this.decisionRefs[r + 6] = dryRun ? 1 : 0;
    this.push('decision', cycle, PAYLOAD_DECISION, i);
  }

  /** Where the next decision's targets start. */
  get targetsMark(): number {
    return this.targetCount;
  }

  /** A target of the decision being recorded. */
  target(symbol: number, shares: number): void {
    const i = this.targetCount++;
    if (i >= this.targetSymbol.length) {
      this.targetSymbol = grown(this.targetSymbol, i + 1);
      this.targetValue = grown(this.targetValue, i + 1);
    }
    this.targetSymbol[i] = symbol;
    this.targetValue[i] = shares;
  }

  /** The `order_intent` of leg `leg`. */
  intent(leg: number): void {
    this.push('order_intent', this.legCycle.get(leg), PAYLOAD_INTENT, leg);
  }

  /** The `order_update` of a skipped leg. */
  skipped(leg: number, reason: string): void {
    const i = this.skipCount++;
    this.skipRefs = grown(this.skipRefs, i + 1, 2);
    this.skipRefs[i * 2] = leg;
    this.skipRefs[i * 2 + 1] = this.text(reason);
    this.push('order_update', this.legCycle.get(leg), PAYLOAD_SKIPPED, i);
  }

  /**
   * An order the venue received for `leg` (venue number `sim-<n>`), submitted at the current
   * instant, in its final state (average price and commission from `fill`): returns its row.
   */
  order(
    leg: number,
    venueNumber: number,
    status: OrderStatus,
    filledQuantity: number,
    fill: Pick<VenueExecution, 'priceUsd' | 'commissionUsd'>,
    updatedAt: string,
  ): number {
    const i = this.orderCount++;
    this.orderLeg.set(i, leg);
    this.orderVenueNumber.set(i, venueNumber);
    this.orderStatus.set(i, STATUSES.indexOf(status));
    this.orderFilled.set(i, filledQuantity);
    this.orderAvgPrice.set(i, fill.priceUsd);
    this.orderCommission.set(i, fill.commissionUsd);
    this.orderSubmitted.set(i, this.stamps.length - 1);
    if (this.fillInstants[this.fillInstants.length - 1] !== updatedAt)
      this.fillInstants.push(updatedAt);
    this.orderUpdated.set(i, this.fillInstants.length - 1);
    return i;
  }

  /** The `order_intent` and `order_sent` of order row `order` (sent as soon as intended). */
  intentAndSent(order: number): void {
    this.pairs++;
    this.push(
      'order_intent',
      this.legCycle.get(this.orderLeg.get(order)),
      PAYLOAD_INTENT_SENT,
      order,
    );
  }

  /** The final `order_update` and the `fill` of order row `order` (a fill of the whole order). */
  finalAndFill(order: number): void {
    this.pairs++;
    this.push(
      'order_update',
      this.legCycle.get(this.orderLeg.get(order)),
      PAYLOAD_FINAL_FILL,
      order,
    );
  }

  /** The `order_sent` of order row `order`. */
  sent(order: number): void {
    this.push('order_sent', this.legCycle.get(this.orderLeg.get(order)), PAYLOAD_SENT, order);
  }

  /** The final `order_update` of order row `order`. */
  final(order: number): void {
    this.push('order_update', this.legCycle.get(this.orderLeg.get(order)), PAYLOAD_FINAL, order);
  }

  /** The `fill` of order row `order`. */
  fill(order: number): void {
    this.push('fill', this.legCycle.get(this.orderLeg.get(order)), PAYLOAD_FILL, order);
  }

  /** A completed cycle (`equityUsd` NaN: a cycle that ended without trading). */
  completed(
    cycle: number,
    status: string,
    reason: string | undefined,
    equityUsd: number,
    leverage: number,
    orders: number,
  ): void {
    const i = this.completedCount++;
    this.completedNumbers = grown(this.completedNumbers, i + 1, 3);
    this.completedRefs = grown(this.completedRefs, i + 1, 2);
    this.completedNumbers[i * 3] = equityUsd;
    this.completedNumbers[i * 3 + 1] = leverage;
    this.completedNumbers[i * 3 + 2] = orders;
    this.completedRefs[i * 2] = this.text(status);
    this.completedRefs[i * 2 + 1] = reason === undefined ? -1 : this.text(reason);
    this.push('cycle_completed', cycle, PAYLOAD_COMPLETED, i);
  }

  /** The client order id of leg row `leg`. */
  clientOrderId(leg: number): string {
    return clientOrderIdFor(
      this.runId,
      this.legCycle.get(leg),
      this.symbols(this.legSymbol.get(leg)),
      LEG_NAMES[this.legKind.get(leg)] as (typeof LEG_NAMES)[number],
    );
  }

  private legPayload(leg: number): JsonObject {
    return {
      clientOrderId: this.clientOrderId(leg),
      symbol: this.symbols(this.legSymbol.get(leg)),
      leg: LEG_NAMES[this.legKind.get(leg)] as string,
      side: this.legSide.get(leg) === 1 ? 'buy' : 'sell',
      quantity: this.legQuantity.get(leg),
      timeInForce: this.legGtc.get(leg) === 1 ? 'gtc' : 'day',
      increasesExposure: this.legIncreases.get(leg) === 1,
    };
  }

  /** Order row `i` as the venue reported it. */
  orderAt(i: number): Order {
    const leg = this.orderLeg.get(i);
    const status = STATUSES[this.orderStatus.get(i)] as OrderStatus;
    const filled = this.orderFilled.get(i);
    return {
      clientOrderId: this.clientOrderId(leg),
      symbol: this.symbols(this.legSymbol.get(leg)),
      side: this.legSide.get(leg) === 1 ? 'buy' : 'sell',
      quantity: this.legQuantity.get(leg),
      type: 'market',
      timeInForce: this.legGtc.get(leg) === 1 ? 'gtc' : 'day',
      id: `sim-${this.orderVenueNumber.get(i)}`,
      status,
      filledQuantity: filled,
      commissionUsd: this.orderCommission.get(i),
      submittedAt: this.stamps[this.orderSubmitted.get(i)] as string,
      updatedAt: this.fillInstants[this.orderUpdated.get(i)] as string,
      ...(filled > 0 ? { filledAvgPriceUsd: this.orderAvgPrice.get(i) } : {}),
    };
  }

  /** Every order the venue received, in order. */
  orders(): Order[] {
    const out = new Array<Order>(this.orderCount);
    for (let i = 0; i < this.orderCount; i++) out[i] = this.orderAt(i);
    return out;
  }

  private payloadOf(payload: number, ref: number): { payload: JsonValue; clientOrderId?: string } {
    switch (payload) {
      case PAYLOAD_INTENT:
        return { payload: this.legPayload(ref), clientOrderId: this.clientOrderId(ref) };
      case PAYLOAD_SENT: {
        const order = this.orderAt(ref);
        return { payload: { order: orderJson(order) }, clientOrderId: order.clientOrderId };
      }
      case PAYLOAD_FINAL: {
        const order = this.orderAt(ref);
        return {
          payload: {
            status: order.status,
            filledQuantity: jsonNumber(order.filledQuantity),
            filledAvgPriceUsd:
              order.filledAvgPriceUsd === undefined ? null : jsonNumber(order.filledAvgPriceUsd),
            orderId: order.id,
          },
          clientOrderId: order.clientOrderId,
        };
      }
      case PAYLOAD_FILL: {
        const order = this.orderAt(ref);
        return { payload: fillJson(fillFromOrder(order)), clientOrderId: order.clientOrderId };
      }
      case PAYLOAD_SKIPPED: {
        const leg = this.skipRefs[ref * 2] as number;
        return {
          payload: {
            status: 'skipped',
            reason: this.texts[this.skipRefs[ref * 2 + 1] as number] as string,
          },
          clientOrderId: this.clientOrderId(leg),
        };
      }
      case PAYLOAD_DECISION:
        return { payload: this.decisionPayload(ref) };
      case PAYLOAD_COMPLETED:
        return { payload: this.completedPayload(ref) };
      default: {
        const clientOrderId = this.objectIds[ref];
        const payload = toJson(this.objects[ref]);
        return clientOrderId === undefined ? { payload } : { payload, clientOrderId };
      }
    }
  }

  private decisionPayload(i: number): JsonObject {
    const r = i * 7;
    const refs = this.decisionRefs;
    const targets: JsonObject = {};
    for (let t = refs[r + 2] as number; t < (refs[r + 3] as number); t++)
      targets[this.symbols(this.targetSymbol[t] as number)] = jsonNumber(
        this.targetValue[t] as number,
      );
    const legs: JsonValue[] = [];
    const first = refs[r + 4] as number;
    for (let k = 0; k < (refs[r + 5] as number); k++) legs.push(this.legPayload(first + k));
    const scale = this.decisionNumbers[i * 2] as number;
    const dryRun = refs[r + 6] === 1;
    return {
      status: this.texts[refs[r] as number] as string,
      targets,
      scaleFactor: Number.isNaN(scale) ? null : jsonNumber(scale),
      estimatedCostUsd: jsonNumber(this.decisionNumbers[i * 2 + 1] as number),
      liquidation: refs[r + 1] === 1,
      legs: dryRun ? [] : legs,
      wouldSend: dryRun ? legs : [],
    };
  }

  private completedPayload(i: number): JsonObject {
    const status = this.texts[this.completedRefs[i * 2] as number] as string;
    const reasonRef = this.completedRefs[i * 2 + 1] as number;
    const reason = reasonRef < 0 ? null : (this.texts[reasonRef] as string);
    const equity = this.completedNumbers[i * 3] as number;
    if (Number.isNaN(equity)) return { status, reason: reason ?? '' };
    return {
      status,
      reason,
      equityUsd: jsonNumber(equity),
      leverage: jsonNumber(this.completedNumbers[i * 3 + 1] as number),
      orders: this.completedNumbers[i * 3 + 2] as number,
    };
  }

  private entryOf(e: number, kind: number, payload: number, ref: number): JournalEntryInput {
    const { payload: json, clientOrderId } = this.payloadOf(payload, ref);
    const base = {
      runId: this.runId,
      cycle: this.cycle.get(e),
      kind: KINDS[kind] as JournalEntryKind,
      timestamp: this.stamps[this.stamp.get(e)] as string,
    };
    return clientOrderId === undefined
      ? { ...base, payload: json }
      : { ...base, clientOrderId, payload: json };
  }

  /** Every entry, in order, as the live engine journals them. */
  entries(): JournalEntryInput[] {
    const out: JournalEntryInput[] = [];
    for (let e = 0; e < this.count; e++) {
      const payload = this.payload.get(e);
      const ref = this.ref.get(e);
      if (payload === PAYLOAD_INTENT_SENT) {
        out.push(this.entryOf(e, KIND.order_intent, PAYLOAD_INTENT, this.orderLeg.get(ref)));
        out.push(this.entryOf(e, KIND.order_sent, PAYLOAD_SENT, ref));
      } else if (payload === PAYLOAD_FINAL_FILL) {
        out.push(this.entryOf(e, KIND.order_update, PAYLOAD_FINAL, ref));
        out.push(this.entryOf(e, KIND.fill, PAYLOAD_FILL, ref));
      } else out.push(this.entryOf(e, this.kind.get(e), payload, ref));
    }
    return out;
  }
}
