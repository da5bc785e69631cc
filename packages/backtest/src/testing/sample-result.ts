import { TradeLog } from '../result/trade-log';
import { TableDecisionLog } from '../result/table-decision-log';
import type { BacktestResult, EquityPoint, SignalStateRecord } from '../result/backtest-result';

/**
 * A deterministic, internally consistent result (for report tests that must not depend on a
 * full backtest): a slow sine-wave equity curve over `sessions` weekdays.
 */
export function sampleResult(sessions = 300): BacktestResult {
  const equity: EquityPoint[] = [];
  const states: SignalStateRecord[] = [];
  const signals = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'];
  // Decisions of two symbols, each session: contributions summing to the composite.
  const symbols = ['AAA', 'BBB'];
  const K = signals.length;
  const cells = sessions * symbols.length;
  const composite = new Float64Array(cells);
  const contributions = new Float64Array(cells * K);
  for (let cell = 0; cell < cells; cell++)
    for (let k = 0; k < K; k++) {
      const x = 0.1 * Math.sin(cell / 11 + k);
      contributions[cell * K + k] = x;
      composite[cell] = (composite[cell] as number) + x;
    }
  const price = (d: number, s: number) => 100 + 10 * Math.sin(d / 13 + s);
  const decisions = new TableDecisionLog(
    {
      symbols,
      signalNames: signals,
      composite,
      confidence: new Float64Array(cells).fill(1),
      signals: contributions.map((x) => 2 * x),
      contributions,
      priceUsd: price,
    },
    cells,
  );
  let t = Date.parse('2020-01-01T00:00:00Z');
  for (let i = 0; i < sessions; i++) {
    let day = new Date(t).getUTCDay();
    while (day === 0 || day === 6) {
      t += 86_400_000;
      day = new Date(t).getUTCDay();
    }
    const date = new Date(t).toISOString().slice(0, 10);
    decisions.beginCycle(`${date}T21:00:00Z`, i, i);
    symbols.forEach((_, s) =>
      decisions.append(s, Math.round(1000 * (composite[i * 2 + s] as number)), i === 0 ? 0 : 100),
    );
    const equityUsd = 1_000_000 * (1 + 0.0004 * i + 0.03 * Math.sin(i / 17));
    const positionsValueUsd = 400_000 + 50_000 * Math.cos(i / 9);
    equity.push({
      timestamp: `${date}T21:00:00Z`,
      date,
      cashUsd: equityUsd - positionsValueUsd,
      positionsValueUsd,
      equityUsd,
      grossExposureUsd: 900_000,
      netExposureUsd: positionsValueUsd,
      leverage: 900_000 / equityUsd,
      benchmarkClose: 200 * (1 + 0.0003 * i + 0.02 * Math.sin(i / 23)),
      feesUsd: 10 * i,
      slippageUsd: 5 * i,
      hedgeActive: false,
      hedgePnlUsd: 0,
    });
    const raw = signals.map((_, k) => 1 + 0.5 * Math.sin(i / 30 + k));
    const total = raw.reduce((a, b) => a + b, 0);
    states.push({
      timestamp: `${date}T21:00:00Z`,
      cycle: i,
      weights: Object.fromEntries(signals.map((s, k) => [s, (raw[k] as number) / total])),
      health: Object.fromEntries(signals.map((s, k) => [s, 0.5 + 0.3 * Math.sin(i / 40 + k)])),
      ic: Object.fromEntries(signals.map((s, k) => [s, 0.05 * Math.cos(i / 25 + k)])),
    });
    t += 86_400_000;
  }
  return {
    runId: 'sample',
    sourceLabel: 'sample data',
    symbols: ['AAA', 'BBB'],
    benchmarkSymbol: 'SYNMKT',
    rebalance: 'daily',
    compositeMode: 'hybrid',
    compositeReason: 'hourly bars cover the period',
    initialCapitalUsd: 1_000_000,
    startDate: equity[0]?.date ?? '',
    endDate: equity[equity.length - 1]?.date ?? '',
    universeChanges: [],
    equity,
    trades: new TradeLog(),
    decisions,
    signalStates: states,
    cycles: sessions,
    killSwitchResets: 0,
    hedgeActiveSessions: 0,
    barsProcessed: sessions * 3,
    alerts: [{ timestamp: '2020-03-02T21:00:00Z', level: 'WARNING', message: 'a <test> alert' }],
    wallTimeMs: 1,
    config: { source: 'synthetic' },
  };
}
