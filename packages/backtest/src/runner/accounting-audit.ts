import { StateError, type Fill, type Position } from '@quantpipe/core';
import { SymbolTable } from '@quantpipe/execution';

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
  /** The symbol indices of the venue it audits (indexed checks use them). */
  readonly symbols?: SymbolTable;
}

/** A simulated venue's book as the indexed audit reads it. */
export interface AuditedBook {
  readonly cashUsd: number;
  equityUsd(): number;
  quantityOf(index: number): number;
  holds(index: number): boolean;
  readonly feesUsd: number;
  readonly slippageUsd: number;
  readonly adjustmentsUsd: number;
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
  private readonly symbols: SymbolTable;
  private quantities = new Float64Array(0);
  /** 1 where a fill of the symbol was recorded. */
  private filled = new Uint8Array(0);
  private readonly filledSymbols: number[] = [];
  private checks = 0;
  private maxEquityErrorUsd = 0;
  private maxCostErrorUsd = 0;
  private grossEquityUsd: number;

  constructor(private readonly options: AccountingAuditOptions) {
    this.abs = options.absoluteToleranceUsd ?? 1e-6;
    this.rel = options.relativeTolerance ?? 1e-9;
    this.grossCashUsd = options.initialCashUsd;
    this.grossEquityUsd = options.initialCashUsd;
    this.symbols = options.symbols ?? new SymbolTable([]);
  }

  private slotOf(symbol: number): void {
    if (symbol >= this.quantities.length) {
      const size = Math.max(this.symbols.capacity, symbol + 1);
      const q = new Float64Array(size);
      q.set(this.quantities);
      this.quantities = q;
      const f = new Uint8Array(size);
      f.set(this.filled);
      this.filled = f;
    }
  }

  /** Records one execution and the reference price it was quoted at. */
  recordFill(fill: Fill, referencePriceUsd: number): void {
    this.recordExecution(
      this.symbols.add(fill.symbol),
      fill.side === 'buy' ? 1 : -1,
      fill.quantity,
      fill.priceUsd,
      referencePriceUsd,
      fill.commissionUsd,
    );
  }

  /** {@link AccountingAudit.recordFill} by symbol index (+1 buy, -1 sell). */
  recordExecution(
    symbol: number,
    side: number,
    quantity: number,
    priceUsd: number,
    referencePriceUsd: number,
    commissionUsd: number,
  ): void {
    this.grossCashUsd -= side * quantity * referencePriceUsd;
    this.feesUsd += commissionUsd;
    this.slippageUsd += Math.abs(priceUsd - referencePriceUsd) * quantity;
    this.slotOf(symbol);
    if (this.filled[symbol] !== 1) {
      this.filled[symbol] = 1;
      this.filledSymbols.push(symbol);
    }
    this.quantities[symbol] = (this.quantities[symbol] as number) + side * quantity;
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
    const held = new Map<string, number>();
    for (const p of positions) held.set(p.symbol, p.quantity);
    for (const symbol of this.filledSymbols) {
      const name = this.symbols.name(symbol);
      this.compareQuantity(timestamp, name, held.get(name) ?? 0, this.quantities[symbol] as number);
    }
    let positionsValue = 0;
    for (const p of positions) {
      const close = closeUsd[p.symbol];
      if (close === undefined)
        throw new StateError(`${timestamp}: position in ${p.symbol}, which has no price`);
      const index = this.symbols.find(p.symbol);
      if (index < 0 || this.filled[index] !== 1) this.unexplained(timestamp, p.symbol);
      positionsValue += p.quantity * close;
    }
    this.verify(timestamp, account.cashUsd, account.equityUsd, positionsValue, brokerTotals);
  }

  /**
   * {@link AccountingAudit.check} of a simulated venue's book by symbol index: `byName` lists
   * every symbol index in name order (the order positions are listed and valued in), `closeUsd`
   * gives the data's close of a held symbol (NaN when it has none).
   */
  checkBook(
    timestamp: string,
    book: AuditedBook,
    byName: Int32Array,
    closeUsd: (symbol: number) => number,
  ): void {
    for (const symbol of this.filledSymbols) {
      const have = book.holds(symbol) ? book.quantityOf(symbol) : 0;
      this.compareQuantity(
        timestamp,
        this.symbols.name(symbol),
        have,
        this.quantities[symbol] as number,
      );
    }
    let positionsValue = 0;
    for (let k = 0; k < byName.length; k++) {
      const symbol = byName[k] as number;
      if (!book.holds(symbol)) continue;
      const close = closeUsd(symbol);
      if (close !== close)
        throw new StateError(
          `${timestamp}: position in ${this.symbols.name(symbol)}, which has no price`,
        );
      if (symbol >= this.filled.length || this.filled[symbol] !== 1)
        this.unexplained(timestamp, this.symbols.name(symbol));
      positionsValue += book.quantityOf(symbol) * close;
    }
    this.verify(timestamp, book.cashUsd, book.equityUsd(), positionsValue, book);
  }

  private compareQuantity(timestamp: string, symbol: string, have: number, replayed: number): void {
    if (have !== replayed) {
      throw new StateError(
        `${timestamp}: broker holds ${have} ${symbol}, the fills add up to ${replayed}`,
        { context: { timestamp, symbol } },
      );
    }
  }

  private unexplained(timestamp: string, symbol: string): never {
    throw new StateError(`${timestamp}: broker holds ${symbol} that no fill bought`, {
      context: { timestamp },
    });
  }

  /** The equity, cost and totals checks of one step (see the class). */
  private verify(
    timestamp: string,
    cashUsd: number,
    equityUsd: number,
    positionsValue: number,
    brokerTotals: {
      readonly feesUsd: number;
      readonly slippageUsd: number;
      readonly adjustmentsUsd?: number;
    },
  ): void {
    const tol = this.tolerance(equityUsd);
    const equityError = Math.abs(cashUsd + positionsValue - equityUsd);
    this.maxEquityErrorUsd = Math.max(this.maxEquityErrorUsd, equityError);
    if (equityError > tol) {
      throw new StateError(
        `${timestamp}: cash ${cashUsd} + positions ${positionsValue} != equity ${equityUsd}`,
        { context: { timestamp, equityError } },
      );
    }
    this.grossEquityUsd = this.grossCashUsd + positionsValue;
    const costError = Math.abs(this.grossEquityUsd - equityUsd - (this.feesUsd + this.slippageUsd));
    this.maxCostErrorUsd = Math.max(this.maxCostErrorUsd, costError);
    if (costError > tol) {
      throw new StateError(
        `${timestamp}: gross − net P&L ${this.grossEquityUsd - equityUsd} != fees ${this.feesUsd} + slippage ${this.slippageUsd}`,
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
