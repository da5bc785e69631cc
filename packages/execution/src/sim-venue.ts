import { ValidationError } from '@quantpipe/core';
import { slippageBps } from '@quantpipe/risk';
import { SymbolTable } from './core/symbol-table';
import {
  assertCommissionModel,
  calendarDaysBetween,
  commissionOf,
  financingOf,
  type CommissionModel,
} from './sim-account';

/** How the simulated venue prices slippage. */
export type SimSlippage =
  /** The spec's square-root impact model (6.3), from the quote's ADV and volatility. */
  | { readonly kind: 'model' }
  /** A fixed number of basis points on every fill. */
  | { readonly kind: 'fixed'; readonly bps: number }
  | { readonly kind: 'none' };

/** Options of {@link SimVenue}. */
export interface SimVenueOptions {
  readonly initialCashUsd: number;
  /** Default: the spec's model. */
  readonly slippage?: SimSlippage;
  /**
   * The commission model. Default: `commissionPerShareUsd` a share with `minCommissionUsd` as
   * the minimum and no cap (both default 0: no commission).
   */
  readonly commission?: CommissionModel;
  /** Commission per share in USD, when no `commission` is given. Default 0. */
  readonly commissionPerShareUsd?: number;
  /** Minimum commission per order in USD (applied when the per-share fee is lower). Default 0. */
  readonly minCommissionUsd?: number;
  /** Annual interest on the cash debit, charged at each new session (actual/360). Default 0. */
  readonly marginInterestRate?: number;
  /** Annual fee on the short market value, charged at each new session (actual/360). Default 0. */
  readonly shortBorrowRate?: number;
  /** Allow short positions. Default true. */
  readonly allowShort?: boolean;
  /**
   * Buying power = equity × this − gross exposure (a margin account). Default 4 (Reg T
   * intraday); 1 makes a cash account.
   */
  readonly marginMultiplier?: number;
  /** The venue's symbol indices (shared with an engine so both index symbols alike). */
  readonly symbols?: SymbolTable;
}

/**
 * What an order fills against: the reference price and the slippage model's inputs. One record
 * passed by reference (numbers passed one by one to a call the compiler does not inline are
 * boxed, an allocation each per order).
 */
export interface VenueQuote {
  /** Reference price of the fill before slippage. */
  readonly priceUsd: number;
  /** Average daily volume in shares (slippage model input). */
  readonly advShares: number;
  /** Annualised volatility as a fraction (slippage model input). */
  readonly volatility: number;
}

/** One execution as the venue booked it (written by {@link SimVenue.execute}; reused). */
export interface VenueExecution {
  /** Fill price, slippage included. */
  priceUsd: number;
  commissionUsd: number;
  /** `|priceUsd - reference| × shares`. */
  slippageUsd: number;
}

/**
 * The book of a simulated account: cash, holdings and marks per symbol index, fees and
 * slippage, and the fills' pricing (the reference price moved by the slippage model, plus
 * commissions). Synchronous and allocation-free per order, so a backtest fills orders in place;
 * {@link SimBroker} puts the async `Broker` port in front of it for everything else.
 *
 * Accounting is exact by construction: equity = cash + Σ quantity × mark over the holdings in
 * the order they were opened, where the mark is the last price given to
 * {@link SimVenue.markAt} (or the reference price of the symbol's last fill, or its entry
 * price before any mark).
 */
export class SimVenue {
  readonly symbols: SymbolTable;
  private readonly slippage: SimSlippage;
  private readonly commission: CommissionModel;
  private readonly interestRate: number;
  private readonly borrowRate: number;
  readonly allowShort: boolean;
  readonly marginMultiplier: number;
  // Numeric fields start as numbers: a field first defined as undefined keeps a generic
  // representation, and every write of a double to it then allocates.
  private cash = 0;
  private quantity: Float64Array;
  private entryPrice: Float64Array;
  /** Last mark per symbol; NaN before the first. */
  private mark: Float64Array;
  /** Position of each symbol in `holdings`, -1 when not held. */
  private slot: Int32Array;
  /** Held symbols in the order they were opened (the order equity is summed in). */
  private holdings: Int32Array;
  private holdingCount = 0;
  private feesTotal = 0;
  private slippageTotal = 0;
  private adjustmentsTotal = 0;
  private interestTotal = 0;
  private borrowTotal = 0;
  /** Interest charged by the last {@link SimVenue.beginMarks} (USD). */
  lastInterestUsd = 0;
  /** Borrow fee charged by the last {@link SimVenue.beginMarks} (USD). */
  lastBorrowFeeUsd = 0;
  private session: string | undefined;
  private sessionStartEquity = 0;
  private totalsValid = false;
  private equity = 0;
  private gross = 0;
  /** Bumped whenever the set of holdings changes (callers cache listings by it). */
  holdingsVersion = 0;

  constructor(options: SimVenueOptions) {
    if (!Number.isFinite(options.initialCashUsd) || options.initialCashUsd < 0) {
      throw new ValidationError(
        'initialCashUsd',
        `expected a finite number >= 0, got ${String(options.initialCashUsd)}`,
      );
    }
    const perShare = options.commissionPerShareUsd ?? 0;
    const minimum = options.minCommissionUsd ?? 0;
    if (!(perShare >= 0) || !(minimum >= 0))
      throw new ValidationError('commission', 'commissions must be >= 0');
    const commission: CommissionModel =
      options.commission ??
      (perShare === 0 && minimum === 0
        ? { kind: 'zero' }
        : {
            kind: 'per_share',
            perShareUsd: perShare,
            minUsd: minimum,
            maxShareOfNotional: Infinity,
          });
    assertCommissionModel(commission);
    const interestRate = options.marginInterestRate ?? 0;
    const borrowRate = options.shortBorrowRate ?? 0;
    if (!(interestRate >= 0))
      throw new ValidationError('marginInterestRate', `expected >= 0, got ${String(interestRate)}`);
    if (!(borrowRate >= 0))
      throw new ValidationError('shortBorrowRate', `expected >= 0, got ${String(borrowRate)}`);
    const margin = options.marginMultiplier ?? 4;
    if (!(margin >= 1))
      throw new ValidationError('marginMultiplier', `expected >= 1, got ${String(margin)}`);
    const slippage = options.slippage ?? { kind: 'model' };
    if (slippage.kind === 'fixed' && !(slippage.bps >= 0))
      throw new ValidationError('slippage.bps', 'expected >= 0');
    this.slippage = slippage;
    this.commission = commission;
    this.interestRate = interestRate;
    this.borrowRate = borrowRate;
    this.allowShort = options.allowShort ?? true;
    this.marginMultiplier = margin;
    this.symbols = options.symbols ?? new SymbolTable([]);
    const capacity = this.symbols.capacity;
    this.quantity = new Float64Array(capacity);
    this.entryPrice = new Float64Array(capacity);
    this.mark = new Float64Array(capacity).fill(Number.NaN);
    this.slot = new Int32Array(capacity).fill(-1);
    this.holdings = new Int32Array(capacity);
    this.cash = options.initialCashUsd;
    this.sessionStartEquity = options.initialCashUsd;
  }

  /** The index of `symbol`, adding it (and room for it) when new. */
  indexOf(symbol: string): number {
    const index = this.symbols.add(symbol);
    if (this.symbols.capacity > this.quantity.length) this.grow(this.symbols.capacity);
    return index;
  }

  private grow(capacity: number): void {
    const grow = (a: Float64Array, fill: number): Float64Array => {
      const out = new Float64Array(capacity).fill(fill);
      out.set(a);
      return out;
    };
    this.quantity = grow(this.quantity, 0);
    this.entryPrice = grow(this.entryPrice, 0);
    this.mark = grow(this.mark, Number.NaN);
    const slot = new Int32Array(capacity).fill(-1);
    slot.set(this.slot);
    this.slot = slot;
    const holdings = new Int32Array(capacity);
    holdings.set(this.holdings);
    this.holdings = holdings;
  }

  get cashUsd(): number {
    return this.cash;
  }

  /** Total commissions charged so far (USD). */
  get feesUsd(): number {
    return this.feesTotal;
  }

  /** Total slippage paid so far: Σ |fill price − reference price| × shares (USD). */
  get slippageUsd(): number {
    return this.slippageTotal;
  }

  /** Total cash booked through {@link SimVenue.adjustCash} (USD). */
  get adjustmentsUsd(): number {
    return this.adjustmentsTotal;
  }

  /** Total margin interest charged so far (USD). */
  get interestUsd(): number {
    return this.interestTotal;
  }

  /** Total short-borrow fees charged so far (USD). */
  get borrowFeesUsd(): number {
    return this.borrowTotal;
  }

  /** Equity at the start of the current exchange session (the daily P&L's base). */
  get sessionStartEquityUsd(): number {
    return this.sessionStartEquity;
  }

  /** Signed shares held of symbol `index` (0 when none). */
  quantityOf(index: number): number {
    return this.quantity[index] as number;
  }

  /** Average entry price of the holding of symbol `index` (0 when none). */
  entryPriceOf(index: number): number {
    return this.entryPrice[index] as number;
  }

  /** The price a holding of symbol `index` is valued at: its mark, else its entry price. */
  valuationPriceOf(index: number): number {
    const m = this.mark[index] as number;
    return m === m ? m : (this.entryPrice[index] as number);
  }

  /** Whether symbol `index` is held. */
  holds(index: number): boolean {
    return (this.slot[index] as number) >= 0;
  }

  /** Number of symbols held. */
  get heldCount(): number {
    return this.holdingCount;
  }

  /**
   * Books cash that is not a trade (synthetic hedge P&L and cost, interest). Positive credits
   * the account. Tracked apart so P&L can be reconciled.
   */
  adjustCash(amountUsd: number): void {
    if (!Number.isFinite(amountUsd))
      throw new ValidationError('amountUsd', `expected a finite number, got ${String(amountUsd)}`);
    this.cash += amountUsd;
    this.totalsValid = false;
    this.adjustmentsTotal += amountUsd;
  }

  private totals(): void {
    if (this.totalsValid) return;
    let equityUsd = this.cash;
    let grossUsd = 0;
    const holdings = this.holdings;
    for (let k = 0; k < this.holdingCount; k++) {
      const i = holdings[k] as number;
      const m = this.mark[i] as number;
      const value = (this.quantity[i] as number) * (m === m ? m : (this.entryPrice[i] as number));
      equityUsd += value;
      grossUsd += Math.abs(value);
    }
    this.equity = equityUsd;
    this.gross = grossUsd;
    this.totalsValid = true;
  }

  /** Cash + Σ quantity × mark. */
  equityUsd(): number {
    this.totals();
    return this.equity;
  }

  /** Σ |quantity × mark| (summed with the equity, in the holdings' order). */
  grossExposureUsd(): number {
    this.totals();
    return this.gross;
  }

  /** `max(0, equity × margin multiplier − gross exposure)`. */
  buyingPowerUsd(): number {
    this.totals();
    return Math.max(0, this.equity * this.marginMultiplier - this.gross);
  }

  /**
   * Starts marking at `session` (an exchange session date): a new session makes the equity
   * before revaluation the session's starting equity (for the daily P&L). Call before the
   * session's {@link SimVenue.markAt} calls.
   */
  beginMarks(session: string): void {
    this.lastInterestUsd = 0;
    this.lastBorrowFeeUsd = 0;
    if (session !== this.session) {
      if (this.session !== undefined) {
        this.sessionStartEquity = this.equityUsd();
        this.chargeFinancing(calendarDaysBetween(this.session, session));
      }
      this.session = session;
    }
    this.totalsValid = false;
  }

  /**
   * Margin interest on the cash debit and the borrow fee on the short value carried over
   * `days` calendar days, at the last marks: one pass over the holdings per session.
   */
  private chargeFinancing(days: number): void {
    if (days === 0 || (this.interestRate === 0 && this.borrowRate === 0)) return;
    let shortUsd = 0;
    if (this.borrowRate > 0)
      for (let k = 0; k < this.holdingCount; k++) {
        const i = this.holdings[k] as number;
        const q = this.quantity[i] as number;
        if (q < 0) shortUsd -= q * this.valuationPriceOf(i);
      }
    const interestUsd = financingOf(this.interestRate, -this.cash, days);
    const borrowUsd = financingOf(this.borrowRate, shortUsd, days);
    if (interestUsd === 0 && borrowUsd === 0) return;
    this.cash -= interestUsd + borrowUsd;
    this.interestTotal += interestUsd;
    this.borrowTotal += borrowUsd;
    this.lastInterestUsd = interestUsd;
    this.lastBorrowFeeUsd = borrowUsd;
    this.totalsValid = false;
  }

  /** Marks symbol `index` at `priceUsd` (> 0). */
  markAt(index: number, priceUsd: number): void {
    if (!Number.isFinite(priceUsd) || priceUsd <= 0) {
      throw new ValidationError(
        `pricesUsd.${this.symbols.name(index)}`,
        `expected a price > 0, got ${String(priceUsd)}`,
      );
    }
    this.mark[index] = priceUsd;
    this.totalsValid = false;
  }

  /** Whether an order of `shares` on `side` (+1 buy, -1 sell) of symbol `index` adds exposure. */
  addsExposure(index: number, side: number, shares: number): boolean {
    const held = this.quantity[index] as number;
    return Math.abs(held + side * shares) > Math.abs(held);
  }

  /**
   * Why an order of `shares` (> 0) on `side` (+1 buy, -1 sell) of symbol `index` would be
   * refused at `referencePriceUsd` (short selling not allowed, insufficient buying power), or
   * undefined when it may fill. The price is read only for an order that adds exposure (see
   * {@link SimVenue.addsExposure}); pass NaN for one that does not.
   */
  rejectionReason(
    index: number,
    side: number,
    shares: number,
    referencePriceUsd: number,
  ): string | undefined {
    const held = this.quantity[index] as number;
    const after = held + side * shares;
    if (!this.allowShort && after < 0) return 'short selling is not allowed';
    if (!(Math.abs(after) > Math.abs(held))) return undefined;
    const addedShares =
      Math.abs(after) - (Math.sign(after) === Math.sign(held) ? Math.abs(held) : 0);
    const addedUsd = addedShares * referencePriceUsd;
    this.totals();
    const buyingPowerUsd = this.equity * this.marginMultiplier - this.gross;
    if (addedUsd > buyingPowerUsd + 1e-9) {
      return `insufficient buying power: need ${addedUsd.toFixed(2)}, have ${Math.max(0, buyingPowerUsd).toFixed(2)}`;
    }
    return undefined;
  }

  private slippageBpsOf(shares: number, advShares: number, volatility: number): number {
    const s = this.slippage;
    if (s.kind === 'none') return 0;
    if (s.kind === 'fixed') return s.bps;
    return slippageBps(shares, advShares, volatility);
  }

  /**
   * Fills `shares` (> 0) of symbol `index` on `side` (+1 buy, -1 sell) now at the quote's
   * reference price moved by the slippage model: books cash, fees, slippage and the holding,
   * marks the symbol at the reference price, and writes the execution into `out`.
   */
  execute(
    out: VenueExecution,
    index: number,
    side: number,
    shares: number,
    quote: VenueQuote,
  ): void {
    const referencePriceUsd = quote.priceUsd;
    if (!Number.isFinite(referencePriceUsd) || referencePriceUsd <= 0) {
      throw new ValidationError(
        `quote(${this.symbols.name(index)}).priceUsd`,
        `expected a price > 0, got ${String(referencePriceUsd)}`,
      );
    }
    const bps = this.slippageBpsOf(shares, quote.advShares, quote.volatility);
    const priceUsd = referencePriceUsd * (1 + (side * bps) / 10_000);
    // Charged on the fill's notional at its price (slippage included), as a broker bills it.
    const commissionUsd = commissionOf(this.commission, shares, priceUsd);
    const slippageUsd = Math.abs(priceUsd - referencePriceUsd) * shares;
    this.cash -= side * shares * priceUsd + commissionUsd;
    this.feesTotal += commissionUsd;
    this.slippageTotal += slippageUsd;
    this.applyToHolding(index, side * shares, priceUsd);
    this.mark[index] = referencePriceUsd;
    this.totalsValid = false;
    out.priceUsd = priceUsd;
    out.commissionUsd = commissionUsd;
    out.slippageUsd = slippageUsd;
  }

  /**
   * Closes the whole position in symbol `index` at `priceUsd` with neither slippage nor
   * commission (the shares of a delisted symbol paid out at its last close), writes the
   * execution into `out` and returns the signed shares closed (0 when nothing was held).
   */
  settle(out: VenueExecution, index: number, priceUsd: number): number {
    const held = this.quantityOf(index);
    if (held === 0) return 0;
    if (!Number.isFinite(priceUsd) || priceUsd <= 0) {
      throw new ValidationError(
        `settle(${this.symbols.name(index)}).priceUsd`,
        `expected a price > 0, got ${String(priceUsd)}`,
      );
    }
    this.cash += held * priceUsd;
    this.applyToHolding(index, -held, priceUsd);
    this.mark[index] = priceUsd;
    this.totalsValid = false;
    out.priceUsd = priceUsd;
    out.commissionUsd = 0;
    out.slippageUsd = 0;
    return held;
  }

  private applyToHolding(index: number, signedShares: number, priceUsd: number): void {
    let slot = this.slot[index] as number;
    const held = this.quantity[index] as number;
    const after = held + signedShares;
    if (slot < 0) {
      if (after === 0) return;
      slot = this.holdingCount++;
      this.holdings[slot] = index;
      this.slot[index] = slot;
      this.holdingsVersion++;
    } else if (after === 0) {
      // Closed: the later holdings move up one place (their summation order is kept).
      for (let k = slot + 1; k < this.holdingCount; k++) {
        const j = this.holdings[k] as number;
        this.holdings[k - 1] = j;
        this.slot[j] = k - 1;
      }
      this.holdingCount--;
      this.slot[index] = -1;
      this.quantity[index] = 0;
      this.entryPrice[index] = 0;
      this.holdingsVersion++;
      return;
    }
    let avg = this.entryPrice[index] as number;
    if (held === 0 || Math.sign(after) !== Math.sign(held)) avg = priceUsd;
    else if (Math.abs(after) > Math.abs(held))
      avg = (avg * Math.abs(held) + priceUsd * Math.abs(signedShares)) / Math.abs(after);
    this.quantity[index] = after;
    this.entryPrice[index] = avg;
  }
}
