import type { JsonValue } from '@quantpipe/core';
import type { SweepJobPhase } from '@quantpipe/storage';
import type { ObjectiveName } from './objectives';
import { withParameters } from './parameter-keys';
import type { SweepSpec } from './sweep-spec';
import type { WalkForwardFold } from './walk-forward-folds';

/** One configuration of a sweep: its index and parameter values (canonical keys). */
export interface ParameterSet {
  readonly index: number;
  readonly values: Readonly<Record<string, JsonValue>>;
}

/**
 * One backtest of a sweep: everything a worker needs, as plain JSON (it crosses threads and
 * Redis). The same job gives the same result wherever it runs.
 */
export interface SweepJob {
  readonly sweepId: string;
  /** `p0007` (whole period), `p0007-f02-is` / `p0007-f02-oos` (walk-forward). */
  readonly jobId: string;
  readonly runId: string;
  readonly paramIndex: number;
  readonly foldIndex: number | null;
  readonly phase: SweepJobPhase;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** The backtest config input: the base, the parameters and the fold's period. */
  readonly config: Readonly<Record<string, JsonValue>>;
  readonly objective: ObjectiveName;
}

/**
 * The sweep's configurations: the Cartesian product of the grid (keys in the order given, the
 * last varying fastest), each combined with every list entry (list entries first); the base
 * alone when there is neither.
 */
export function parameterSets(spec: SweepSpec): ParameterSet[] {
  let points: Record<string, JsonValue>[] = [{}];
  for (const [key, values] of Object.entries(spec.grid ?? {}))
    points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  const sets = (spec.list ?? [{}]).flatMap((entry) => points.map((p) => ({ ...entry, ...p })));
  return sets.map((values, index) => ({ index, values }));
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Every job of a sweep. Without folds: one job a configuration over the base period. With
 * folds: every configuration in-sample and out-of-sample on every fold, so that which
 * configuration a fold chooses can be read off afterwards (jobs need no coordination, and
 * every configuration's out-of-sample record is there for the overfitting statistics).
 */
export function sweepJobs(
  spec: SweepSpec,
  sweepId: string,
  folds?: readonly WalkForwardFold[],
): SweepJob[] {
  const sets = parameterSets(spec);
  const width = Math.max(4, String(sets.length - 1).length);
  const jobs: SweepJob[] = [];
  const base = spec.base as Readonly<Record<string, JsonValue>>;
  const job = (
    set: ParameterSet,
    jobId: string,
    phase: SweepJobPhase,
    foldIndex: number | null,
    period: Record<string, JsonValue>,
  ): SweepJob => {
    const runId = `${sweepId}.${jobId}`;
    return {
      sweepId,
      jobId,
      runId,
      paramIndex: set.index,
      foldIndex,
      phase,
      parameters: set.values,
      config: {
        ...(withParameters(base, set.values) as Record<string, JsonValue>),
        ...period,
        run_id: runId,
        progress: false,
      },
      objective: spec.objective,
    };
  };
  for (const set of sets) {
    const p = `p${pad(set.index, width)}`;
    if (!folds) {
      jobs.push(job(set, p, 'full', null, {}));
      continue;
    }
    for (const fold of folds) {
      const f = `f${pad(fold.index, 2)}`;
      const is = fold.inSample;
      const oos = fold.outOfSample;
      jobs.push(
        job(set, `${p}-${f}-is`, 'in_sample', fold.index, { start: is.start, end: is.end }),
      );
      jobs.push(
        job(set, `${p}-${f}-oos`, 'out_of_sample', fold.index, { start: oos.start, end: oos.end }),
      );
    }
  }
  return jobs;
}
