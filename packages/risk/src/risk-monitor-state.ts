import { StateError, isIsoDate, type JsonObject } from '@quantpipe/core';

/** The monitor's persisted state (plain JSON, journaled by the engine). */
export interface RiskMonitorState {
  readonly version: 1;
  /** The high-water mark: the highest portfolio value ever seen (never re-based). */
  readonly overallPeakUsd: number | null;
  readonly dailyPeakUsd: number | null;
  /** Session date of the daily peak. */
  readonly sessionDate: string | null;
  /** Equity of the session's first snapshot (fallback for the daily P&L). */
  readonly sessionStartEquityUsd: number | null;
  /** Time of the last check, null before the first. */
  readonly lastCheckAt: string | null;
  readonly blocksNewExposure: boolean;
  readonly requiresReduction: boolean;
  /** The peak the drawdown limit is measured from (absent in older states: the high-water mark). */
  readonly drawdownReferenceUsd?: number | null;
  /** Sessions checked so far (absent in older states: 0). */
  readonly sessionCount?: number;
  /** `sessionCount` at the first drawdown breach of the current halt, null when not halted. */
  readonly haltedSinceSession?: number | null;
  /** `sessionCount` of the last resume while exposure is being scaled back in, else null. */
  readonly resumedAtSession?: number | null;
  /**
   * The limits whose breach has been alerted and has not cleared yet (alerts per episode; absent
   * in older states: none).
   */
  readonly alertedLimits?: readonly AlertedLimit[];
}

/** A limit alerted once per breach episode. */
export type AlertedLimit = 'daily_loss' | 'leverage';
const ALERTED_LIMITS: readonly string[] = ['daily_loss', 'leverage'] satisfies AlertedLimit[];

/** {@link RiskMonitorState} with every field present. */
export type FullRiskMonitorState = Required<RiskMonitorState>;

/**
 * Validates a saved state (a {@link StateError} naming the field when it is not one), filling in
 * the fields that older states lack.
 */
export function parseRiskMonitorState(value: unknown): FullRiskMonitorState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StateError('risk monitor state: expected an object');
  }
  const v = value as JsonObject;
  if (v['version'] !== 1) throw new StateError('risk monitor state: unknown version');
  const num = (key: string): number | null => {
    const x = v[key];
    if (x === null) return null;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new StateError(`risk monitor state: ${key} must be a finite number or null`);
    }
    return x;
  };
  const count = (key: string): number | null => {
    const x = v[key] === undefined ? null : num(key);
    if (x !== null && !(Number.isInteger(x) && x >= 0))
      throw new StateError(`risk monitor state: ${key} must be an integer >= 0 or null`);
    return x;
  };
  const str = (key: string): string | null => {
    const x = v[key];
    if (x === null || typeof x === 'string') return x;
    throw new StateError(`risk monitor state: ${key} must be a string or null`);
  };
  const bool = (key: string): boolean => {
    const x = v[key];
    if (typeof x !== 'boolean')
      throw new StateError(`risk monitor state: ${key} must be a boolean`);
    return x;
  };
  const overallPeakUsd = num('overallPeakUsd');
  const dailyPeakUsd = num('dailyPeakUsd');
  const sessionStartEquityUsd = num('sessionStartEquityUsd');
  const sessionDate = str('sessionDate');
  if (sessionDate !== null && !isIsoDate(sessionDate)) {
    throw new StateError('risk monitor state: sessionDate must be YYYY-MM-DD');
  }
  if (
    (dailyPeakUsd === null) !== (sessionDate === null) ||
    (sessionStartEquityUsd === null) !== (sessionDate === null) ||
    (overallPeakUsd === null) !== (sessionDate === null)
  ) {
    throw new StateError(
      'risk monitor state: overallPeakUsd, dailyPeakUsd, sessionStartEquityUsd and sessionDate are all set or all null',
    );
  }
  const reference = v['drawdownReferenceUsd'] === undefined ? null : num('drawdownReferenceUsd');
  if (reference !== null && overallPeakUsd !== null && reference > overallPeakUsd) {
    throw new StateError(
      'risk monitor state: drawdownReferenceUsd must not exceed the high-water mark overallPeakUsd',
    );
  }
  return {
    version: 1,
    overallPeakUsd,
    dailyPeakUsd,
    sessionDate,
    sessionStartEquityUsd,
    lastCheckAt: str('lastCheckAt'),
    blocksNewExposure: bool('blocksNewExposure'),
    requiresReduction: bool('requiresReduction'),
    drawdownReferenceUsd: reference ?? overallPeakUsd,
    sessionCount: count('sessionCount') ?? 0,
    haltedSinceSession: count('haltedSinceSession'),
    resumedAtSession: count('resumedAtSession'),
    alertedLimits: alertedLimits(v['alertedLimits']),
  };
}

function alertedLimits(value: unknown): readonly AlertedLimit[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((x) => ALERTED_LIMITS.includes(x as string)))
    throw new StateError(
      `risk monitor state: alertedLimits must be a list of ${ALERTED_LIMITS.join(', ')}`,
    );
  return value as AlertedLimit[];
}
