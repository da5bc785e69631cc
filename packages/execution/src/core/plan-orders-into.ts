import { ValidationError } from '@quantpipe/core';

/** Leg kinds as stored in {@link PlanBuffers.legKind}. */
export const LEG_ADJUST = 0;
export const LEG_CLOSE = 1;
export const LEG_OPEN = 2;

/** What the buying-power scaling multiplies (see `OrderPlanInput.buyingPowerMode`). */
export type BuyingPowerMode = 'deltas' | 'targets';

/**
 * The inputs of one order plan as columns: symbol `i` is entry `i` of each column (plans are
 * built and their legs emitted in index order).
 */
export interface PlanColumns {
  /** Symbols in the plan: the first `count` entries. */
  readonly count: number;
  /** Target signed shares (whole numbers). */
  readonly targets: ArrayLike<number>;
  /** Current signed shares. */
  readonly current: ArrayLike<number>;
  /**
   * Price used to value the trades, USD: > 0 where a trade needs buying power (every trade in
   * `targets` mode, a trade with an exposure-increasing part in `deltas` mode); NaN allowed
   * elsewhere.
   */
  readonly priceUsd: ArrayLike<number>;
  /** Names the symbol of entry `i` in error messages. */
  readonly describe: (i: number) => string;
}

/** Where {@link planOrdersInto} writes a plan (allocate once with {@link newPlanBuffers}). */
export interface PlanBuffers {
  /** Targets after buying-power scaling, by entry. */
  readonly scaledTargets: Float64Array;
  /** Legs in execution order: every exposure-reducing leg, then every exposure-adding one. */
  legCount: number;
  /** Entry index of each leg. */
  readonly legSymbol: Int32Array;
  /** LEG_ADJUST, LEG_CLOSE or LEG_OPEN. */
  readonly legKind: Uint8Array;
  /** +1 buy, -1 sell. */
  readonly legSide: Int8Array;
  /** Shares (> 0). */
  readonly legQuantity: Float64Array;
  /** 1 when the leg adds gross exposure. */
  readonly legIncreases: Uint8Array;
  /** `(buying_power / notional_needed) * scale` when scaling applied, else NaN. */
  scaleFactor: number;
  /** Notional that needs buying power, before scaling (USD). */
  notionalNeededUsd: number;
}

/** Buffers for plans of up to `capacity` symbols (a flip makes two legs). */
export function newPlanBuffers(capacity: number): PlanBuffers {
  return {
    scaledTargets: new Float64Array(capacity),
    legCount: 0,
    legSymbol: new Int32Array(2 * capacity),
    legKind: new Uint8Array(2 * capacity),
    legSide: new Int8Array(2 * capacity),
    legQuantity: new Float64Array(2 * capacity),
    legIncreases: new Uint8Array(2 * capacity),
    scaleFactor: Number.NaN,
    notionalNeededUsd: 0,
  };
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
 * The spec's order flow (7.1) over columns, into `out` (allocates nothing): the buying-power
 * check with its scaling (`scale = buying_power / notional_needed * buyingPowerScale`),
 * `min_trade_size`, and the flip rule (short→long and long→short close first, then open).
 * In `deltas` mode only the exposure-increasing part of each trade is scaled; `targets` scales
 * every target as the seed does. Nothing is scaled when no trade needs buying power, so a plan
 * of reductions is never touched by the account's buying power (even when it is negative).
 */
export function planOrdersInto(
  cols: PlanColumns,
  buyingPowerUsd: number,
  minTradeSize: number,
  buyingPowerScale: number,
  mode: BuyingPowerMode,
  out: PlanBuffers,
): void {
  if (!Number.isFinite(buyingPowerUsd))
    throw new ValidationError('buyingPowerUsd', 'expected a finite number');
  const n = cols.count;
  const { targets, current, priceUsd } = cols;
  let notionalNeededUsd = 0;
  for (let i = 0; i < n; i++) {
    const target = targets[i] as number;
    if (!Number.isSafeInteger(target))
      throw new ValidationError(
        `targets.${cols.describe(i)}`,
        `expected whole shares, got ${String(target)}`,
      );
    const held = current[i] as number;
    const delta = target - held;
    if (Math.abs(delta) >= minTradeSize && delta !== 0) {
      // In `deltas` mode a pure reduction needs no buying power and its price is not used: a
      // liquidation of a position without market figures (price NaN) must still go.
      const adding = mode === 'targets' ? 0 : increasingShares(held, target);
      if (mode === 'deltas' && adding === 0) continue;
      const price = priceUsd[i] as number;
      if (!Number.isFinite(price) || price <= 0) {
        throw new ValidationError(
          `pricesUsd.${cols.describe(i)}`,
          `expected a price > 0, got ${String(price)}`,
        );
      }
      notionalNeededUsd += mode === 'targets' ? Math.abs(delta * price) : adding * price;
    }
  }
  const scaled = out.scaledTargets;
  let scaleFactor = Number.NaN;
  if (notionalNeededUsd > 0 && notionalNeededUsd > buyingPowerUsd) {
    scaleFactor = (Math.max(0, buyingPowerUsd) / notionalNeededUsd) * buyingPowerScale;
    for (let i = 0; i < n; i++) {
      const target = targets[i] as number;
      if (mode === 'targets') {
        scaled[i] = trunc(target * scaleFactor);
        continue;
      }
      // Only the exposure-increasing part is scaled (toward zero shares).
      const held = current[i] as number;
      const adding = increasingShares(held, target);
      const kept = Math.sign(target) * (Math.abs(target) - adding);
      scaled[i] = trunc(kept + Math.sign(target) * Math.trunc(adding * scaleFactor));
    }
  } else {
    for (let i = 0; i < n; i++) scaled[i] = targets[i] as number;
  }
  // Reducing legs are written from the front; adding legs after them in a second pass.
  let legs = 0;
  for (let pass = 0; pass < 2; pass++) {
    const wantAdding = pass === 1;
    for (let i = 0; i < n; i++) {
      const target = scaled[i] as number;
      const held = current[i] as number;
      const delta = target - held;
      if (Math.abs(delta) < minTradeSize || delta === 0) continue;
      if ((held < 0 && target > 0) || (held > 0 && target < 0)) {
        // A flip: its close leg reduces, its open leg adds.
        if (!wantAdding)
          legs = writeLeg(out, legs, i, LEG_CLOSE, held < 0 ? 1 : -1, Math.abs(held), 0);
        else legs = writeLeg(out, legs, i, LEG_OPEN, target > 0 ? 1 : -1, Math.abs(target), 1);
      } else {
        const increases = Math.abs(target) > Math.abs(held);
        if (increases === wantAdding)
          legs = writeLeg(
            out,
            legs,
            i,
            LEG_ADJUST,
            delta > 0 ? 1 : -1,
            Math.abs(delta),
            increases ? 1 : 0,
          );
      }
    }
  }
  out.legCount = legs;
  out.scaleFactor = scaleFactor;
  out.notionalNeededUsd = notionalNeededUsd;
}

function writeLeg(
  out: PlanBuffers,
  at: number,
  symbol: number,
  kind: number,
  side: number,
  quantity: number,
  increases: number,
): number {
  out.legSymbol[at] = symbol;
  out.legKind[at] = kind;
  out.legSide[at] = side;
  out.legQuantity[at] = quantity;
  out.legIncreases[at] = increases;
  return at + 1;
}
