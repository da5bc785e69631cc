import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openDatabase, type TradingDatabase } from '@quantpipe/storage';
import { planSweep, startPlannedSweep, type SweepPlan } from './prepare-sweep';
import type { SweepJob } from './sweep-jobs';
import type { SweepSpec } from './sweep-spec';

/** Where a sweep run starts from: what to run, where it writes, and what is left to run. */
export interface PreparedSweepRun {
  readonly plan: SweepPlan;
  /** The folder of every sweep's outputs (absolute); this sweep's are in `<sweepId>/`. */
  readonly outputDir: string;
  readonly databaseUrl: string;
  /** The open database; the caller closes it. */
  readonly db: TradingDatabase;
  /** The jobs not yet recorded, and how many are. */
  readonly pending: readonly SweepJob[];
  readonly recorded: number;
}

/**
 * The start shared by a local and a queued sweep: plans it, creates its folder
 * `<outputDir>/<sweepId>/` (`outputDir` default `out/sweeps`), opens its database (default
 * `sweep.sqlite` in that folder) and records the sweep there ({@link startPlannedSweep}: a sweep
 * with results is refused unless `resume`). The database is closed again when that fails.
 */
export async function prepareSweepRun(options: {
  readonly spec: SweepSpec;
  readonly sweepId?: string;
  readonly outputDir?: string;
  readonly databaseUrl?: string;
  readonly resume?: boolean;
}): Promise<PreparedSweepRun> {
  const plan = await planSweep(options.spec, options.sweepId ? { sweepId: options.sweepId } : {});
  const outputDir = resolve(options.outputDir ?? join('out', 'sweeps'));
  const directory = join(outputDir, plan.sweepId);
  await mkdir(directory, { recursive: true });
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(directory, 'sweep.sqlite')}`;
  const db = await openDatabase(databaseUrl);
  try {
    const { pending, recorded } = await startPlannedSweep(db, plan, {
      ...(options.resume === undefined ? {} : { resume: options.resume }),
    });
    return { plan, outputDir, databaseUrl, db, pending, recorded };
  } catch (error) {
    await db.close();
    throw error;
  }
}
