import type { EquityPoint, TradeRecord } from '../result/backtest-result';

/** A CSV field: numbers as JavaScript prints them (full precision), text quoted when needed. */
function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV text: the header, then one line a row (fields as {@link field} writes them). */
export function csv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return [header.join(','), ...rows.map((r) => r.map(field).join(','))].join('\n') + '\n';
}

/** Header of `equity.csv`. */
export const EQUITY_CSV_HEADER = [
  'timestamp',
  'date',
  'cash_usd',
  'positions_value_usd',
  'equity_usd',
  'gross_exposure_usd',
  'net_exposure_usd',
  'leverage',
  'benchmark_close',
  'fees_usd',
  'slippage_usd',
  'hedge_active',
  'hedge_pnl_usd',
] as const;

/** `equity.csv`: one row per mark (daily or hourly close), cumulative fees and slippage. */
export function equityCsv(points: readonly EquityPoint[]): string {
  return csv(
    EQUITY_CSV_HEADER,
    points.map((p) => [
      p.timestamp,
      p.date,
      p.cashUsd,
      p.positionsValueUsd,
      p.equityUsd,
      p.grossExposureUsd,
      p.netExposureUsd,
      p.leverage,
      p.benchmarkClose,
      p.feesUsd,
      p.slippageUsd,
      p.hedgeActive ? 1 : 0,
      p.hedgePnlUsd,
    ]),
  );
}

/** Header of `trades.csv`. */
export const TRADES_CSV_HEADER = [
  'timestamp',
  'cycle',
  'symbol',
  'side',
  'quantity',
  'price_usd',
  'reference_price_usd',
  'commission_usd',
  'slippage_usd',
  'client_order_id',
] as const;

/** `trades.csv`: one row per fill. */
export function tradesCsv(trades: Iterable<TradeRecord>): string {
  return csv(
    TRADES_CSV_HEADER,
    Array.from(trades, (t) => [
      t.timestamp,
      t.cycle,
      t.symbol,
      t.side,
      t.quantity,
      t.priceUsd,
      t.referencePriceUsd,
      t.commissionUsd,
      t.slippageUsd,
      t.clientOrderId,
    ]),
  );
}
