import type { JsonValue } from '@quantpipe/core';
import {
  computePerformance,
  deflatedSharpeRatio,
  probabilisticSharpeRatio,
  probabilityOfBacktestOverfitting,
  sharpeMoments,
  type PerformanceReport,
} from '@quantpipe/risk';
import type { DailyEquity, SweepJobRecord } from '@quantpipe/storage';
import { OBJECTIVES, compareByObjective, objectiveValue, type ObjectiveName } from './objectives';
import { compound, dailyReturns, joinReturns, type DatedReturns } from './stitch-equity';
import type { ParameterSet } from './sweep-jobs';
import type { SweepSpec } from './sweep-spec';
import type { SessionWindow, WalkForwardFold } from './walk-forward-folds';

/** Trading days a year, for annualising per-day Sharpe ratios in the summary. */
const PERIODS_PER_YEAR = 252;

/** How one configuration did, on the sweep's evaluation period. */
export interface ConfigurationResult {
  readonly paramIndex: number;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** `done`: every job of it done; `failed`: one failed; `incomplete`: some not recorded. */
  readonly status: 'done' | 'failed' | 'incomplete';
  readonly objective: number | null;
  /** Annualised Sharpe ratio. */
  readonly sharpe: number | null;
  readonly totalReturn: number | null;
  readonly maxDrawdown: number | null;
  /** Walk-forward: mean of the in-sample objective over the folds. */
  readonly meanInSampleObjective?: number | null;
  /** The first error of its jobs, when one failed. */
  readonly error?: string;
}

/** The deflated Sharpe ratio of the best configuration, or why there is none. */
export interface DeflatedSharpeSummary {
  readonly value: number | null;
  readonly reason?: string;
  /** The configuration it is about. */
  readonly paramIndex?: number;
  /** N: configurations with a complete record. */
  readonly trials: number;
  /** Per-day Sharpe ratio of the best configuration, and annualised. */
  readonly sharpePerDay?: number;
  readonly sharpeAnnualized?: number;
  /** SR₀ per day: the best Sharpe ratio N skill-less configurations would be expected to show. */
  readonly benchmarkSharpePerDay?: number;
  /** Variance of the configurations' per-day Sharpe ratios. */
  readonly sharpeVariance?: number;
  readonly periods?: number;
  readonly skewness?: number;
  readonly kurtosis?: number;
}

/** The probability of backtest overfitting, or why there is none. */
export interface PboSummary {
  readonly value: number | null;
  readonly reason?: string;
  readonly trials: number;
  readonly partitions: number;
  readonly combinations?: number;
  readonly periodsUsed?: number;
  /** The logits λ of the splits, in bins of width 0.5 from -4 to 4 (outside: the end bins). */
  readonly logitHistogram?: readonly { readonly from: number; readonly count: number }[];
}

/** One walk-forward fold's choice and what it gave. */
export interface FoldResult {
  readonly index: number;
  readonly inSample: SessionWindow;
  readonly outOfSample: SessionWindow;
  /** The configuration best in-sample (null when none of the fold's in-sample jobs is done). */
  readonly chosenParamIndex: number | null;
  readonly chosenParameters: Readonly<Record<string, JsonValue>> | null;
  readonly inSampleObjective: number | null;
  readonly outOfSampleObjective: number | null;
  /** In-sample jobs the choice was made among. */
  readonly candidates: number;
}

/** The walk-forward result: each fold's choice, and the stitched out-of-sample equity. */
export interface WalkForwardSummary {
  readonly mode: 'rolling' | 'anchored';
  readonly folds: readonly FoldResult[];
  /** The chosen configurations' out-of-sample runs, chained (folds without one are left out). */
  readonly stitched: DailyEquity;
  /** Figures of the stitched out-of-sample series. */
  readonly objective: number | null;
  readonly sharpe: number | null;
  readonly totalReturn: number | null;
  readonly maxDrawdown: number | null;
  /** Probability that the stitched series' true Sharpe ratio is positive. */
  readonly probabilisticSharpe: number | null;
  readonly meanInSampleObjective: number | null;
  readonly meanOutOfSampleObjective: number | null;
  /**
   * In-sample reference: the configuration best over the whole out-of-sample period, chosen
   * with hindsight, and its equity over the same sessions.
   */
  readonly hindsight: {
    readonly paramIndex: number;
    readonly parameters: Readonly<Record<string, JsonValue>>;
    readonly equity: DailyEquity;
  } | null;
}

/** A failed job. */
export interface JobFailure {
  readonly jobId: string;
  readonly paramIndex: number;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  readonly code: string;
  readonly message: string;
}

/** What a finished sweep found. */
export interface SweepSummary {
  readonly sweepId: string;
  readonly objective: ObjectiveName;
  readonly objectiveLabel: string;
  /** What the configurations are compared on. */
  readonly evaluation: 'whole period' | 'stitched out-of-sample';
  readonly initialCapitalUsd: number | null;
  readonly parameterKeys: readonly string[];
  readonly heatmap?: { readonly x: string; readonly y: string };
  readonly jobs: {
    readonly total: number;
    readonly done: number;
    readonly failed: number;
    readonly missing: number;
  };
  readonly configurations: readonly ConfigurationResult[];
  readonly top: readonly ConfigurationResult[];
  readonly best: ConfigurationResult | null;
  readonly deflatedSharpe: DeflatedSharpeSummary;
  readonly pbo: PboSummary;
  readonly walkForward?: WalkForwardSummary;
  readonly failures: readonly JobFailure[];
}

function initialCapitalOf(job: SweepJobRecord): number {
  const metrics = job.metrics as { initialCapitalUsd?: unknown } | null;
  const value = metrics?.initialCapitalUsd;
  return typeof value === 'number' ? value : NaN;
}

function returnsOf(job: SweepJobRecord): DatedReturns | null {
  if (job.status !== 'done' || job.dailyEquity === null) return null;
  return dailyReturns(job.dailyEquity, initialCapitalOf(job));
}

function performanceOf(series: DatedReturns): PerformanceReport | null {
  if (series.returns.length < 2) return null;
  return computePerformance(series.returns, { dates: series.dates });
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;

function histogram(logits: readonly number[]): { from: number; count: number }[] {
  const bins = Array.from({ length: 16 }, (_, i) => ({ from: -4 + i * 0.5, count: 0 }));
  for (const l of logits) {
    const i = Math.min(15, Math.max(0, Math.floor((l + 4) / 0.5)));
    (bins[i] as { count: number }).count++;
  }
  return bins;
}

function deflatedSharpeOf(
  evaluated: readonly { readonly paramIndex: number; readonly series: DatedReturns }[],
  best: ConfigurationResult | null,
): DeflatedSharpeSummary {
  const trials = evaluated.length;
  const chosen = best ? evaluated.find((e) => e.paramIndex === best.paramIndex) : undefined;
  if (!chosen) return { value: null, reason: 'no configuration has a complete record', trials };
  if (chosen.series.returns.length < 2)
    return { value: null, reason: 'fewer than 2 daily returns', trials };
  const sharpes = evaluated.map((e) => sharpeMoments(e.series.returns).sharpe);
  const m = mean(sharpes) as number;
  const sharpeVariance =
    trials < 2 ? 0 : sharpes.reduce((s, x) => s + (x - m) * (x - m), 0) / (trials - 1);
  const moments = sharpeMoments(chosen.series.returns);
  const facts = {
    paramIndex: chosen.paramIndex,
    trials,
    sharpePerDay: moments.sharpe,
    sharpeAnnualized: moments.sharpe * Math.sqrt(PERIODS_PER_YEAR),
    sharpeVariance,
    periods: moments.periods,
    skewness: moments.skewness,
    kurtosis: moments.kurtosis,
  };
  try {
    const dsr = deflatedSharpeRatio({ ...moments, trials, sharpeVariance });
    return { value: dsr.deflatedSharpe, benchmarkSharpePerDay: dsr.benchmarkSharpe, ...facts };
  } catch (error) {
    return { value: null, reason: (error as Error).message, ...facts };
  }
}

function pboOf(
  evaluated: readonly { readonly series: DatedReturns }[],
  partitions: number,
): PboSummary {
  const trials = evaluated.length;
  if (trials < 2)
    return {
      value: null,
      reason: 'needs 2 configurations with a complete record',
      trials,
      partitions,
    };
  // Align on the sessions every configuration has (a universe may start later than another).
  const counts = new Map<string, number>();
  for (const e of evaluated)
    for (const d of e.series.dates) counts.set(d, (counts.get(d) ?? 0) + 1);
  const common = new Set([...counts].filter(([, n]) => n === trials).map(([d]) => d));
  const matrix = evaluated.map((e) =>
    e.series.returns.filter((_, i) => common.has(e.series.dates[i] as string)),
  );
  try {
    const r = probabilityOfBacktestOverfitting(matrix, { partitions });
    return {
      value: r.pbo,
      trials,
      partitions,
      combinations: r.logits.length,
      periodsUsed: r.periodsUsed,
      logitHistogram: histogram(r.logits),
    };
  } catch (error) {
    return { value: null, reason: (error as Error).message, trials, partitions };
  }
}

function configurationFromJob(
  set: ParameterSet,
  job: SweepJobRecord | undefined,
): ConfigurationResult {
  const sharpe = job?.sharpe ?? null;
  return {
    paramIndex: set.index,
    parameters: set.values,
    status: job === undefined ? 'incomplete' : job.status,
    objective: job?.objective ?? null,
    sharpe,
    totalReturn: job?.totalReturn ?? null,
    maxDrawdown: job?.maxDrawdown ?? null,
    ...(job?.error ? { error: job.error.message } : {}),
  };
}

/**
 * The summary of a sweep from its recorded jobs: every configuration's figures, the top ones,
 * the best, its deflated Sharpe ratio over the number of configurations, the probability of
 * backtest overfitting over all of them, and with folds the walk-forward choice and its
 * stitched out-of-sample equity. Without folds, configurations are compared on their runs over
 * the whole period; with folds, on their out-of-sample runs stitched together.
 */
export function summarizeSweep(input: {
  readonly sweepId: string;
  readonly spec: SweepSpec;
  readonly sets: readonly ParameterSet[];
  readonly folds?: readonly WalkForwardFold[];
  readonly jobsTotal: number;
  readonly jobs: readonly SweepJobRecord[];
}): SweepSummary {
  const { spec, sets, folds, jobs } = input;
  const objective = spec.objective;
  const slot = (paramIndex: number, foldIndex: number | null, phase: string): string =>
    `${paramIndex}|${foldIndex ?? ''}|${phase}`;
  const bySlot = new Map(jobs.map((j) => [slot(j.paramIndex, j.foldIndex, j.phase), j]));
  const ofSet = new Map<number, SweepJobRecord[]>();
  for (const j of jobs) ofSet.set(j.paramIndex, [...(ofSet.get(j.paramIndex) ?? []), j]);
  const done = jobs.filter((j) => j.status === 'done');
  const initialCapitalUsd = done.length > 0 ? initialCapitalOf(done[0] as SweepJobRecord) : null;

  const evaluated: { paramIndex: number; series: DatedReturns }[] = [];
  const configurations: ConfigurationResult[] = sets.map((set) => {
    const own = ofSet.get(set.index) ?? [];
    if (!folds) {
      const job = own[0];
      const series = job ? returnsOf(job) : null;
      if (series) evaluated.push({ paramIndex: set.index, series });
      return configurationFromJob(set, job);
    }
    const oos = folds.map((f) =>
      own.find((j) => j.foldIndex === f.index && j.phase === 'out_of_sample'),
    );
    const is = own.filter((j) => j.phase === 'in_sample');
    const failed = own.find((j) => j.status === 'failed');
    const isObjectives = is.map((j) => j.objective).filter((o): o is number => o !== null);
    const complete = oos.every((j) => j?.status === 'done');
    const series = complete
      ? joinReturns(oos.map((j) => returnsOf(j as SweepJobRecord) as DatedReturns))
      : null;
    const perf = series ? performanceOf(series) : null;
    if (series) evaluated.push({ paramIndex: set.index, series });
    return {
      paramIndex: set.index,
      parameters: set.values,
      status: failed ? 'failed' : complete && is.length === folds.length ? 'done' : 'incomplete',
      objective: perf ? objectiveValue(objective, perf) : null,
      sharpe: perf?.sharpeRatio ?? null,
      totalReturn: perf?.totalReturn ?? null,
      maxDrawdown: perf?.maxDrawdown ?? null,
      meanInSampleObjective: mean(isObjectives),
      ...(failed?.error ? { error: failed.error.message } : {}),
    };
  });
  const ranked = [...configurations].sort(compareByObjective);
  const best = ranked[0]?.objective === null || ranked[0] === undefined ? null : ranked[0];

  let walkForward: WalkForwardSummary | undefined;
  if (folds && spec.walk_forward) {
    const foldResults: FoldResult[] = [];
    const segments: DatedReturns[] = [];
    for (const fold of folds) {
      const candidates = sets
        .map((set) => bySlot.get(slot(set.index, fold.index, 'in_sample')))
        .filter((j): j is SweepJobRecord => j !== undefined && j.status === 'done');
      const chosen = [...candidates].sort(compareByObjective)[0];
      const oos = chosen
        ? bySlot.get(slot(chosen.paramIndex, fold.index, 'out_of_sample'))
        : undefined;
      const series = oos ? returnsOf(oos) : null;
      if (series) segments.push(series);
      foldResults.push({
        index: fold.index,
        inSample: fold.inSample,
        outOfSample: fold.outOfSample,
        chosenParamIndex: chosen?.paramIndex ?? null,
        chosenParameters: chosen?.parameters ?? null,
        inSampleObjective: chosen?.objective ?? null,
        outOfSampleObjective: oos?.objective ?? null,
        candidates: candidates.length,
      });
    }
    const stitchedReturns = joinReturns(segments);
    const capital = initialCapitalUsd ?? 1;
    const perf = performanceOf(stitchedReturns);
    let psr: number | null = null;
    if (stitchedReturns.returns.length >= 2) {
      try {
        psr = probabilisticSharpeRatio({
          ...sharpeMoments(stitchedReturns.returns),
          benchmarkSharpe: 0,
        });
      } catch {
        psr = null;
      }
    }
    const hindsightSet = best ? evaluated.find((e) => e.paramIndex === best.paramIndex) : undefined;
    walkForward = {
      mode: spec.walk_forward.mode,
      folds: foldResults,
      stitched: compound(stitchedReturns, capital),
      objective: perf ? objectiveValue(objective, perf) : null,
      sharpe: perf?.sharpeRatio ?? null,
      totalReturn: perf?.totalReturn ?? null,
      maxDrawdown: perf?.maxDrawdown ?? null,
      probabilisticSharpe: psr,
      meanInSampleObjective: mean(
        foldResults.map((f) => f.inSampleObjective).filter((o): o is number => o !== null),
      ),
      meanOutOfSampleObjective: mean(
        foldResults.map((f) => f.outOfSampleObjective).filter((o): o is number => o !== null),
      ),
      hindsight:
        best && hindsightSet
          ? {
              paramIndex: best.paramIndex,
              parameters: best.parameters,
              equity: compound(hindsightSet.series, capital),
            }
          : null,
    };
  }

  const failures: JobFailure[] = jobs
    .filter((j) => j.status === 'failed')
    .map((j) => ({
      jobId: j.jobId,
      paramIndex: j.paramIndex,
      parameters: j.parameters,
      code: j.error?.code ?? 'E_UNEXPECTED',
      message: j.error?.message ?? '',
    }));
  const parameterKeys = [
    ...new Set([...Object.keys(spec.grid ?? {}), ...(spec.list ?? []).flatMap(Object.keys)]),
  ];
  return {
    sweepId: input.sweepId,
    objective,
    objectiveLabel: OBJECTIVES[objective].label,
    evaluation: folds ? 'stitched out-of-sample' : 'whole period',
    initialCapitalUsd,
    parameterKeys,
    ...(spec.heatmap ? { heatmap: spec.heatmap } : {}),
    jobs: {
      total: input.jobsTotal,
      done: done.length,
      failed: failures.length,
      missing: Math.max(0, input.jobsTotal - jobs.length),
    },
    configurations,
    top: ranked.filter((c) => c.objective !== null).slice(0, spec.top),
    best,
    deflatedSharpe: deflatedSharpeOf(evaluated, best),
    pbo: pboOf(evaluated, spec.pbo_partitions),
    ...(walkForward ? { walkForward } : {}),
    failures,
  };
}
