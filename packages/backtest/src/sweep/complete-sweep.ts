import type { JsonValue } from '@quantpipe/core';
import { finishSweep, listSweepJobs, type TradingDatabase } from '@quantpipe/storage';
import type { SweepPlan } from './prepare-sweep';
import { buildSweepReport } from './sweep-report';
import { writeSweepOutputs, type SweepOutputs } from './sweep-outputs';
import { summarizeSweep, type SweepSummary } from './sweep-summary';

/**
 * Summarises a sweep from the jobs recorded in the database, stores the summary with the sweep
 * (marking it finished when every job is recorded) and writes sweep.json, sweep.csv and
 * report.html under `outputDir`.
 */
export async function completeSweep(
  db: TradingDatabase,
  plan: SweepPlan,
  options: { readonly outputDir: string },
): Promise<{ readonly summary: SweepSummary; readonly outputs: SweepOutputs }> {
  const jobs = await listSweepJobs(db, plan.sweepId);
  const summary = summarizeSweep({
    sweepId: plan.sweepId,
    spec: plan.spec,
    sets: plan.sets,
    ...(plan.folds ? { folds: plan.folds } : {}),
    jobsTotal: plan.jobs.length,
    jobs,
  });
  if (summary.jobs.missing === 0)
    await finishSweep(db, plan.sweepId, {
      finishedAt: new Date().toISOString(),
      summary: JSON.parse(JSON.stringify(summary)) as JsonValue,
    });
  const html = await buildSweepReport(plan.spec, summary);
  const outputs = await writeSweepOutputs(options.outputDir, summary, jobs, html);
  return { summary, outputs };
}
