import { NotFoundError } from '@quantpipe/core';
import type { EngineConfig } from '../engine-config';
import type { CommissionModel } from '../sim-account';
import type { MarketFigures } from './market-figures';
import { bandReason } from './no-trade-band';
import type { FlowLegs } from './order-flow';
import {
  newPlanBuffers,
  planOrdersInto,
  type PlanBuffers,
  type PlanColumns,
} from './plan-orders-into';

import type { SymbolTable } from './symbol-table';
import { newTradeCost, tradeCostInto } from './trade-cost';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The commission of a venue that charges none (Alpaca), the engine's default. */
const NO_COMMISSION: CommissionModel = Object.freeze({ kind: 'zero' });

/** What {@link CyclePlan} needs of the engine configuration. */
export type CyclePlanConfig = Pick<
  EngineConfig,
  'min_trade_size' | 'buying_power_scale' | 'buying_power_mode' | 'on_loss_breach'
>;

/**
 * One line of the pre-trade cost estimate (spec 6.3), handed to a logger: `costUsd` is the
 * slippage plus `commissionUsd`, the venue's commission. A trade the no-trade band keeps from
 * going is listed too, with its `skipReason` and `expectedEdgeUsd` (both empty otherwise: ''
 * and NaN), and is not counted in the total.
 */
export type CostLineSink = (
  symbol: number,
  deltaShares: number,
  priceUsd: number,
  participation: number | null,
  slippageBps: number,
  costUsd: number,
  commissionUsd: number,
  skipReason: string,
  expectedEdgeUsd: number,
) => void;

/**
 * A cycle's order plan: the targets it trades to (in order), the pre-trade cost estimate, the
 * order plan of the spec (7.1: buying power, min_trade_size, flips) and the legs that may go
 * (exposure-adding legs are dropped while the risk verdict forbids new exposure or a loss
 * breach liquidates). Synchronous; reused from cycle to cycle.
 */
export class CyclePlan implements FlowLegs {
  /** Entries of the plan: symbol index, target and current shares, price (NaN: none). */
  count = 0;
  symbol: Int32Array;
  target: Float64Array;
  current: Float64Array;
  priceUsd: Float64Array;
  /** The planned legs (indices are plan entries: see `symbol`). */
  readonly legs: PlanBuffers;
  /** Indices of the legs that go, in plan order. */
  kept: Int32Array;
  keptCount = 0;
  /** Exposure-adding legs dropped by the verdict or a liquidation. */
  blockedCount = 0;
  /** Whether the plan is the reduction a loss breach asked for. */
  liquidation = false;
  estimatedCostUsd = 0;
  /**
   * Trades the no-trade band kept from going, in plan order: symbol index, the target they
   * would have traded to, the shares held, the band kind (BAND_* of `no-trade-band`), their
   * expected edge and estimated cost (USD).
   */
  bandCount = 0;
  bandSymbol: Int32Array;
  bandTarget: Float64Array;
  bandCurrent: Float64Array;
  bandKind: Uint8Array;
  bandEdgeUsd: Float64Array;
  bandCostUsd: Float64Array;
  /** The venue's commission model, charged by the estimate on every order of a trade. */
  readonly commission: CommissionModel;
  private readonly cost = newTradeCost();

  constructor(
    private readonly config: CyclePlanConfig,
    private readonly symbols: SymbolTable,
    commission: CommissionModel = NO_COMMISSION,
  ) {
    const capacity = symbols.capacity;
    this.commission = commission;
    this.symbol = new Int32Array(capacity);
    this.target = new Float64Array(capacity);
    this.current = new Float64Array(capacity);
    this.priceUsd = new Float64Array(capacity);
    this.legs = newPlanBuffers(capacity);
    this.kept = new Int32Array(2 * capacity);
    this.bandSymbol = new Int32Array(capacity);
    this.bandTarget = new Float64Array(capacity);
    this.bandCurrent = new Float64Array(capacity);
    this.bandKind = new Uint8Array(capacity);
    this.bandEdgeUsd = new Float64Array(capacity);
    this.bandCostUsd = new Float64Array(capacity);
  }

  /** Clears the plan for a new cycle with room for `capacity` entries. */
  reset(capacity: number): void {
    this.count = 0;
    this.keptCount = 0;
    this.blockedCount = 0;
    this.liquidation = false;
    this.estimatedCostUsd = 0;
    this.bandCount = 0;
    if (this.symbol.length >= capacity) return;
    this.symbol = new Int32Array(capacity);
    this.target = new Float64Array(capacity);
    this.current = new Float64Array(capacity);
    this.priceUsd = new Float64Array(capacity);
    (this as { legs: PlanBuffers }).legs = newPlanBuffers(capacity);
    this.kept = new Int32Array(2 * capacity);
    this.bandSymbol = new Int32Array(capacity);
    this.bandTarget = new Float64Array(capacity);
    this.bandCurrent = new Float64Array(capacity);
    this.bandKind = new Uint8Array(capacity);
    this.bandEdgeUsd = new Float64Array(capacity);
    this.bandCostUsd = new Float64Array(capacity);
  }

  /**
   * Records a trade of symbol `index` from `currentShares` to `targetShares` that the no-trade
   * band (`kind`) keeps from going, with its expected edge and estimated cost (USD).
   */
  addBanded(
    index: number,
    targetShares: number,
    currentShares: number,
    kind: number,
    edgeUsd: number,
    costUsd: number,
  ): void {
    const j = this.bandCount++;
    this.bandSymbol[j] = index;
    this.bandTarget[j] = targetShares;
    this.bandCurrent[j] = currentShares;
    this.bandKind[j] = kind;
    this.bandEdgeUsd[j] = edgeUsd;
    this.bandCostUsd[j] = costUsd;
  }

  /** Appends a target: symbol `index` to `targetShares`, holding `currentShares`. */
  add(index: number, targetShares: number, currentShares: number, priceUsd: number): void {
    const i = this.count++;
    this.symbol[i] = index;
    this.target[i] = targetShares;
    this.current[i] = currentShares;
    this.priceUsd[i] = priceUsd;
  }

  /** Drops symbol `index` from the plan (a symbol with orders the engine did not place). */
  remove(index: number): void {
    let w = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.symbol[i] === index) continue;
      this.symbol[w] = this.symbol[i] as number;
      this.target[w] = this.target[i] as number;
      this.current[w] = this.current[i] as number;
      this.priceUsd[w] = this.priceUsd[i] as number;
      w++;
    }
    this.count = w;
    w = 0;
    for (let j = 0; j < this.bandCount; j++) {
      if (this.bandSymbol[j] === index) continue;
      this.bandSymbol[w] = this.bandSymbol[j] as number;
      this.bandTarget[w] = this.bandTarget[j] as number;
      this.bandCurrent[w] = this.bandCurrent[j] as number;
      this.bandKind[w] = this.bandKind[j] as number;
      this.bandEdgeUsd[w] = this.bandEdgeUsd[j] as number;
      this.bandCostUsd[w] = this.bandCostUsd[j] as number;
      w++;
    }
    this.bandCount = w;
  }

  /**
   * The reduction a loss breach asks for, over the held symbols (in the given order):
   * `flatten` closes everything, `reduce` halves every position toward zero.
   */
  reductionOf(
    held: Int32Array,
    heldCount: number,
    quantity: (index: number) => number,
    figures: MarketFigures,
  ): void {
    this.liquidation = true;
    for (let k = 0; k < heldCount; k++) {
      const index = held[k] as number;
      const qty = quantity(index);
      const target = this.config.on_loss_breach === 'reduce' ? Math.trunc(qty / 2) || 0 : 0;
      this.add(
        index,
        target,
        qty,
        figures.has[index] === 1 ? (figures.priceUsd[index] as number) : Number.NaN,
      );
    }
  }

  /**
   * The spec's pre-trade cost estimate over the plan's entries, in order (the seed skips zero
   * targets, so a closing trade is estimated as free): each trade's slippage (6.3) plus the
   * venue's commission on its orders, its minimum included (see {@link tradeCostInto}).
   * `onLine` receives each line, then one per trade the no-trade band kept from going (not
   * counted in the total). A traded symbol without market figures is a NotFoundError, except
   * in a liquidation, which leaves it out of the estimate.
   */
  estimateCost(figures: MarketFigures, onLine?: CostLineSink): number {
    let total = 0;
    for (let i = 0; i < this.count; i++) {
      const target = this.target[i] as number;
      if (target === 0) continue;
      const current = this.current[i] as number;
      const delta = target - current;
      if (delta === 0) continue;
      const index = this.symbol[i] as number;
      if (figures.has[index] !== 1) {
        // A liquidation must not wait for a figure: a held symbol without any is left out.
        if (this.liquidation) continue;
        const symbol = this.symbols.name(index);
        throw new NotFoundError(`no market data (price, adv, volatility) for ${symbol}`, {
          context: { symbol },
        });
      }
      total += this.costLine(figures, index, target, current, '', Number.NaN, onLine);
    }
    if (onLine !== undefined)
      for (let j = 0; j < this.bandCount; j++)
        this.costLine(
          figures,
          this.bandSymbol[j] as number,
          this.bandTarget[j] as number,
          this.bandCurrent[j] as number,
          bandReason(this.bandKind[j] as number),
          this.bandEdgeUsd[j] as number,
          onLine,
        );
    this.estimatedCostUsd = total;
    return total;
  }

  /** One trade's cost estimate (into `this.cost`), handed to `onLine`; its cost in USD. */
  private costLine(
    figures: MarketFigures,
    index: number,
    target: number,
    current: number,
    bandReasonText: string,
    edgeUsd: number,
    onLine: CostLineSink | undefined,
  ): number {
    const cost = this.cost;
    const priceUsd = figures.priceUsd[index] as number;
    const adv = figures.adv[index] as number;
    tradeCostInto(
      cost,
      target,
      current,
      priceUsd,
      adv,
      figures.volatility[index] as number,
      this.commission,
    );
    const delta = target - current;
    onLine?.(
      index,
      delta,
      priceUsd,
      adv === 0 ? null : Math.abs(delta) / adv,
      cost.slippageBps,
      cost.costUsd,
      cost.commissionUsd,
      bandReasonText,
      edgeUsd,
    );
    return cost.costUsd;
  }

  /**
   * Plans the orders (spec 7.1) with the account's buying power, then keeps the legs that may
   * go: all of them, or only the reducing ones when `blockAdding` (a verdict that forbids new
   * exposure, or a liquidation).
   */
  /** The planner's view of the plan's columns (one object, refreshed at each call). */
  private readonly plannerColumns: Mutable<PlanColumns> = {
    count: 0,
    targets: new Float64Array(0),
    current: new Float64Array(0),
    priceUsd: new Float64Array(0),
    describe: (i) => this.symbols.name(this.symbol[i] as number),
  };

  planOrders(buyingPowerUsd: number, blockAdding: boolean): void {
    const columns = this.plannerColumns;
    columns.count = this.count;
    columns.targets = this.target;
    columns.current = this.current;
    columns.priceUsd = this.priceUsd;
    planOrdersInto(
      columns,
      buyingPowerUsd,
      this.config.min_trade_size,
      this.config.buying_power_scale,
      this.config.buying_power_mode,
      this.legs,
    );
    let kept = 0;
    let blocked = 0;
    const legs = this.legs;
    for (let k = 0; k < legs.legCount; k++) {
      if (blockAdding && legs.legIncreases[k] === 1) {
        blocked++;
        continue;
      }
      this.kept[kept++] = k;
    }
    this.keptCount = kept;
    this.blockedCount = blocked;
  }

  /** The symbol index of kept leg `k`. */
  legSymbol(k: number): number {
    return this.symbol[this.legs.legSymbol[this.kept[k] as number] as number] as number;
  }

  /** Whether kept leg `k` adds gross exposure. */
  increasesAt(k: number): boolean {
    return this.legs.legIncreases[this.kept[k] as number] === 1;
  }

  /** The kind of kept leg `k` (LEG_ADJUST, LEG_CLOSE or LEG_OPEN). */
  kindAt(k: number): number {
    return this.legs.legKind[this.kept[k] as number] as number;
  }

  /** The side of kept leg `k` (+1 buy, -1 sell). */
  sideAt(k: number): number {
    return this.legs.legSide[this.kept[k] as number] as number;
  }

  /** The shares of kept leg `k`. */
  quantityAt(k: number): number {
    return this.legs.legQuantity[this.kept[k] as number] as number;
  }

  /** The plan entry's target after buying-power scaling. */
  scaledTarget(entry: number): number {
    return this.legs.scaledTargets[entry] as number;
  }
}
