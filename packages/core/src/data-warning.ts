/**
 * What a data check found that does not stop a run but changes what its numbers mean:
 * - `price_jump`: a close more than the jump threshold times (or less than its inverse) the
 *   previous close — a bad tick or an unadjusted split more often than a real move;
 * - `range_jump`: a bar whose high is more than the jump threshold times its low;
 * - `benchmark_filled`: a date a symbol trades but the benchmark has no bar: the market series
 *   takes the benchmark's last return there (forward-filled);
 * - `not_a_session`: a bar of the calendar's series on a day the US equity exchange is closed
 *   (a weekend, holiday or special closure);
 * - `missing_session`: an exchange session the calendar's series has no bar for.
 */
export type DataWarningKind =
  'price_jump' | 'range_jump' | 'benchmark_filled' | 'not_a_session' | 'missing_session';

/** One finding of a data check, as data a report can list. */
export interface DataWarning {
  /** The symbol whose bar is suspect (for `benchmark_filled`, the benchmark). */
  readonly symbol: string;
  /** The bar's timestamp (session date or ISO-8601 UTC instant). */
  readonly timestamp: string;
  readonly kind: DataWarningKind;
  /** What was found, for a person ("close 52300 is 1000.0x the previous close 52.3"). */
  readonly detail: string;
}
