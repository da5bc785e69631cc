import { ValidationError } from '@quantpipe/core';
import type { OrderLeg } from './client-order-id';

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

/** See {@link OrderPlanInput.buyingPowerMode}. */
export type BuyingPowerMode = 'deltas' | 'targets';

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

/** `int()` toward zero without -0. */
function trunc(x: number): number {
  const t = Math.trunc(x);
  return t === 0 ? 0 : t;
}

/** Shares of a trade from `held` to `target` that add gross exposure. */
function increasingShares(held: number, target: number): number {
  if (held === 0 || Math.sign(held) !== Math.sign(target)) return Math.abs(target);
  return Math.max(0, Math.abs(target) - Math.abs(held));
}

/**
 * The spec's order flow (7.1) as a pure function: the buying-power check with the 0.95 scaling
 * (`scale = buying_power / notional_needed * 0.95`), `min_trade_size`, and the flip rule
 * (short→long and long→short close first, then open). See {@link OrderPlanInput.buyingPowerMode}
 * for what the scaling applies to; the seed's literal `targets` reading is kept as an option.
 */
export function planOrders(input: OrderPlanInput): OrderPlan {
  const { targets, current, pricesUsd, minTradeSize } = input;
  const mode: BuyingPowerMode = input.buyingPowerMode ?? 'deltas';
  if (!Number.isFinite(input.buyingPowerUsd))
    throw new ValidationError('buyingPowerUsd', 'expected a finite number');
  const symbols = Object.keys(targets);
  let notionalNeededUsd = 0;
  for (const symbol of symbols) {
    const target = targets[symbol] as number;
    if (!Number.isSafeInteger(target))
      throw new ValidationError(
        `targets.${symbol}`,
        `expected whole shares, got ${String(target)}`,
      );
    const delta = target - (current[symbol] ?? 0);
    if (Math.abs(delta) >= minTradeSize && delta !== 0) {
      const price = pricesUsd[symbol];
      if (price === undefined || !Number.isFinite(price) || price <= 0) {
        throw new ValidationError(
          `pricesUsd.${symbol}`,
          `expected a price > 0, got ${String(price)}`,
        );
      }
      const held = current[symbol] ?? 0;
      notionalNeededUsd +=
        mode === 'targets' ? Math.abs(delta * price) : increasingShares(held, target) * price;
    }
  }
  let scaleFactor: number | null = null;
  let scaled: Record<string, number> = { ...targets };
  // Only trades that need buying power are scaled: with nothing to buy (every trade reduces
  // exposure, as a flatten does) there is nothing to scale, whatever the buying power — also
  // when it is zero or negative, as IBKR reports it on a levered account (0 / 0 would be NaN).
  if (notionalNeededUsd > 0 && notionalNeededUsd > input.buyingPowerUsd) {
    scaleFactor = (Math.max(0, input.buyingPowerUsd) / notionalNeededUsd) * input.buyingPowerScale;
    scaled = {};
    for (const symbol of symbols) {
      const target = targets[symbol] as number;
      if (mode === 'targets') {
        scaled[symbol] = trunc(target * scaleFactor);
        continue;
      }
      // Only the exposure-increasing part is scaled (toward zero shares).
      const held = current[symbol] ?? 0;
      const adding = increasingShares(held, target);
      const kept = Math.sign(target) * (Math.abs(target) - adding);
      scaled[symbol] = trunc(kept + Math.sign(target) * Math.trunc(adding * scaleFactor));
    }
  }
  const reducing: PlannedLeg[] = [];
  const adding: PlannedLeg[] = [];
  for (const symbol of symbols) {
    const target = scaled[symbol] as number;
    const held = current[symbol] ?? 0;
    const delta = target - held;
    if (Math.abs(delta) < minTradeSize || delta === 0) continue;
    if (held < 0 && target > 0) {
      reducing.push({
        symbol,
        leg: 'close',
        side: 'buy',
        quantity: -held,
        increasesExposure: false,
      });
      adding.push({ symbol, leg: 'open', side: 'buy', quantity: target, increasesExposure: true });
    } else if (held > 0 && target < 0) {
      reducing.push({
        symbol,
        leg: 'close',
        side: 'sell',
        quantity: held,
        increasesExposure: false,
      });
      adding.push({
        symbol,
        leg: 'open',
        side: 'sell',
        quantity: -target,
        increasesExposure: true,
      });
    } else {
      const increases = Math.abs(target) > Math.abs(held);
      const leg: PlannedLeg = {
        symbol,
        leg: 'adjust',
        side: delta > 0 ? 'buy' : 'sell',
        quantity: Math.abs(delta),
        increasesExposure: increases,
      };
      (increases ? adding : reducing).push(leg);
    }
  }
  return { targets: scaled, scaleFactor, notionalNeededUsd, legs: [...reducing, ...adding] };
}
