import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openDatabase } from '@quantpipe/storage';
import { buildHtmlReport } from '../report/html-report';
import type { BacktestResult } from '../result/backtest-result';
import type { AuditSummary } from '../runner/accounting-audit';
import type { BacktestOrderLog } from '../runner/run-backtest';
import { equityCsv, tradesCsv } from './csv-files';
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
  await mkdir(directory, { recursive: true });
  const metrics = computeBacktestMetrics(result, audit);
  const paths = {
    metricsJson: join(directory, 'metrics.json'),
    tradesCsv: join(directory, 'trades.csv'),
    equityCsv: join(directory, 'equity.csv'),
    reportHtml: join(directory, 'report.html'),
  };
  await writeFile(
    paths.metricsJson,
    `${JSON.stringify({ ...metrics, dataWarnings: result.dataWarnings ?? [], config: result.config }, null, 2)}\n`,
  );
  await writeFile(paths.tradesCsv, tradesCsv(result.trades));
  await writeFile(paths.equityCsv, equityCsv(result.equity));
  await writeFile(paths.reportHtml, await buildHtmlReport(result, metricLines(metrics)));
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(directory, 'backtest.sqlite')}`;
  const db = await openDatabase(databaseUrl, { synchronous: 'NORMAL' });
  try {
    await storeRun(db, result, metrics, outcome.orderLog, options.startedAtIso);
  } finally {
    await db.close();
  }
  return { directory, ...paths, databaseUrl, metrics };
}
