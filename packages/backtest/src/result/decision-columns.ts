import type { DecisionRecord } from './backtest-result';
import type { DecisionRecords } from './decision-records';

/**
 * A run's decision rows read value by value, in row order, for walks over every row (the P&L
 * attribution) that would otherwise make a record, a signals object and a contributions object
 * per row: a hundred symbols over ten years make a quarter of a million rows. A log that stores
 * its rows as columns reads them straight from there ({@link TableDecisionLog.columns}); any
 * other is read through its records.
 */
export interface DecisionColumns {
  readonly length: number;
  /**
   * Selects row `row`; the readers below then read it. Rows are selected in increasing order
   * (a walk), which lets a columnar log find each row's cycle without a search.
   */
  select(row: number): void;
  /** The row's timestamp. */
  timestamp(): string;
  /** The row's date (`YYYY-MM-DD`, the first ten characters of its timestamp). */
  date(): string;
  /** The row's symbol. */
  symbol(): string;
  /** The row's symbol as a dense index (0, 1, … in order of first appearance or as stored). */
  symbolIndex(): number;
  composite(): number;
  currentShares(): number;
  priceUsd(): number;
  /** Whether the row reports its signals' contributions. */
  hasContributions(): boolean;
  /** Value of signal `k` (of the names the columns were made for); NaN when not reported. */
  signal(k: number): number;
  /** Contribution of signal `k` (of the names the columns were made for); 0 when not reported. */
  contribution(k: number): number;
}

/** {@link DecisionColumns} over any decision records: one record is read per selected row. */
export function recordColumns(
  records: DecisionRecords,
  signalNames: readonly string[],
): DecisionColumns {
  const symbols = new Map<string, number>();
  let record: DecisionRecord | undefined;
  const current = (): DecisionRecord => record as DecisionRecord;
  return {
    length: records.length,
    select(row) {
      record = records.at(row);
    },
    timestamp: () => current().timestamp,
    date: () => current().timestamp.slice(0, 10),
    symbol: () => current().symbol,
    symbolIndex() {
      const symbol = current().symbol;
      let s = symbols.get(symbol);
      if (s === undefined) {
        s = symbols.size;
        symbols.set(symbol, s);
      }
      return s;
    },
    composite: () => current().composite,
    currentShares: () => current().currentShares,
    priceUsd: () => current().priceUsd,
    hasContributions: () => current().contributions !== undefined,
    signal: (k) => current().signals[signalNames[k] as string] ?? Number.NaN,
    contribution: (k) => current().contributions?.[signalNames[k] as string] ?? 0,
  };
}
