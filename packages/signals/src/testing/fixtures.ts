// Test-only helpers: read the synthetic reference bars and golden values (fs is fine here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '__fixtures__');

/** Bars of one synthetic CSV file. */
export interface FixtureBars {
  timestamp: string[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** Reads `__fixtures__/<name>` (timestamp,open,high,low,close,volume). */
export function readBars(name: string): FixtureBars {
  const lines = readFileSync(join(DIR, name), 'utf8').trim().split('\n');
  const out: FixtureBars = { timestamp: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const line of lines.slice(1)) {
    const [t, o, h, l, c, v] = line.split(',');
    out.timestamp.push(t as string);
    out.open.push(Number(o));
    out.high.push(Number(h));
    out.low.push(Number(l));
    out.close.push(Number(c));
    out.volume.push(Number(v));
  }
  return out;
}

/** Golden values (null = NaN). */
export type GoldenSeries = ReadonlyArray<number | null>;

/** The parts of golden.json the signals package checks against. */
export interface GoldenSignals {
  meta: { daily_symbols: string[]; market: string; hourly_symbols: string[]; n_last: number };
  daily_signals: Record<
    string,
    Record<string, GoldenSeries> & { dates: string[]; rows_in_input: number }
  >;
  validation: Record<string, Record<string, Record<string, GoldenSeries>> & { dates: string[] }>;
  health_scores: Record<string, Record<string, Record<string, number | null>>>;
  hourly_signals: Record<
    string,
    { timestamps: string[]; rows_in_input: number; values: GoldenSeries }
  >;
}

/** Loads `__fixtures__/golden-signals.json`. */
export function readGolden(): GoldenSignals {
  return JSON.parse(readFileSync(join(DIR, 'golden-signals.json'), 'utf8')) as GoldenSignals;
}

/** The spec's market returns: market close pct_change, reindexed onto `dates`, forward-filled. */
export function alignedMarketReturns(market: FixtureBars, dates: readonly string[]): number[] {
  const byDate = new Map<string, number>();
  let previous = NaN;
  for (let i = 0; i < market.close.length; i++) {
    const c = market.close[i] as number;
    byDate.set(market.timestamp[i] as string, c / previous - 1);
    previous = c;
  }
  const out: number[] = [];
  let last = NaN;
  for (const d of dates) {
    const v = byDate.get(d);
    if (v !== undefined && !Number.isNaN(v)) last = v;
    out.push(v === undefined ? last : v === v ? v : last);
  }
  return out;
}

/**
 * Asserts `actual` matches `expected` within `1e-9 + 1e-7*|ref|` (null = NaN must be NaN).
 * Returns the number of values compared.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: GoldenSeries,
  label: string,
): number {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} != ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const ref = expected[i];
    const x = actual[i] as number;
    if (ref === null || ref === undefined) {
      if (!Number.isNaN(x)) throw new Error(`${label}[${i}]: expected NaN, got ${x}`);
      continue;
    }
    if (!(Math.abs(x - ref) <= 1e-9 + 1e-7 * Math.abs(ref))) {
      throw new Error(`${label}[${i}]: expected ${ref}, got ${x} (diff ${x - ref})`);
    }
  }
  return expected.length;
}

/** The last `n` values of a series. */
export function lastN(values: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(values);
  return a.subarray(Math.max(0, a.length - n));
}
