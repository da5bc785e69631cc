import { NotFoundError } from '@quantpipe/core';
import { slippageBps, tradeCostUsd } from '@quantpipe/risk';
import type { EngineConfig } from '../engine-config';
import type { MarketFigures } from './market-figures';
import type { FlowLegs } from './order-flow';
import { newPlanBuffers, planOrdersInto, type PlanBuffers } from './plan-orders-into';
import type { SymbolTable } from './symbol-table';

/** What {@link CyclePlan} needs of the engine configuration. */
export type CyclePlanConfig = Pick<
  EngineConfig,
  'min_trade_size' | 'buying_power_scale' | 'buying_power_mode' | 'on_loss_breach'
>;

/** One line of the pre-trade cost estimate (spec 6.3), handed to a logger. */
export type CostLineSink = (
  symbol: number,
  deltaShares: number,
  priceUsd: number,
  participation: number | null,
  slippageBps: number,
  costUsd: number,
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

  constructor(
    private readonly config: CyclePlanConfig,
    private readonly symbols: SymbolTable,
  ) {
    const capacity = symbols.capacity;
    this.symbol = new Int32Array(capacity);
    this.target = new Float64Array(capacity);
    this.current = new Float64Array(capacity);
    this.priceUsd = new Float64Array(capacity);
    this.legs = newPlanBuffers(capacity);
    this.kept = new Int32Array(2 * capacity);
  }

  /** Clears the plan for a new cycle with room for `capacity` entries. */
  reset(capacity: number): void {
    this.count = 0;
    this.keptCount = 0;
    this.blockedCount = 0;
    this.liquidation = false;
    this.estimatedCostUsd = 0;
    if (this.symbol.length >= capacity) return;
    this.symbol = new Int32Array(capacity);
    this.target = new Float64Array(capacity);
    this.current = new Float64Array(capacity);
    this.priceUsd = new Float64Array(capacity);
    (this as { legs: PlanBuffers }).legs = newPlanBuffers(capacity);
    this.kept = new Int32Array(2 * capacity);
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
   * targets, so a closing trade is estimated as free); `onLine` receives each line. A traded
   * symbol without market figures is a NotFoundError, except in a liquidation, which leaves it
   * out of the estimate.
   */
  estimateCost(figures: MarketFigures, onLine?: CostLineSink): number {
    let total = 0;
    for (let i = 0; i < this.count; i++) {
      const target = this.target[i] as number;
      if (target === 0) continue;
      const delta = target - (this.current[i] as number);
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
      const priceUsd = figures.priceUsd[index] as number;
      const adv = figures.adv[index] as number;
      const bps = slippageBps(delta, adv, figures.volatility[index] as number);
      const costUsd = tradeCostUsd(Math.abs(delta) * priceUsd, bps);
      total += costUsd;
      if (onLine !== undefined)
        onLine(index, delta, priceUsd, adv === 0 ? null : Math.abs(delta) / adv, bps, costUsd);
    }
    this.estimatedCostUsd = total;
    return total;
  }

  /**
   * Plans the orders (spec 7.1) with the account's buying power, then keeps the legs that may
   * go: all of them, or only the reducing ones when `blockAdding` (a verdict that forbids new
   * exposure, or a liquidation).
   */
  planOrders(buyingPowerUsd: number, blockAdding: boolean): void {
    planOrdersInto(
      {
        count: this.count,
        targets: this.target,
        current: this.current,
        priceUsd: this.priceUsd,
        describe: (i) => this.symbols.name(this.symbol[i] as number),
      },
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
