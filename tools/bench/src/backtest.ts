/**
 * Backtest benchmark: 100 symbols x 10 years (2,520 sessions) of daily synthetic bars through
 * the backtest app — the trading engine with its full pipeline (five signals, walk-forward
 * weights and health re-estimated monthly, sizing, risk), the simulated broker and clock, daily
 * rebalancing — then the outputs (CSV, JSON, HTML report, SQLite).
 *
 *   node --conditions=@quantpipe/source --import tsx tools/bench/src/backtest.ts [symbols] [sessions]
 *
 * The app is run as a child process (tools may not import apps) through the same launcher as
 * `npm start` (tools/scripts/run-app.mjs, with its V8 flags); the figures come from its metrics.json and the process's wall time. Target (2-core
 * machine): under 5 s for the simulation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCount, machineLine } from './harness';

const SYMBOLS = Number(process.argv[2] ?? 100);
const SESSIONS = Number(process.argv[3] ?? 2520);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'qp-bench-backtest-'));

interface Metrics {
  readonly wallTimeMs: number;
  readonly activity: {
    readonly cycles: number;
    readonly trades: number;
    readonly barsProcessed: number;
  };
  readonly finalEquityUsd: number;
}

console.log(
  `backtest benchmark: ${SYMBOLS} symbols x ${SESSIONS} daily sessions, full pipeline, monthly re-weighting`,
);
console.log(machineLine());
const started = process.hrtime.bigint();
const child = spawnSync(
  process.execPath,
  [
    join(root, 'tools', 'scripts', 'run-app.mjs'),
    'backtest',
    'run',
    '--universe-size',
    String(SYMBOLS),
    '--sessions',
    String(SESSIONS),
    '--no-hourly',
    '--reweight',
    'monthly',
    '--rebalance',
    'daily',
    '--no-progress',
    '--out',
    out,
    '--run-id',
    'bench',
  ],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
if (child.status !== 0) {
  console.error(child.stdout, child.stderr);
  throw new Error(`backtest exited with ${String(child.status)}`);
}
const metrics = JSON.parse(readFileSync(join(out, 'bench', 'metrics.json'), 'utf8')) as Metrics;
rmSync(out, { recursive: true, force: true });
const inputBars = SYMBOLS * SESSIONS;
const simSeconds = metrics.wallTimeMs / 1000;
console.log(
  `simulation: ${metrics.activity.cycles} cycles, ${formatCount(metrics.activity.trades)} fills, ` +
    `${formatCount(inputBars)} input bars in ${simSeconds.toFixed(2)} s = ${formatCount(inputBars / simSeconds)} bars/s ` +
    `(${formatCount(metrics.activity.barsProcessed / simSeconds)} marked bars/s; target < 5 s)`,
);
console.log(
  `whole command (start-up, data, simulation, outputs): ${(wallMs / 1000).toFixed(2)} s wall`,
);
console.log(`final equity ${metrics.finalEquityUsd.toFixed(2)} USD`);
