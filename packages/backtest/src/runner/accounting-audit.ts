import { StateError, type Fill, type Position } from '@quantpipe/core';

/** The largest discrepancies an audit saw (USD). */
export interface AuditSummary {
  /** Steps checked. */
  readonly checks: number;
  /** max |cash + Σ quantity × close − equity|. */
  readonly maxEquityErrorUsd: number;
  /** max |(gross P&L − net P&L) − (fees + slippage)|. */
  readonly maxCostErrorUsd: number;
  readonly feesUsd: number;
  readonly slippageUsd: number;
  /** Cash booked outside trades (the synthetic tail hedge's P&L net of its cost). */
  readonly adjustmentsUsd: number;
  /** Equity without fees and slippage (fills at reference prices), at the last check. */
  readonly grossEquityUsd: number;
}

/** Options of {@link AccountingAudit}. */
export interface AccountingAuditOptions {
  readonly initialCashUsd: number;
  /**
   * Allowed error in USD: `absoluteUsd + relative × |equity|`. Defaults 1e-6 and 1e-9 (a tenth
   * of a cent on a million): room for floating-point rounding summed over many fills, far below
   * any real booking error.
   */
  readonly absoluteToleranceUsd?: number;
  readonly relativeTolerance?: number;
}

/**
 * Checks the broker's books against an independent replay of the fills at every step:
 *
 * - positions equal the fills' running share counts;
 * - cash + Σ quantity × close (the data's close, not the broker's mark) = equity;
 * - gross P&L − net P&L = fees + slippage, where gross P&L replays every fill at its reference
 *   price (the next bar's open) with no commission; and the broker's own fee and slippage totals
 *   equal the sums over the fills.
 *
 * Any violation throws a StateError naming the step and the numbers.
 */
export class AccountingAudit {
  private readonly abs: number;
  private readonly rel: number;
  private grossCashUsd: number;
  private feesUsd = 0;
  private slippageUsd = 0;
  private adjustmentsUsd = 0;
  private readonly quantities = new Map<string, number>();
  private checks = 0;
  private maxEquityErrorUsd = 0;
  private maxCostErrorUsd = 0;
  private grossEquityUsd: number;

  constructor(private readonly options: AccountingAuditOptions) {
    this.abs = options.absoluteToleranceUsd ?? 1e-6;
    this.rel = options.relativeTolerance ?? 1e-9;
    this.grossCashUsd = options.initialCashUsd;
    this.grossEquityUsd = options.initialCashUsd;
  }

  /** Records one execution and the reference price it was quoted at. */
  recordFill(fill: Fill, referencePriceUsd: number): void {
    const sign = fill.side === 'buy' ? 1 : -1;
    this.grossCashUsd -= sign * fill.quantity * referencePriceUsd;
    this.feesUsd += fill.commissionUsd;
    this.slippageUsd += Math.abs(fill.priceUsd - referencePriceUsd) * fill.quantity;
    this.quantities.set(
      fill.symbol,
      (this.quantities.get(fill.symbol) ?? 0) + sign * fill.quantity,
    );
  }

  /** Records cash booked outside trades (e.g. the synthetic tail hedge's P&L); not a cost. */
  recordAdjustment(amountUsd: number): void {
    this.grossCashUsd += amountUsd;
    this.adjustmentsUsd += amountUsd;
  }

  private tolerance(equityUsd: number): number {
    return this.abs + this.rel * Math.abs(equityUsd);
  }

  /**
   * Checks one step. `closeUsd` are the data's closes at the step; `brokerTotals` the broker's
   * own fee and slippage counters.
   */
  check(
    timestamp: string,
    account: { readonly cashUsd: number; readonly equityUsd: number },
    positions: readonly Position[],
    closeUsd: Readonly<Record<string, number>>,
    brokerTotals: {
      readonly feesUsd: number;
      readonly slippageUsd: number;
      readonly adjustmentsUsd?: number;
    },
  ): void {
    const tol = this.tolerance(account.equityUsd);
    const held = new Map<string, number>();
    for (const p of positions) held.set(p.symbol, p.quantity);
    for (const [symbol, quantity] of this.quantities) {
      if ((held.get(symbol) ?? 0) !== quantity) {
        throw new StateError(
          `${timestamp}: broker holds ${held.get(symbol) ?? 0} ${symbol}, the fills add up to ${quantity}`,
          { context: { timestamp, symbol } },
        );
      }
    }
    let positionsValue = 0;
    for (const p of positions) {
      const close = closeUsd[p.symbol];
      if (close === undefined)
        throw new StateError(`${timestamp}: position in ${p.symbol}, which has no price`);
      if (!this.quantities.has(p.symbol)) {
        throw new StateError(`${timestamp}: broker holds ${p.symbol} that no fill bought`, {
          context: { timestamp },
        });
      }
      positionsValue += p.quantity * close;
    }
    const equityError = Math.abs(account.cashUsd + positionsValue - account.equityUsd);
    this.maxEquityErrorUsd = Math.max(this.maxEquityErrorUsd, equityError);
    if (equityError > tol) {
      throw new StateError(
        `${timestamp}: cash ${account.cashUsd} + positions ${positionsValue} != equity ${account.equityUsd}`,
        { context: { timestamp, equityError } },
      );
    }
    this.grossEquityUsd = this.grossCashUsd + positionsValue;
    const costError = Math.abs(
      this.grossEquityUsd - account.equityUsd - (this.feesUsd + this.slippageUsd),
    );
    this.maxCostErrorUsd = Math.max(this.maxCostErrorUsd, costError);
    if (costError > tol) {
      throw new StateError(
        `${timestamp}: gross − net P&L ${this.grossEquityUsd - account.equityUsd} != fees ${this.feesUsd} + slippage ${this.slippageUsd}`,
        { context: { timestamp, costError } },
      );
    }
    const totalsError = Math.max(
      Math.abs(brokerTotals.feesUsd - this.feesUsd),
      Math.abs(brokerTotals.slippageUsd - this.slippageUsd),
      Math.abs((brokerTotals.adjustmentsUsd ?? 0) - this.adjustmentsUsd),
    );
    if (totalsError > tol) {
      throw new StateError(
        `${timestamp}: broker totals (fees ${brokerTotals.feesUsd}, slippage ${brokerTotals.slippageUsd}, adjustments ${brokerTotals.adjustmentsUsd ?? 0}) differ from the records (${this.feesUsd}, ${this.slippageUsd}, ${this.adjustmentsUsd})`,
      );
    }
    this.checks++;
  }

  /** What the audit saw so far. */
  summary(): AuditSummary {
    return {
      checks: this.checks,
      maxEquityErrorUsd: this.maxEquityErrorUsd,
      maxCostErrorUsd: this.maxCostErrorUsd,
      feesUsd: this.feesUsd,
      slippageUsd: this.slippageUsd,
      adjustmentsUsd: this.adjustmentsUsd,
      grossEquityUsd: this.grossEquityUsd,
    };
  }
}
