/** Bar resolutions the pipeline works with. */
export type Timeframe = '1Day' | '1Hour';

/**
 * One OHLCV bar. Prices are in the instrument's currency (USD for US equities).
 *
 * `timestamp` is the session date `YYYY-MM-DD` for daily bars and the bar's start as an
 * ISO-8601 UTC instant (`YYYY-MM-DDTHH:MM:SSZ`) for intraday bars.
 */
export interface Bar {
  readonly symbol: string;
  readonly timestamp: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Shares traded in the bar. */
  readonly volume: number;
}
