import {
  checkBarPlausibility,
  type Bar,
  type BarPlausibilityOptions,
  type DataWarning,
} from '@quantpipe/core';

/** The most symbols one `benchmark_filled` warning names before it says "and N more". */
const NAMED_SYMBOLS = 5;

/**
 * The dates on which the market series of a symbol is forward-filled: the symbol has a daily
 * bar, the benchmark has none, and the benchmark has started (before its first bar the series
 * is NaN, not filled). The signals' alignment (pandas' `reindex(dates).ffill()`, spec 2.2) takes
 * the benchmark's last return there. One `benchmark_filled` warning per date, naming the
 * benchmark and the symbols affected, in date order.
 */
export function benchmarkFilledDates(
  benchmarkSymbol: string,
  benchmark: readonly Bar[],
  series: Readonly<Record<string, readonly Bar[]>>,
): DataWarning[] {
  const first = benchmark[0];
  if (first === undefined) return [];
  const start = first.timestamp.slice(0, 10);
  const benchmarkDates = new Set(benchmark.map((b) => b.timestamp.slice(0, 10)));
  const byDate = new Map<string, string[]>();
  for (const [symbol, bars] of Object.entries(series)) {
    if (symbol === benchmarkSymbol) continue;
    for (const bar of bars) {
      const date = bar.timestamp.slice(0, 10);
      if (date <= start || benchmarkDates.has(date)) continue;
      const symbols = byDate.get(date);
      if (symbols === undefined) byDate.set(date, [symbol]);
      else if (symbols[symbols.length - 1] !== symbol) symbols.push(symbol);
    }
  }
  return [...byDate.keys()].sort().map((date) => {
    const symbols = (byDate.get(date) as string[]).sort();
    const named = symbols.slice(0, NAMED_SYMBOLS).join(', ');
    const more =
      symbols.length > NAMED_SYMBOLS ? ` and ${symbols.length - NAMED_SYMBOLS} more` : '';
    return {
      symbol: benchmarkSymbol,
      timestamp: date,
      kind: 'benchmark_filled' as const,
      detail: `no ${benchmarkSymbol} bar on ${date}: its previous return is carried forward for ${named}${more}`,
    };
  });
}

/** Input of {@link marketDataWarnings}. */
export interface MarketDataWarningsInput {
  /** Daily bars by symbol (universe and benchmark), each series ascending and validated. */
  readonly daily: Readonly<Record<string, readonly Bar[]>>;
  /** Hourly bars by symbol, when the run uses them. */
  readonly hourly?: Readonly<Record<string, readonly Bar[]>>;
  readonly benchmarkSymbol: string;
  /** Jump threshold and whether an implausible bar is a warning or a DataError. */
  readonly plausibility?: BarPlausibilityOptions;
}

/**
 * Every data warning of a loaded market, as data a report lists: implausible bars of each daily
 * and hourly series (`price_jump`, `range_jump`, see core `checkBarPlausibility`), then the
 * dates where the benchmark was forward-filled (`benchmark_filled`). With
 * `plausibility.onImplausible: 'error'` the first implausible bar throws a DataError instead.
 */
export function marketDataWarnings(input: MarketDataWarningsInput): DataWarning[] {
  const warnings: DataWarning[] = [];
  for (const frame of [input.daily, input.hourly ?? {}]) {
    for (const symbol of Object.keys(frame).sort()) {
      warnings.push(...checkBarPlausibility(frame[symbol] ?? [], input.plausibility));
    }
  }
  const benchmark = input.daily[input.benchmarkSymbol];
  if (benchmark !== undefined)
    warnings.push(...benchmarkFilledDates(input.benchmarkSymbol, benchmark, input.daily));
  return warnings;
}
