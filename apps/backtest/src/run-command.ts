import cliProgress from 'cli-progress';
import type { Logger } from '@quantpipe/core';
import {
  metricLines,
  openMarket,
  runBacktest,
  summaryTable,
  writeOutputs,
  type BacktestConfig,
  type RunOutputs,
} from '@quantpipe/backtest';

/** Where the command prints (a stream; `isTTY` switches the progress bar on). */
export interface CommandOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Steps above which a progress bar is worth showing. */
const PROGRESS_MIN_STEPS = 50;

/**
 * `backtest run`: opens the market, runs the engine over it, writes the outputs, then prints the
 * summary table and the report's path. The progress bar is shown only on a terminal.
 */
export async function executeRun(
  config: BacktestConfig,
  out: CommandOutput = process.stdout,
  logger?: Logger,
): Promise<RunOutputs> {
  const startedAtIso = new Date().toISOString();
  const opened = await openMarket(config);
  out.write(
    `backtest: ${opened.market.label}, ${opened.market.symbols.length} symbols, ${opened.startDate} → ${opened.endDate}, ${config.rebalance} rebalance\n`,
  );
  const showProgress = config.progress && out.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  const outcome = await runBacktest({
    config,
    market: opened,
    ...(logger ? { logger } : {}),
    onProgress: (done, total) => {
      if (!showProgress || total < PROGRESS_MIN_STEPS) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: 'backtest [{bar}] {percentage}% | {value}/{total} steps | ETA {eta}s',
            hideCursor: true,
            // Drawn where the summary goes (cli-progress defaults to stderr).
            ...(out === process.stdout ? { stream: process.stdout } : {}),
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.update(done);
      if (done === total) bar.stop();
    },
  });
  const outputs = await writeOutputs(outcome, {
    outputDir: config.output_dir,
    ...(config.database_url === undefined ? {} : { databaseUrl: config.database_url }),
    startedAtIso,
  });
  const m = outputs.metrics;
  out.write(`\n${summaryTable(metricLines(m))}\n`);
  out.write(
    `\n${m.activity.cycles} cycles, ${m.activity.barsProcessed} bars in ${(outcome.result.wallTimeMs / 1000).toFixed(1)} s; accounting audit: ${outcome.audit.checks} checks passed\n`,
  );
  out.write(
    `outputs: ${outputs.directory} (metrics.json, trades.csv, equity.csv; run stored in ${outputs.databaseUrl})\n`,
  );
  out.write(`report: ${outputs.reportHtml}\n`);
  return outputs;
}
