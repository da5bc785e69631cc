import { ValidationError } from './errors';
import type { OrderRequest } from './order';

/** The longest client order id any adapter accepts (Alpaca's limit). */
export const MAX_CLIENT_ORDER_ID_LENGTH = 128;

/** The longest symbol an order may name. */
export const MAX_ORDER_SYMBOL_LENGTH = 32;

const SIDES: readonly string[] = ['buy', 'sell'];
const TYPES: readonly string[] = ['market', 'limit'];
const TIMES_IN_FORCE: readonly string[] = ['day', 'gtc'];

/**
 * The broker-port guard: every adapter (and the simulated broker) calls it before an order
 * leaves the process. It throws a {@link ValidationError} naming the field unless the request
 * is one a venue can only read one way: a client order id of 1 to 128 characters, a symbol of
 * 1 to 32 characters without outer blanks or control characters, side buy or sell, a quantity that is a positive safe integer (never NaN,
 * ±Infinity, a fraction or a number past 2^53 that would print as `1e+21`), type market or
 * limit (a limit order with a finite limit price > 0) and time in force day or gtc. Checks
 * particular to one venue (Alpaca's symbol alphabet, the simulator's market-only orders) stay
 * in that adapter.
 */
export function assertOrderRequest(request: OrderRequest): void {
  if (typeof request !== 'object' || request === null)
    throw new ValidationError('request', 'expected an order request object');
  const id = request.clientOrderId;
  const context = { context: { clientOrderId: typeof id === 'string' ? id : undefined } };
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_CLIENT_ORDER_ID_LENGTH) {
    throw new ValidationError(
      'clientOrderId',
      `expected 1 to ${MAX_CLIENT_ORDER_ID_LENGTH} characters, got ${describe(id)}`,
      context,
    );
  }
  const symbol = request.symbol;
  if (
    typeof symbol !== 'string' ||
    symbol.length === 0 ||
    symbol.length > MAX_ORDER_SYMBOL_LENGTH ||
    symbol.trim() !== symbol ||
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    /[\u0000-\u001f\u007f]/.test(symbol)
  ) {
    // Inner blanks are allowed: IBKR names share classes so ("BRK B").
    throw new ValidationError(
      'symbol',
      `expected 1 to ${MAX_ORDER_SYMBOL_LENGTH} characters, no outer blanks or control characters, got ${describe(symbol)}`,
      context,
    );
  }
  if (!SIDES.includes(request.side as string))
    throw new ValidationError(
      'side',
      `expected buy or sell, got ${describe(request.side)}`,
      context,
    );
  const quantity = request.quantity;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new ValidationError(
      'quantity',
      `expected a positive whole number of shares, got ${describe(quantity)}`,
      context,
    );
  }
  if (!TYPES.includes(request.type as string))
    throw new ValidationError(
      'type',
      `expected market or limit, got ${describe(request.type)}`,
      context,
    );
  if (!TIMES_IN_FORCE.includes(request.timeInForce as string)) {
    throw new ValidationError(
      'timeInForce',
      `expected day or gtc, got ${describe(request.timeInForce)}`,
      context,
    );
  }
  const limit = request.limitPriceUsd;
  if (
    request.type === 'limit' &&
    !(typeof limit === 'number' && Number.isFinite(limit) && limit > 0)
  ) {
    throw new ValidationError(
      'limitPriceUsd',
      `a limit order needs a finite price > 0, got ${describe(limit)}`,
      context,
    );
  }
}

/** A short, safe rendering of a bad value for a message (long strings are cut). */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined)
    return String(value);
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
