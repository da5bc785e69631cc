/**
 * Backtest benchmark: 100 symbols x 10 years (2,520 sessions) of daily synthetic bars through
 * the backtest app — the trading engine with its full pipeline (five signals, walk-forward
 * weights and health re-estimated monthly, sizing, risk), the simulated broker and clock, daily
 * rebalancing — then the outputs (CSV, JSON, HTML report, SQLite).
 *
 *   node --conditions=@quantpipe/source --import tsx tools/bench/src/backtest.ts [symbols] [sessions] [--default-limits]
 *
 * The app is run as a child process (tools may not import apps) through the same launcher as
 * `npm start` (tools/scripts/run-app.mjs, with its V8 flags); the figures come from its metrics.json and the process's wall time. Target (2-core
 * machine): under 5 s for the simulation.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCount, machineLine } from './harness';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SYMBOLS = Number(positional[0] ?? 100);
const SESSIONS = Number(positional[1] ?? 2520);
/**
 * With the default risk limits the drawdown kill switch flattens this synthetic book for good
 * after a few hundred sessions (kill_switch_reset: never), leaving the engine idle for the rest
 * of the run. The benchmark measures the engine under load, so by default it widens the loss
 * limits to -99 % and the spec's strategy trades every session to the end; `--default-limits`
 * runs the stock configuration instead.
 */
const DEFAULT_LIMITS = process.argv.includes('--default-limits');
const LIMIT_FLAGS = DEFAULT_LIMITS ? [] : ['--max-drawdown', '-0.99', '--max-daily-loss', '-0.99'];
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
  `backtest benchmark: ${SYMBOLS} symbols x ${SESSIONS} daily sessions, full pipeline, monthly re-weighting, ${DEFAULT_LIMITS ? 'default risk limits' : 'loss limits widened to -99 % (engine under load)'}`,
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
    ...LIMIT_FLAGS,
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
// The trades' fingerprint: identical runs (before and after a change) print the same one.
const tradesSha = createHash('sha256')
  .update(readFileSync(join(out, 'bench', 'trades.csv')))
  .digest('hex')
  .slice(0, 16);
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
console.log(
  `final equity ${metrics.finalEquityUsd.toFixed(2)} USD, trades.csv sha256 ${tradesSha}`,
);
