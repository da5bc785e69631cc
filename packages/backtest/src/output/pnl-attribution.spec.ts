import { parseBacktestConfig } from '../config/backtest-config';
import { TableDecisionLog } from '../result/table-decision-log';
import { runBacktest } from '../runner/run-backtest';
import { computeBacktestMetrics } from './performance';
import { computePnlAttribution, HOURLY_BUCKET, runPnlAttribution } from './pnl-attribution';
import type { BacktestResult } from '../result/backtest-result';

/** One symbol, three decisions; prices 10, 12, 11; contributions [A, B] per decision. */
function log(composite: number[], contributions: number[], shares: number[]) {
  const prices = [10, 12, 11];
  const decisions = new TableDecisionLog({
    symbols: ['AAA'],
    signalNames: ['A', 'B'],
    composite: Float64Array.from(composite),
    confidence: new Float64Array(3).fill(1),
    signals: Float64Array.from(contributions),
    contributions: Float64Array.from(contributions),
    priceUsd: (d) => prices[d] as number,
  });
  ['2024-01-02', '2024-01-03', '2024-01-04'].forEach((date, d) => {
    decisions.beginCycle(`${date}T21:00:00Z`, d, d);
    decisions.append(0, shares[d + 1] ?? 0, shares[d] as number);
  });
  return decisions;
}

describe('computePnlAttribution', () => {
  it('splits each holding P&L by contribution / composite (hand-computed)', () => {
    // held 100 shares 10 -> 12 (+200) set by composite 0.4 = 0.3 + 0.1: A 150, B 50;
    // held 50 shares 12 -> 11 (-50) set by composite 0.2 = -0.1 + 0.3: A 25, B -75.
    const a = computePnlAttribution(
      log([0.4, 0.2, 0.1], [0.3, 0.1, -0.1, 0.3, 0.05, 0.05], [0, 100, 50]),
      ['A', 'B'],
    );
    expect(a?.signals.map((s) => s.signal)).toEqual(['A', 'B']);
    expect(a?.signals[0]?.pnlUsd).toBeCloseTo(175, 10);
    expect(a?.signals[1]?.pnlUsd).toBeCloseTo(-25, 10);
    expect(a?.holdingPnlUsd).toBeCloseTo(150, 10);
    expect(a?.hourlyPnlUsd).toBeCloseTo(0, 12);
    expect(a?.signals[0]?.meanContribution).toBeCloseTo((0.3 - 0.1 + 0.05) / 3, 12);
    // |A| 0.45, |B| 0.45 of 0.9
    expect(a?.signals[0]?.absoluteShare).toBeCloseTo(0.5, 12);
    expect(a?.series.map((p) => p.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(a?.series[2]?.cumulativePnlUsd['A']).toBeCloseTo(175, 10);
  });

  it('puts the hybrid part of the composite in the hourly bucket', () => {
    // composite 0.5 with daily contributions 0.3 + 0.1: A 120, B 40, hourly 40 of +200
    const a = computePnlAttribution(
      log([0.5, 0.2, 0.1], [0.3, 0.1, 0.1, 0.1, 0.05, 0.05], [0, 100, 0]),
      ['A', 'B'],
    );
    expect(a?.signals[0]?.pnlUsd).toBeCloseTo(120, 10);
    expect(a?.signals[1]?.pnlUsd).toBeCloseTo(40, 10);
    expect(a?.hourlyPnlUsd).toBeCloseTo(40, 10);
    expect(a?.series[2]?.cumulativePnlUsd[HOURLY_BUCKET]).toBeCloseTo(40, 10);
  });

  it('leaves a zero composite unattributed and is undefined without contributions', () => {
    const a = computePnlAttribution(log([0, 0.2, 0.1], [0, 0, 0.1, 0.1, 0, 0.1], [0, 100, 0]), [
      'A',
      'B',
    ]);
    expect(a?.unattributedPnlUsd).toBeCloseTo(200, 10);
    expect(a?.signals[0]?.pnlUsd).toBe(0);
    expect(computePnlAttribution(log([1, 1, 1], [1, 0, 1, 0, 1, 0], [0, 1, 1]), [])).toBe(
      undefined,
    );
  });
});

describe('pnlAttribution in the metrics of a real run', () => {
  it('covers the five signals and reconciles with the gross P&L', async () => {
    const config = parseBacktestConfig({
      symbols: ['SYNA', 'SYND', 'SYNF'],
      synthetic: { sessions: 420 },
      warmup_sessions: 300,
      progress: false,
    });
    const { result, audit } = await runBacktest({ config, runId: 'attribution' });
    const m = computeBacktestMetrics(result, audit);
    const a = m.pnlAttribution;
    expect(a?.signals.map((s) => s.signal)).toEqual([
      'Volatility',
      'Momentum',
      'TailRisk',
      'Beta',
      'Carry',
    ]);
    expect(a?.signals.reduce((x, s) => x + s.absoluteShare, 0)).toBeCloseTo(1, 12);
    expect(a?.signals.some((s) => s.pnlUsd !== 0)).toBe(true);
    const attributed =
      (a?.signals.reduce((x, s) => x + s.pnlUsd, 0) ?? NaN) +
      (a?.hourlyPnlUsd ?? NaN) +
      (a?.unattributedPnlUsd ?? NaN);
    expect(attributed).toBeCloseTo(a?.holdingPnlUsd ?? NaN, 6);
    expect((a?.holdingPnlUsd ?? NaN) + (a?.residualUsd ?? NaN)).toBeCloseTo(m.costs.grossPnlUsd, 6);
  }, 60_000);
});

describe('runPnlAttribution', () => {
  it('computes a run once for the metrics and the report, again once its log grew', () => {
    const decisions = new TableDecisionLog({
      symbols: ['AAA'],
      signalNames: ['A', 'B'],
      composite: Float64Array.from([0.4, 0.2, 0.1]),
      confidence: new Float64Array(3).fill(1),
      signals: Float64Array.from([0.3, 0.1, -0.1, 0.3, 0.05, 0.05]),
      contributions: Float64Array.from([0.3, 0.1, -0.1, 0.3, 0.05, 0.05]),
      priceUsd: (d) => [10, 12, 11][d] as number,
    });
    const shares = [0, 100, 50];
    const cycle = (d: number) => {
      decisions.beginCycle(`2024-01-0${d + 2}T21:00:00Z`, d, d);
      decisions.append(0, shares[d + 1] ?? 0, shares[d] as number);
    };
    cycle(0);
    cycle(1);
    const result = { decisions } as unknown as BacktestResult;
    const first = runPnlAttribution(result);
    expect(runPnlAttribution(result)).toBe(first);
    expect(first).toEqual(computePnlAttribution(decisions, ['A', 'B']));
    cycle(2);
    const grown = runPnlAttribution(result);
    expect(grown).not.toBe(first);
    expect(grown).toEqual(computePnlAttribution(decisions, ['A', 'B']));
    expect(grown?.holdingPnlUsd).toBeCloseTo(150, 10);
  });

  it('recomputes a plain array of decisions every time (it may be edited in place)', () => {
    const decisions = [...log([0.4, 0.2, 0.1], [0.3, 0.1, -0.1, 0.3, 0.05, 0.05], [0, 100, 50])];
    const result = { decisions } as unknown as BacktestResult;
    const first = runPnlAttribution(result);
    expect(first?.holdingPnlUsd).toBeCloseTo(150, 10);
    decisions[2] = { ...(decisions[2] as (typeof decisions)[number]), priceUsd: 13 };
    // 100 shares 10 -> 12 (+200), then 50 shares 12 -> 13 (+50).
    expect(runPnlAttribution(result)?.holdingPnlUsd).toBeCloseTo(250, 10);
  });
});
