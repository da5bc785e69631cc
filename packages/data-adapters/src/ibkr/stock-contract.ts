import { SecType, type Contract } from '@stoqey/ib';

/** A US stock on SMART routing. */
export function stockContract(symbol: string): Contract {
  return { symbol, secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
}
