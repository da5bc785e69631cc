import type { WireField } from './wire';

/**
 * The server version the emulator announces. 100 is the lowest version `@stoqey/ib` accepts
 * for the length-prefixed protocol; at this version messages still carry a version field and
 * skip every later addition (model codes, order conditions, soft-dollar tiers, ...), which
 * keeps the layouts below small. Every layout mirrors what the client's decoder reads at 100.
 */
export const SERVER_VERSION = 100;

/** Message ids the client sends. */
export const OUT = {
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  REQ_HISTORICAL_DATA: 20,
  CANCEL_HISTORICAL_DATA: 25,
  REQ_CURRENT_TIME: 49,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  START_API: 71,
} as const;

/** Message ids the server sends. */
export const IN = {
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  ACCT_VALUE: 6,
  PORTFOLIO_VALUE: 7,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  HISTORICAL_DATA: 17,
  CURRENT_TIME: 49,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  COMMISSION_REPORT: 59,
  POSITION: 61,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
} as const;

/** The contract fields the emulator reports for a US stock. */
export interface StockContract {
  readonly conId: number;
  readonly symbol: string;
}

/** An order as the emulator reports it. */
export interface OrderView {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly contract: StockContract;
  readonly action: 'BUY' | 'SELL';
  readonly totalQuantity: number;
  readonly orderType: string;
  readonly lmtPrice: number | undefined;
  readonly tif: string;
  readonly account: string;
  readonly orderRef: string;
  /** TWS status text: Submitted, Filled, Cancelled, Inactive, ... */
  readonly status: string;
  readonly filled: number;
  readonly avgFillPrice: number;
  readonly lastFillPrice: number;
}

/** An execution as the emulator reports it. */
export interface ExecutionView {
  readonly execId: string;
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly contract: StockContract;
  /** `YYYYMMDD HH:mm:ss US/Eastern`. */
  readonly time: string;
  /** The same instant in ms since the epoch (not sent; used to filter executions). */
  readonly timeMs: number;
  readonly account: string;
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  readonly price: number;
  readonly cumQty: number;
  readonly avgPrice: number;
  readonly orderRef: string;
  readonly commission: number;
  readonly realizedPnl: number | undefined;
}

/** Double.MAX_VALUE as Java prints it: the protocol's "unset" marker for doubles. */
const UNSET_DOUBLE = '1.7976931348623157E308';

/** ERR_MSG (version 2): an error or notice for a request or order id (-1: none). */
export function errorMessage(id: number, code: number, text: string): WireField[] {
  return [IN.ERR_MSG, 2, id, code, text];
}

/** ORDER_STATUS, message version 6 (server versions below 131 still send the version). */
export function orderStatusMessage(o: OrderView): WireField[] {
  return [
    IN.ORDER_STATUS,
    6,
    o.orderId,
    o.status,
    o.filled,
    o.totalQuantity - o.filled,
    o.avgFillPrice,
    o.permId,
    0,
    o.lastFillPrice,
    o.clientId,
    '',
  ];
}

/** OPEN_ORDER, message version 34 at server version 100 (see the client's OrderDecoder). */
export function openOrderMessage(o: OrderView): WireField[] {
  const c = o.contract;
  return [
    IN.OPEN_ORDER,
    34,
    o.orderId,
    // contract
    c.conId,
    c.symbol,
    'STK',
    '',
    0,
    '',
    '',
    'SMART',
    'USD',
    c.symbol,
    c.symbol,
    // order
    o.action,
    o.totalQuantity,
    o.orderType,
    o.lmtPrice ?? '',
    '',
    o.tif,
    '',
    o.account,
    'O',
    0,
    o.orderRef,
    o.clientId,
    o.permId,
    false, // outsideRth
    0, // hidden
    0, // discretionaryAmt
    '', // goodAfterTime
    '', // sharesAllocation
    '', // faGroup
    '', // faMethod
    '', // faPercentage
    '', // faProfile
    '', // goodTillDate
    '', // rule80A
    '', // percentOffset
    '', // settlingFirm
    0, // shortSaleSlot
    '', // designatedLocation
    -1, // exemptCode
    0, // auctionStrategy
    '', // startingPrice
    '', // stockRefPrice
    '', // delta
    '', // stockRangeLower
    '', // stockRangeUpper
    '', // displaySize
    false, // blockOrder
    false, // sweepToFill
    false, // allOrNone
    '', // minQty
    0, // ocaType
    false, // eTradeOnly
    false, // firmQuoteOnly
    '', // nbboPriceCap
    0, // parentId
    0, // triggerMethod
    '', // volatility
    0, // volatilityType
    '', // deltaNeutralOrderType
    '', // deltaNeutralAuxPrice
    0, // continuousUpdate
    0, // referencePriceType
    '', // trailStopPrice
    '', // trailingPercent
    '', // basisPoints
    '', // basisPointsType
    '', // comboLegsDescription
    0, // comboLegs count
    0, // orderComboLegs count
    0, // smartComboRoutingParams count
    '', // scaleInitLevelSize
    '', // scaleSubsLevelSize
    '', // scalePriceIncrement
    '', // hedgeType
    false, // optOutSmartRouting
    '', // clearingAccount
    '', // clearingIntent
    false, // notHeld
    false, // deltaNeutralContract present
    '', // algoStrategy
    false, // solicited
    false, // whatIf
    o.status,
    '', // initMarginAfter
    '', // maintMarginAfter
    '', // equityWithLoanAfter
    '', // commission
    '', // minCommission
    '', // maxCommission
    '', // commissionCurrency
    '', // warningText
    false, // randomizeSize
    false, // randomizePrice
  ];
}

/** EXECUTION_DATA, message version 10 at server version 100. */
export function executionMessage(reqId: number, e: ExecutionView): WireField[] {
  return [
    IN.EXECUTION_DATA,
    10,
    reqId,
    e.orderId,
    e.contract.conId,
    e.contract.symbol,
    'STK',
    '',
    0,
    '',
    '',
    'SMART',
    'USD',
    e.contract.symbol,
    e.contract.symbol,
    e.execId,
    e.time,
    e.account,
    'SMART',
    e.side,
    e.shares,
    e.price,
    e.permId,
    e.clientId,
    0,
    e.cumQty,
    e.avgPrice,
    e.orderRef,
    '',
    '',
  ];
}

/** COMMISSION_REPORT (version 1); unset doubles are sent as Double.MAX_VALUE. */
export function commissionReportMessage(e: ExecutionView): WireField[] {
  return [
    IN.COMMISSION_REPORT,
    1,
    e.execId,
    e.commission,
    'USD',
    e.realizedPnl ?? UNSET_DOUBLE,
    UNSET_DOUBLE,
    0,
  ];
}

/** POSITION, message version 3 (with trading class and average cost). */
export function positionMessage(
  account: string,
  c: StockContract,
  quantity: number,
  avgCost: number,
): WireField[] {
  return [
    IN.POSITION,
    3,
    account,
    c.conId,
    c.symbol,
    'STK',
    '',
    0,
    '',
    '',
    'SMART',
    'USD',
    c.symbol,
    c.symbol,
    quantity,
    avgCost,
  ];
}

/** PORTFOLIO_VALUE, message version 8. */
export function portfolioValueMessage(
  account: string,
  c: StockContract,
  quantity: number,
  marketPrice: number,
  avgCost: number,
): WireField[] {
  const marketValue = quantity * marketPrice;
  return [
    IN.PORTFOLIO_VALUE,
    8,
    c.conId,
    c.symbol,
    'STK',
    '',
    0,
    '',
    '',
    'NASDAQ',
    'USD',
    c.symbol,
    c.symbol,
    quantity,
    marketPrice,
    marketValue,
    avgCost,
    marketValue - quantity * avgCost,
    0,
    account,
  ];
}

/** One bar row of a HISTORICAL_DATA message. */
export interface HistoricalRow {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** HISTORICAL_DATA, message version 3 (with start/end strings and bar counts). */
export function historicalDataMessage(
  reqId: number,
  startText: string,
  endText: string,
  rows: readonly HistoricalRow[],
): WireField[] {
  const fields: WireField[] = [IN.HISTORICAL_DATA, 3, reqId, startText, endText, rows.length];
  for (const r of rows) {
    const wap = (r.high + r.low + r.close) / 3;
    fields.push(r.date, r.open, r.high, r.low, r.close, r.volume, wap, false, 1);
  }
  return fields;
}
