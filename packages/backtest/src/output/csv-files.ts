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
  const lines: string[] = [header.join(',')];
  for (const r of rows) {
    let line = r.length > 0 ? field(r[0] as string | number | null) : '';
    for (let i = 1; i < r.length; i++) line += `,${field(r[i] as string | number | null)}`;
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
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
  // Row by row into one list of lines: a long hourly run has hundreds of thousands of marks.
  const lines: string[] = [EQUITY_CSV_HEADER.join(',')];
  for (const p of points)
    lines.push(
      `${field(p.timestamp)},${field(p.date)},${field(p.cashUsd)},${field(p.positionsValueUsd)},` +
        `${field(p.equityUsd)},${field(p.grossExposureUsd)},${field(p.netExposureUsd)},` +
        `${field(p.leverage)},${field(p.benchmarkClose)},${field(p.feesUsd)},` +
        `${field(p.slippageUsd)},${p.hedgeActive ? 1 : 0},${field(p.hedgePnlUsd)}`,
    );
  return `${lines.join('\n')}\n`;
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

/** Lines of CSV text joined at a time: a chunk is written and dropped while young. */
const LINES_PER_CHUNK = 4096;

/**
 * `trades.csv` in chunks of whole lines (the header first): what {@link tradesCsv} returns, for
 * writing a long run's trades without holding the whole text (`fs.writeFile` takes the chunks).
 */
export function* tradesCsvChunks(trades: Iterable<TradeRecord>): Generator<string> {
  let lines: string[] = [TRADES_CSV_HEADER.join(',')];
  for (const t of trades) {
    lines.push(
      `${field(t.timestamp)},${field(t.cycle)},${field(t.symbol)},${field(t.side)},` +
        `${field(t.quantity)},${field(t.priceUsd)},${field(t.referencePriceUsd)},` +
        `${field(t.commissionUsd)},${field(t.slippageUsd)},${field(t.clientOrderId)}`,
    );
    if (lines.length === LINES_PER_CHUNK) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/** `trades.csv`: one row per fill. */
export function tradesCsv(trades: Iterable<TradeRecord>): string {
  return Array.from(tradesCsvChunks(trades)).join('');
}
