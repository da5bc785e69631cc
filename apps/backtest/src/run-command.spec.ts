import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
});
