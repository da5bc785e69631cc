import type { PerformanceReport } from '@quantpipe/risk';

/** How an objective reads a performance report; higher is better, null when undefined. */
interface Objective {
  readonly label: string;
  readonly value: (p: PerformanceReport) => number | null;
}

/**
 * The objectives a sweep can rank configurations by, all from the daily-return performance
 * report (`@quantpipe/risk`); higher is better for each (`max_drawdown` is negative, so the
 * shallowest drawdown ranks first).
 */
export const OBJECTIVES = {
  sharpe: { label: 'Sharpe ratio', value: (p) => p.sharpeRatio },
  sortino: { label: 'Sortino ratio', value: (p) => p.sortinoRatio },
  calmar: { label: 'Calmar ratio', value: (p) => p.calmarRatio },
  cagr: { label: 'CAGR', value: (p) => p.cagr },
  total_return: { label: 'Total return', value: (p) => p.totalReturn },
  max_drawdown: { label: 'Max drawdown', value: (p) => p.maxDrawdown },
  information_ratio: {
    label: 'Information ratio',
    value: (p) => p.benchmark?.informationRatio ?? null,
  },
} as const satisfies Record<string, Objective>;

/** Name of an objective. */
export type ObjectiveName = keyof typeof OBJECTIVES;

/** The objective names, in the order of {@link OBJECTIVES}. */
export const OBJECTIVE_NAMES = Object.keys(OBJECTIVES) as [ObjectiveName, ...ObjectiveName[]];

/** The objective's value of a performance report (null when it is undefined, or not finite). */
export function objectiveValue(name: ObjectiveName, performance: PerformanceReport): number | null {
  const value = OBJECTIVES[name].value(performance);
  return value === null || !Number.isFinite(value) ? null : value;
}

/**
 * Orders candidates best first by objective: nulls last, ties by the lower parameter index, so
 * the choice is the same on every machine.
 */
export function compareByObjective(
  a: { readonly objective: number | null; readonly paramIndex: number },
  b: { readonly objective: number | null; readonly paramIndex: number },
): number {
  if (a.objective === null || b.objective === null) {
    if (a.objective !== b.objective) return a.objective === null ? 1 : -1;
  } else if (a.objective !== b.objective) return b.objective - a.objective;
  return a.paramIndex - b.paramIndex;
}
