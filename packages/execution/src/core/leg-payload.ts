import type { TimeInForce } from '@quantpipe/core';
import type { OrderLeg } from '../client-order-id';

// A type alias (not an interface) so a leg is a JsonObject as it is: it is journaled as such.
/** One order of a cycle as journaled in its decision and in its `order_intent`. */
export type LegPayload = {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly leg: OrderLeg;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly timeInForce: TimeInForce;
  readonly increasesExposure: boolean;
};
