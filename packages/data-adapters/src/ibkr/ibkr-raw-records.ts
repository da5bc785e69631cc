import type {
  CommissionReport,
  Contract,
  Execution,
  Order as IbOrder,
  OrderState,
} from '@stoqey/ib';

/** One bar row as TWS sends it (date text still unparsed). */
export interface RawHistoricalBar {
  readonly time: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** An open order with its last status. */
export interface RawOpenOrder {
  readonly orderId: number;
  readonly contract: Contract;
  readonly order: IbOrder;
  readonly state: OrderState;
  readonly status?: { status: string; filled: number; remaining: number; avgFillPrice: number };
}

/** An execution with its commission, when reported. */
export interface RawExecution {
  readonly contract: Contract;
  readonly execution: Execution;
  readonly commission?: CommissionReport;
}

/** A position from POSITION plus its mark from PORTFOLIO_VALUE. */
export interface RawPosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly avgCost: number;
  readonly marketPrice?: number;
}

/** Order events the broker follows (routed by order id). */
export type OrderEvent =
  | {
      readonly kind: 'status';
      readonly orderId: number;
      readonly status: string;
      readonly filled: number;
      readonly remaining: number;
      readonly avgFillPrice: number;
    }
  | { readonly kind: 'open'; readonly open: RawOpenOrder }
  | { readonly kind: 'execution'; readonly execution: RawExecution }
  | { readonly kind: 'commission'; readonly report: CommissionReport }
  | {
      readonly kind: 'error';
      readonly orderId: number;
      readonly code: number;
      readonly message: string;
    }
  | { readonly kind: 'disconnected' };
