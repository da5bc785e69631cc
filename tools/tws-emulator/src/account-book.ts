import type { ExecutionView, OrderView, StockContract } from './protocol';
import { formatTwsTime } from './ny-time';

/** A position as the emulator books it. */
export interface BookPosition {
  readonly contract: StockContract;
  /** Signed shares. */
  quantity: number;
  /** Average cost per share, commission included (as TWS reports it). */
  avgCost: number;
}

/** Mutable order record (the emulator's own state). */
export interface BookOrder {
  orderId: number;
  clientId: number;
  permId: number;
  contract: StockContract;
  action: 'BUY' | 'SELL';
  totalQuantity: number;
  orderType: string;
  lmtPrice: number | undefined;
  tif: string;
  account: string;
  orderRef: string;
  status: string;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
}

/** What a fill does to the account. */
export interface BookedFill {
  readonly execution: ExecutionView;
}

/**
 * Commission of the fixed US-stock schedule: USD 0.005 a share, at least USD 1.00, at most
 * 1 % of the trade value.
 */
export function commissionUsd(shares: number, priceUsd: number): number {
  const raw = Math.max(1, 0.005 * shares);
  return Math.round(Math.min(raw, 0.01 * shares * priceUsd) * 1e6) / 1e6;
}

/** A stable contract id per symbol (a small string hash), as TWS gives every contract one. */
export function conIdOf(symbol: string): number {
  let h = 7;
  for (let i = 0; i < symbol.length; i++) h = (h * 31 + symbol.charCodeAt(i)) % 900_000_000;
  return 100_000 + h;
}

/** Options of {@link AccountBook}. */
export interface AccountBookOptions {
  readonly accountId: string;
  readonly cashUsd: number;
  /** Buying power = net liquidation × leverage − gross position value. 1 = cash account. */
  readonly leverage: number;
}

/**
 * The emulated account: cash, positions, orders and executions. It lives as long as the
 * emulator process, so it survives client reconnects.
 */
export class AccountBook {
  readonly accountId: string;
  cashUsd: number;
  readonly leverage: number;
  readonly positions = new Map<string, BookPosition>();
  readonly orders = new Map<number, BookOrder>();
  readonly executions: ExecutionView[] = [];
  /** Net liquidation when the emulator started: reported as the previous day's equity. */
  private readonly startEquityUsd: number;
  private lastOrderId = 0;
  private lastPermId = 1_000_000;
  private lastExecSeq = 0;

  constructor(options: AccountBookOptions) {
    this.accountId = options.accountId;
    this.cashUsd = options.cashUsd;
    this.leverage = options.leverage;
    this.startEquityUsd = options.cashUsd;
  }

  /** The next order id to hand to a connecting client. */
  nextOrderId(): number {
    return this.lastOrderId + 1;
  }

  /** Records that an order id was used. */
  useOrderId(orderId: number): void {
    this.lastOrderId = Math.max(this.lastOrderId, orderId);
  }

  newPermId(): number {
    return ++this.lastPermId;
  }

  /** Account values at the given prices. */
  values(priceOf: (symbol: string) => number): {
    netLiquidationUsd: number;
    grossPositionValueUsd: number;
    buyingPowerUsd: number;
    previousEquityUsd: number;
  } {
    let net = this.cashUsd;
    let gross = 0;
    for (const p of this.positions.values()) {
      const value = p.quantity * priceOf(p.contract.symbol);
      net += value;
      gross += Math.abs(value);
    }
    return {
      netLiquidationUsd: net,
      grossPositionValueUsd: gross,
      // Not floored at 0: IBKR reports a levered account's deficit as negative buying power.
      buyingPowerUsd: net * this.leverage - gross,
      previousEquityUsd: this.startEquityUsd,
    };
  }

  /**
   * Why an order cannot be accepted at `priceUsd`, or undefined. Only the part of an order
   * that adds exposure needs buying power (reducing a position never does).
   */
  rejectionReason(
    order: BookOrder,
    priceUsd: number,
    priceOf: (s: string) => number,
  ): string | undefined {
    const held = this.positions.get(order.contract.symbol)?.quantity ?? 0;
    const signed = order.action === 'BUY' ? order.totalQuantity : -order.totalQuantity;
    const addedShares = Math.max(0, Math.abs(held + signed) - Math.abs(held));
    if (addedShares === 0) return undefined;
    const needed = addedShares * priceUsd + commissionUsd(order.totalQuantity, priceUsd);
    const available = this.values(priceOf).buyingPowerUsd;
    if (needed > available + 1e-9) {
      return `Insufficient buying power: order needs USD ${needed.toFixed(2)}, available USD ${available.toFixed(2)}`;
    }
    return undefined;
  }

  /** Fills the rest of an order at `priceUsd` and books cash, position and execution. */
  fill(order: BookOrder, priceUsd: number, nowMs: number): ExecutionView {
    const shares = order.totalQuantity - order.filled;
    const commission = commissionUsd(shares, priceUsd);
    const signed = order.action === 'BUY' ? shares : -shares;
    const symbol = order.contract.symbol;
    const pos = this.positions.get(symbol) ?? { contract: order.contract, quantity: 0, avgCost: 0 };
    let realizedPnl: number | undefined;
    const newQty = pos.quantity + signed;
    if (pos.quantity === 0 || Math.sign(pos.quantity) === Math.sign(signed)) {
      // Opening or adding: the average cost absorbs price and commission.
      pos.avgCost = (pos.quantity * pos.avgCost + signed * priceUsd + commission) / newQty;
    } else {
      const closed = Math.min(Math.abs(pos.quantity), shares);
      realizedPnl = closed * (priceUsd - pos.avgCost) * Math.sign(pos.quantity) - commission;
      if (Math.sign(newQty) === Math.sign(signed) && newQty !== 0) pos.avgCost = priceUsd;
    }
    pos.quantity = newQty;
    if (newQty === 0) this.positions.delete(symbol);
    else this.positions.set(symbol, pos);
    this.cashUsd += -signed * priceUsd - commission;

    order.avgFillPrice =
      (order.avgFillPrice * order.filled + priceUsd * shares) / (order.filled + shares);
    order.filled += shares;
    order.lastFillPrice = priceUsd;
    order.status = 'Filled';
    const execution: ExecutionView = {
      execId: `0000e0d5.${(++this.lastExecSeq).toString(16).padStart(8, '0')}.01.01`,
      orderId: order.orderId,
      clientId: order.clientId,
      permId: order.permId,
      contract: order.contract,
      time: formatTwsTime(nowMs),
      timeMs: nowMs,
      account: order.account,
      side: order.action === 'BUY' ? 'BOT' : 'SLD',
      shares,
      price: priceUsd,
      cumQty: order.filled,
      avgPrice: order.avgFillPrice,
      orderRef: order.orderRef,
      commission,
      realizedPnl,
    };
    this.executions.push(execution);
    return execution;
  }

  /** A snapshot of an order for the wire. */
  view(order: BookOrder): OrderView {
    return { ...order };
  }
}
