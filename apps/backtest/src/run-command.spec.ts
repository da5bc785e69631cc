import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@quantpipe/storage';
import { EQUITY_CSV_HEADER, TRADES_CSV_HEADER, parseBacktestConfig } from '@quantpipe/backtest';
import { executeRun } from './run-command';

describe('backtest run (command)', () => {
  it('writes every output, stores the run, and ends with the summary and the report path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-run-'));
    const config = parseBacktestConfig({
      symbols: ['SYNA', 'SYNB'],
      synthetic: { sessions: 330 },
      warmup_sessions: 280,
      output_dir: dir,
      run_id: 'cmd-test',
    });
    let printed = '';
    const outputs = await executeRun(config, {
      isTTY: false,
      write: (t: string) => (printed += t),
    });

    expect(printed).toMatch(/\| Sharpe +\| +-?[\d.]+ \|/);
    expect(printed.endsWith(`report: ${outputs.reportHtml}\n`)).toBe(true);
    expect(printed).not.toMatch(/\[[░█]+\]/); // no progress bar off a terminal

    const metrics = JSON.parse(readFileSync(outputs.metricsJson, 'utf8')) as {
      performance: { periods: number; totalReturn: number };
      activity: { trades: number };
      compositeMode: string;
    };
    expect(metrics.performance.periods).toBe(50);
    expect(metrics.compositeMode).toBe('hybrid');
    const trades = readFileSync(outputs.tradesCsv, 'utf8').trim().split('\n');
    expect(trades[0]).toBe(TRADES_CSV_HEADER.join(','));
    expect(trades).toHaveLength(metrics.activity.trades + 1);
    const equity = readFileSync(outputs.equityCsv, 'utf8').trim().split('\n');
    expect(equity[0]).toBe(EQUITY_CSV_HEADER.join(','));
    expect(equity).toHaveLength(51);
    expect(existsSync(outputs.reportHtml)).toBe(true);

    const db = await openDatabase(outputs.databaseUrl);
    try {
      const runs = await db.listRuns();
      expect(runs.map((r) => [r.runId, r.mode, r.status])).toEqual([
        ['cmd-test', 'backtest', 'stopped'],
      ]);
      expect(await db.getPortfolioSnapshots()).toHaveLength(50);
      const orders = await db.listOrders({ runId: 'cmd-test' });
      expect(orders.length).toBeGreaterThan(0);
      expect(orders.every((o) => o.status === 'filled' && o.filledQuantity === o.quantity)).toBe(
        true,
      );
      expect(orders.length).toBe(metrics.activity.trades);
      const signals = await db.getSignals({ symbol: 'SYNA' });
      expect(signals).toHaveLength(49);
      expect(signals.every((s) => s.composite !== null)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('a second run into the same database is stored beside the first (fill ids are per run)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-two-'));
    const databaseUrl = `sqlite:${join(dir, 'shared.sqlite')}`;
    const run = (runId: string) =>
      executeRun(
        parseBacktestConfig({
          symbols: ['SYNA', 'SYNB'],
          synthetic: { sessions: 300 },
          warmup_sessions: 280,
          output_dir: dir,
          run_id: runId,
          database_url: databaseUrl,
        }),
        { isTTY: false, write: () => undefined },
      );
    await run('first');
    await run('second');
    const db = await openDatabase(databaseUrl);
    try {
      const runs = await db.listRuns();
      expect(runs.map((r) => [r.runId, r.status]).sort()).toEqual([
        ['first', 'stopped'],
        ['second', 'stopped'],
      ]);
      const first = await db.listOrders({ runId: 'first' });
      const second = await db.listOrders({ runId: 'second' });
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBe(first.length);
      expect(second[0]?.id).toMatch(/^second\/sim-\d+$/);
      const fills = await db.listFills();
      expect(new Set(fills.map((f) => f.fillId)).size).toBe(first.length + second.length);
    } finally {
      await db.close();
    }
  });

  it('a run that fails while storing leaves no complete-looking output folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-atomic-'));
    const config = parseBacktestConfig({
      symbols: ['SYNA', 'SYNB'],
      synthetic: { sessions: 300 },
      warmup_sessions: 280,
      output_dir: join(dir, 'out'),
      run_id: 'half',
      database_url: `sqlite:${join(dir, 'shared.sqlite')}`,
    });
    const quiet = { isTTY: false, write: () => undefined };
    await executeRun(config, quiet);
    // The same run id into the same database again: the store refuses it after the files
    // were written. Nothing of the failed run appears; the earlier folder stays whole.
    await expect(executeRun(config, quiet)).rejects.toThrow(/half/);
    expect(readdirSync(join(dir, 'out'))).toEqual(['half']);
    expect(existsSync(join(dir, 'out', 'half', 'report.html'))).toBe(true);
    const other = join(dir, 'other');
    await expect(executeRun({ ...config, output_dir: other }, quiet)).rejects.toThrow(/half/);
    expect(existsSync(other) ? readdirSync(other) : []).toEqual([]);
  });
});
