import { DAILY_SIGNAL_NAMES, type DailySignals, type RollingValidation } from '@quantpipe/signals';

/** Arrays a symbol's pass computes into and reads until the symbol is done. */
export interface SymbolPassScratch {
  /** The five daily signals. */
  readonly signals: DailySignals;
  /** The rolling validation of each signal, in signal order. */
  readonly validation: readonly RollingValidation[];
  /**
   * The market returns aligned with the symbol's bars. One array for symbol after symbol: the
   * signals keep the market's window moments by array and reuse them while its values repeat
   * bit for bit, as they do for symbols that share the benchmark's dates.
   */
  readonly marketReturns: Float64Array;
}

/** Sets up to this many bars (21 series: 11 MB) are kept for the next pass. */
const MAX_KEPT_BARS = 1 << 16;

let kept: SymbolPassScratch | undefined;
let keptBars = -1;

function series(bars: number): Float64Array {
  return new Float64Array(bars);
}

/**
 * The scratch arrays of a symbol's pass over `bars` bars (contents unspecified). A backtest's
 * symbols usually share one length, so one set serves them all, and the next backtest too:
 * new series for every symbol would be 8.5 MB for 20 symbols of 2,520 bars, fresh memory for
 * the system to map and for the collector to reclaim. The pass is synchronous and returns none
 * of them, so reuse never changes a result; another length gets a new set.
 */
export function symbolPassScratch(bars: number): SymbolPassScratch {
  if (kept === undefined || keptBars !== bars) {
    const made: SymbolPassScratch = {
      signals: Object.fromEntries(
        DAILY_SIGNAL_NAMES.map((name) => [name, series(bars)]),
      ) as DailySignals,
      validation: DAILY_SIGNAL_NAMES.map(() => ({
        ic: series(bars),
        hitRate: series(bars),
        turnoverAdjustedIc: series(bars),
      })),
      marketReturns: series(bars),
    };
    if (bars > MAX_KEPT_BARS) return made;
    kept = made;
    keptBars = bars;
  }
  return kept;
}
