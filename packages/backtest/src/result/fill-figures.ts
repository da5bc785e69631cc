import type { VenueExecution } from '@quantpipe/execution';

/**
 * One fill's figures: the venue's execution (price, commission, slippage) and the reference
 * price it was quoted at. The fill path keeps one and passes it by reference: numbers passed as
 * arguments to a call the compiler does not inline are boxed, an allocation each per fill.
 */
export interface FillFigures extends VenueExecution {
  /** The reference price (the next open) before slippage. */
  referencePriceUsd: number;
}

/** A fill record to reuse (its fields hold doubles from the start). */
export function newFillFigures(): FillFigures {
  return {
    priceUsd: Number.NaN,
    commissionUsd: Number.NaN,
    slippageUsd: Number.NaN,
    referencePriceUsd: Number.NaN,
  };
}
