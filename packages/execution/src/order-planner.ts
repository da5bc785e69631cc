import type { OrderLeg } from './client-order-id';
import { newPlanBuffers, planOrdersInto, type BuyingPowerMode } from './core/plan-orders-into';

export type { BuyingPowerMode } from './core/plan-orders-into';

/** Input of {@link planOrders}. */
export interface OrderPlanInput {
  /** Target signed shares per symbol (symbols absent here are left alone). */
  readonly targets: Readonly<Record<string, number>>;
  /** Current signed shares per symbol (absent = 0). */
  readonly current: Readonly<Record<string, number>>;
  /** Price per symbol used to value the trades (USD). */
  readonly pricesUsd: Readonly<Record<string, number>>;
  readonly buyingPowerUsd: number;
  /** Trades smaller than this many shares are skipped. */
  readonly minTradeSize: number;
  /** The spec's 0.95 safety factor on buying-power scaling. */
  readonly buyingPowerScale: number;
  /**
   * What the buying-power scaling applies to. `targets` is the seed as written: every target is
   * multiplied, so a shortfall of one dollar on a fully margined book sells most of it (and the
   * next cycle buys it back). `deltas` (default) applies the same factor to what needs buying
   * power: the exposure-increasing part of each trade; reductions and held positions stay.
   */
  readonly buyingPowerMode?: BuyingPowerMode;
}

/** One order leg of a plan (before ids and time in force are attached). */
export interface PlannedLeg {
  readonly symbol: string;
  readonly leg: OrderLeg;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  /** Whether the leg adds gross exposure (an open leg, or an adjust away from zero). */
  readonly increasesExposure: boolean;
}

/** Output of {@link planOrders}. */
export interface OrderPlan {
  /** Targets after buying-power scaling. */
  readonly targets: Readonly<Record<string, number>>;
  /** `(buying_power / notional_needed) * 0.95` when scaling applied, else null. */
  readonly scaleFactor: number | null;
  /**
   * Notional that needs buying power, before scaling (USD): Σ |delta × price| over trades of at
   * least min_trade_size (`targets` mode, as the seed), or over their exposure-increasing parts
   * only (`deltas` mode).
   */
  readonly notionalNeededUsd: number;
  /**
   * Legs in execution order: first every leg that reduces exposure (closes of flips and
   * reductions), then every leg that adds exposure. An open leg of a flip always comes after
   * its close leg, and the engine sends it only once the close has filled.
   */
  readonly legs: readonly PlannedLeg[];
}

const LEG_NAMES: readonly OrderLeg[] = ['adjust', 'close', 'open'];

/**
 * The spec's order flow (7.1) as a pure function: the buying-power check with the 0.95 scaling
 * (`scale = buying_power / notional_needed * 0.95`), `min_trade_size`, and the flip rule
 * (short→long and long→short close first, then open). See {@link OrderPlanInput.buyingPowerMode}
 * for what the scaling applies to; the seed's literal `targets` reading is kept as an option.
 * The plan is {@link planOrdersInto}'s, over the symbols of `targets` in their key order.
 */
export function planOrders(input: OrderPlanInput): OrderPlan {
  const { targets, current, pricesUsd } = input;
  const symbols = Object.keys(targets);
  const n = symbols.length;
  const out = newPlanBuffers(n);
  planOrdersInto(
    {
      count: n,
      targets: symbols.map((s) => targets[s] as number),
      current: symbols.map((s) => current[s] ?? 0),
      priceUsd: symbols.map((s) => pricesUsd[s] ?? Number.NaN),
      describe: (i) => symbols[i] as string,
    },
    input.buyingPowerUsd,
    input.minTradeSize,
    input.buyingPowerScale,
    input.buyingPowerMode ?? 'deltas',
    out,
  );
  const scaled: Record<string, number> = {};
  for (let i = 0; i < n; i++) scaled[symbols[i] as string] = out.scaledTargets[i] as number;
  const legs: PlannedLeg[] = [];
  for (let k = 0; k < out.legCount; k++) {
    const kind = out.legKind[k] as number;
    legs.push({
      symbol: symbols[out.legSymbol[k] as number] as string,
      leg: LEG_NAMES[kind] as OrderLeg,
      side: out.legSide[k] === 1 ? 'buy' : 'sell',
      quantity: out.legQuantity[k] as number,
      increasesExposure: out.legIncreases[k] === 1,
    });
  }
  return {
    targets: scaled,
    scaleFactor: Number.isNaN(out.scaleFactor) ? null : out.scaleFactor,
    notionalNeededUsd: out.notionalNeededUsd,
    legs,
  };
}
