/** A snapshot of the trading account. Money in USD. */
export interface Account {
  /** Venue account id, when there is one. */
  readonly accountId?: string;
  readonly cashUsd: number;
  /** Cash plus the market value of all positions. */
  readonly equityUsd: number;
  /** Equity at the previous session's close (for the daily P&L). */
  readonly lastEquityUsd?: number;
  /** What the venue lets us spend on new exposure now. */
  readonly buyingPowerUsd: number;
  /** Same as equity for a cash/margin account; kept apart as the spec's schema does. */
  readonly portfolioValueUsd: number;
  /**
   * Σ |market value| of all positions, when the venue reports it with the account (Alpaca's
   * long and short market values, IBKR's GrossPositionValue): a risk check before an order
   * then needs no separate positions call.
   */
  readonly grossExposureUsd?: number;
  /** P&L since the previous session's close, when the venue reports it. */
  readonly dailyPnlUsd?: number;
  /** ISO-8601 UTC instant of the snapshot. */
  readonly timestamp?: string;
}

/** A position in one symbol. Quantity is signed: negative means short. */
export interface Position {
  readonly symbol: string;
  /** Signed share count. */
  readonly quantity: number;
  readonly avgEntryPriceUsd: number;
  readonly currentPriceUsd: number;
  /** Signed: quantity × current price. */
  readonly marketValueUsd: number;
  readonly unrealizedPnlUsd: number;
}

/** The venue's market clock. */
export interface MarketClock {
  /** ISO-8601 UTC instant the venue reports as now. */
  readonly timestamp: string;
  readonly isOpen: boolean;
  /** ISO-8601 UTC instant of the next open. */
  readonly nextOpen: string;
  /** ISO-8601 UTC instant of the next close. */
  readonly nextClose: string;
}
