import { ValidationError } from '@quantpipe/core';
import type { OrderSide, Position } from '@quantpipe/core';

/** A proposed order, as far as exposure is concerned. */
export interface ProposedOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Positive share count. */
  readonly quantity: number;
}

/** Current holdings: core positions (an array, one per symbol) or a map symbol -> signed shares. */
export type Holdings =
  readonly Pick<Position, 'symbol' | 'quantity'>[] | Readonly<Record<string, number>>;

/** Signed shares held in `symbol` (0 when not held). Duplicate symbols throw a {@link ValidationError}. */
export function heldQuantity(holdings: Holdings, symbol: string): number {
  if (Array.isArray(holdings)) {
    let found: number | undefined;
    for (const p of holdings as readonly Pick<Position, 'symbol' | 'quantity'>[]) {
      if (p.symbol !== symbol) continue;
      if (found !== undefined) {
        throw new ValidationError('positions', `symbol ${symbol} appears more than once`);
      }
      found = p.quantity;
    }
    return checkQuantity(symbol, found ?? 0);
  }
  const map = holdings as Readonly<Record<string, number>>;
  return checkQuantity(
    symbol,
    Object.prototype.hasOwnProperty.call(map, symbol) ? (map[symbol] as number) : 0,
  );
}

function checkQuantity(symbol: string, q: number): number {
  if (typeof q !== 'number' || !Number.isFinite(q)) {
    throw new ValidationError(
      'positions',
      `quantity of ${symbol} must be finite, got ${String(q)}`,
    );
  }
  return q;
}

/**
 * Whether an order adds exposure. An order is risk-reducing only when the resulting position
 * lies between 0 and the current position on the same side (inclusive): selling 40 of a long
 * 100 reduces; selling 150 of a long 100 flips to a 50 short, which opens new exposure and
 * counts as increasing (the engine closes first and opens the new side as a separate order).
 * Any order on a flat symbol is increasing.
 */
export function isExposureIncreasing(order: ProposedOrder, holdings: Holdings): boolean {
  if (typeof order.symbol !== 'string' || order.symbol === '') {
    throw new ValidationError('order.symbol', 'expected a non-empty symbol');
  }
  if (order.side !== 'buy' && order.side !== 'sell') {
    throw new ValidationError('order.side', `expected buy or sell, got ${String(order.side)}`);
  }
  if (
    typeof order.quantity !== 'number' ||
    !Number.isFinite(order.quantity) ||
    order.quantity <= 0
  ) {
    throw new ValidationError(
      'order.quantity',
      `expected a finite number > 0, got ${String(order.quantity)}`,
    );
  }
  const current = heldQuantity(holdings, order.symbol);
  const after = current + (order.side === 'buy' ? order.quantity : -order.quantity);
  if (current > 0) return !(after >= 0 && after <= current);
  if (current < 0) return !(after <= 0 && after >= current);
  return true;
}
