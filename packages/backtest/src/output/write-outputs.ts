import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { openDatabase } from '@quantpipe/storage';
import { buildHtmlReport } from '../report/html-report';
import type { BacktestResult } from '../result/backtest-result';
import type { AuditSummary } from '../runner/accounting-audit';
import type { BacktestOrderLog } from '../runner/run-backtest';
import { equityCsv, tradesCsvChunks } from './csv-files';
import { computeBacktestMetrics, metricLines, type BacktestMetrics } from './performance';
import { storeRun } from './store-run';

/** Where a run's outputs went. */
export interface RunOutputs {
  readonly directory: string;
  readonly metricsJson: string;
  readonly tradesCsv: string;
  readonly equityCsv: string;
  readonly reportHtml: string;
  /** Database URL the run was stored in. */
  readonly databaseUrl: string;
  readonly metrics: BacktestMetrics;
}

/**
 * Writes a run's outputs into `<outputDir>/<runId>/`: metrics.json, trades.csv, equity.csv,
 * report.html, and stores the run in the database (default a SQLite file in that folder).
 * The folder appears whole or not at all (written under a temporary name, then renamed).
 */
export async function writeOutputs(
  outcome: {
    readonly result: BacktestResult;
    readonly audit: AuditSummary;
    readonly orderLog: BacktestOrderLog;
  },
  options: {
    readonly outputDir: string;
    readonly databaseUrl?: string;
    readonly startedAtIso: string;
  },
): Promise<RunOutputs> {
  const { result, audit } = outcome;
  const directory = resolve(options.outputDir, result.runId);
  // Written into a temporary folder beside the final one, then renamed: a run killed part-way
  // leaves only a `.partial-` folder, never a complete-looking metrics.json or report.html.
  const partial = join(dirname(directory), `.partial-${basename(directory)}-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const metrics = computeBacktestMetrics(result, audit);
  const names = {
    metricsJson: 'metrics.json',
    tradesCsv: 'trades.csv',
    equityCsv: 'equity.csv',
    reportHtml: 'report.html',
  } as const;
  const paths = {
    metricsJson: join(directory, names.metricsJson),
    tradesCsv: join(directory, names.tradesCsv),
    equityCsv: join(directory, names.equityCsv),
    reportHtml: join(directory, names.reportHtml),
  };
  const databaseFile = 'backtest.sqlite';
  const inFolder = options.databaseUrl === undefined;
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(directory, databaseFile)}`;
  try {
    await writeFile(
      join(partial, names.metricsJson),
      `${JSON.stringify({ ...metrics, dataWarnings: result.dataWarnings ?? [], config: result.config }, null, 2)}\n`,
    );
    await writeFile(join(partial, names.tradesCsv), tradesCsvChunks(result.trades));
    await writeFile(join(partial, names.equityCsv), equityCsv(result.equity));
    await writeFile(
      join(partial, names.reportHtml),
      await buildHtmlReport(result, metricLines(metrics)),
    );
    const db = await openDatabase(
      inFolder ? `sqlite:${join(partial, databaseFile)}` : databaseUrl,
      // A new file inside the folder that is renamed only when complete: nothing else opens it
      // before then, so it is bulk-loaded (no WAL, no fsync). A database given by URL is not.
      inFolder ? { bulkLoad: true } : { synchronous: 'NORMAL' },
    );
    try {
      await storeRun(db, result, metrics, outcome.orderLog, options.startedAtIso);
    } finally {
      await db.close();
    }
    // An earlier run's folder of the same id is replaced whole.
    if (await exists(directory)) await rm(directory, { recursive: true, force: true });
    await rename(partial, directory);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { directory, ...paths, databaseUrl, metrics };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
