import type { EquityPoint, TradeRecord } from '../result/backtest-result';

/** A CSV field: numbers as JavaScript prints them (full precision), text quoted when needed. */
function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Lines of CSV text joined at a time: a chunk can be written and dropped while young. */
const LINES_PER_CHUNK = 4096;

/**
 * CSV text in chunks of whole lines, the header first: `line` writes one row's fields (as
 * {@link field} writes them). Joined, the chunks are the whole text; `fs.writeFile` takes them
 * as they come, so a long run's text is never held whole.
 */
function* csvChunks<T>(
  header: readonly string[],
  rows: Iterable<T>,
  line: (row: T) => string,
): Generator<string> {
  let lines: string[] = [header.join(',')];
  for (const row of rows) {
    lines.push(line(row));
    if (lines.length === LINES_PER_CHUNK) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

const joined = (chunks: Iterable<string>): string => Array.from(chunks).join('');

/** A CSV text: the header, then one line a row (fields as {@link field} writes them). */
export function csv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return joined(csvChunks(header, rows, (r) => r.map(field).join(',')));
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

/** One mark's line of `equity.csv` (no row array: a long hourly run has many marks). */
const equityLine = (p: EquityPoint): string =>
  `${field(p.timestamp)},${field(p.date)},${field(p.cashUsd)},${field(p.positionsValueUsd)},` +
  `${field(p.equityUsd)},${field(p.grossExposureUsd)},${field(p.netExposureUsd)},` +
  `${field(p.leverage)},${field(p.benchmarkClose)},${field(p.feesUsd)},` +
  `${field(p.slippageUsd)},${p.hedgeActive ? 1 : 0},${field(p.hedgePnlUsd)}`;

/** `equity.csv`: one row per mark (daily or hourly close), cumulative fees and slippage. */
export function equityCsv(points: readonly EquityPoint[]): string {
  return joined(csvChunks(EQUITY_CSV_HEADER, points, equityLine));
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

/** One fill's line of `trades.csv` (no row array per trade). */
const tradeLine = (t: TradeRecord): string =>
  `${field(t.timestamp)},${field(t.cycle)},${field(t.symbol)},${field(t.side)},` +
  `${field(t.quantity)},${field(t.priceUsd)},${field(t.referencePriceUsd)},` +
  `${field(t.commissionUsd)},${field(t.slippageUsd)},${field(t.clientOrderId)}`;

/**
 * `trades.csv` in chunks of whole lines (the header first): what {@link tradesCsv} returns, for
 * writing a long run's trades without holding the whole text (`fs.writeFile` takes the chunks).
 */
export function tradesCsvChunks(trades: Iterable<TradeRecord>): Generator<string> {
  return csvChunks(TRADES_CSV_HEADER, trades, tradeLine);
}

/** `trades.csv`: one row per fill. */
export function tradesCsv(trades: Iterable<TradeRecord>): string {
  return joined(tradesCsvChunks(trades));
}
