import { ValidationError } from '@quantpipe/core';

/** Which order of a symbol's rebalance: a plain adjustment, or the close/open legs of a flip. */
export type OrderLeg = 'adjust' | 'close' | 'open';

const SAFE = /^[A-Za-z0-9._:-]+$/;

/**
 * The deterministic client order id of one order: the same (run, cycle, symbol, leg) always
 * gives the same id, so an order re-submitted after a restart is recognised by the broker as
 * the one it already has. At most 128 characters (Alpaca's limit).
 */
export function clientOrderIdFor(
  runId: string,
  cycle: number,
  symbol: string,
  leg: OrderLeg,
): string {
  if (!SAFE.test(runId))
    throw new ValidationError(
      'runId',
      `only letters, digits and . _ : - are allowed, got ${JSON.stringify(runId)}`,
    );
  if (!Number.isSafeInteger(cycle) || cycle < 1)
    throw new ValidationError('cycle', `expected an integer >= 1, got ${String(cycle)}`);
  if (!SAFE.test(symbol))
    throw new ValidationError('symbol', `unexpected characters in ${JSON.stringify(symbol)}`);
  // join builds one flat string; a template literal builds a tree of concatenations that the
  // broker's lookups flatten and every stored order then keeps alive (~100 bytes an order).
  const id = ['qp', runId, cycle, symbol, leg].join('-');
  if (id.length > 128)
    throw new ValidationError('runId', `client order id longer than 128 characters: ${id}`);
  return id;
}

/** The prefix shared by every client order id of a run. */
export function clientOrderIdPrefix(runId: string): string {
  return `qp-${runId}-`;
}
