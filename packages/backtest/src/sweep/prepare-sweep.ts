import { ConfigError } from '@quantpipe/core';
import { recordedSweepJobIds, startSweep, type TradingDatabase } from '@quantpipe/storage';
import { parseBacktestConfig } from '../config/backtest-config';
import { calendarSymbol } from '../data/loaded-market';
import { openMarket } from '../data/open-market';
import { withParameters } from './parameter-keys';
import { parameterSets, sweepJobs, type ParameterSet, type SweepJob } from './sweep-jobs';
import { sweepIdOf, sweepSpecJson, sweepSpecSha256, type SweepSpec } from './sweep-spec';
import { walkForwardFolds, type WalkForwardFold } from './walk-forward-folds';

/** Everything a sweep will run, worked out from its spec. */
export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly sweepId: string;
  readonly specSha256: string;
  readonly sets: readonly ParameterSet[];
  /** The walk-forward folds, when the spec has them. */
  readonly folds?: readonly WalkForwardFold[];
  readonly jobs: readonly SweepJob[];
}

/**
 * Plans a sweep: its configurations, folds and jobs. With walk-forward folds the market of the
 * base config (with the first configuration's parameters) is opened to find the traded
 * sessions the folds cut.
 */
export async function planSweep(
  spec: SweepSpec,
  options: { readonly sweepId?: string } = {},
): Promise<SweepPlan> {
  const sweepId = options.sweepId ?? sweepIdOf(spec);
  if (!/^[A-Za-z0-9_.-]{1,48}$/.test(sweepId))
    throw new ConfigError('sweep_id', `expected 1-48 letters, digits, _ . -, got "${sweepId}"`);
  const sets = parameterSets(spec);
  let folds: WalkForwardFold[] | undefined;
  if (spec.walk_forward) {
    const first = sets[0]?.values ?? {};
    const config = parseBacktestConfig(withParameters(spec.base, first));
    const opened = await openMarket(config);
    const sessions = (opened.market.daily[calendarSymbol(opened.market)] ?? [])
      .map((b) => b.timestamp)
      .filter((d) => d >= opened.startDate && d <= opened.endDate);
    folds = walkForwardFolds(sessions, spec.walk_forward);
  }
  return {
    spec,
    sweepId,
    specSha256: sweepSpecSha256(spec),
    sets,
    ...(folds ? { folds } : {}),
    jobs: sweepJobs(spec, sweepId, folds),
  };
}

/**
 * Records the sweep in the database (or finds it, resuming) and returns the jobs still to run.
 * A sweep that already has results is refused unless `resume` is set: its finished jobs are
 * then skipped.
 */
export async function startPlannedSweep(
  db: TradingDatabase,
  plan: SweepPlan,
  options: { readonly resume?: boolean; readonly createdAt?: string } = {},
): Promise<{ readonly pending: readonly SweepJob[]; readonly recorded: number }> {
  await startSweep(db, {
    sweepId: plan.sweepId,
    createdAt: options.createdAt ?? new Date().toISOString(),
    specSha256: plan.specSha256,
    spec: sweepSpecJson(plan.spec),
    jobsTotal: plan.jobs.length,
  });
  const recorded = await recordedSweepJobIds(db, plan.sweepId);
  if (recorded.size > 0 && !options.resume)
    throw new ConfigError(
      'resume',
      `sweep ${plan.sweepId} already has ${recorded.size} of ${plan.jobs.length} jobs recorded: resume it (--resume) or give another sweep id`,
    );
  return { pending: plan.jobs.filter((j) => !recorded.has(j.jobId)), recorded: recorded.size };
}
