import { TargetWeightsStrategy } from '@quantpipe/execution';
import { parseBacktestConfig } from '../config/backtest-config';
import { handMarket } from '../testing/hand-market';
import { runBacktest } from './run-backtest';

describe('known answer: fixed weights, no costs', () => {
  it('ends with the hand-computed equity, to the cent', async () => {
    // Hold 50 % of equity in AAA, decide at each close, fill at the next open, no costs:
    //  close 01-03 (100): equity 1,000,000 -> target trunc(500,000 / 100) = 5000
    //  open 01-04 (102): buy 5000 -> cash 490,000; close 104: equity 1,010,000
    //    target trunc(505,000 / 104) = 4855 -> sell 145
    //  open 01-05 (105): cash 505,225; close 100: equity 505,225 + 485,500 = 990,725
    //    target trunc(495,362.5 / 100) = 4953 -> buy 98
    //  open 01-08 (99): cash 495,523; close 101: equity 495,523 + 500,253 = 995,776.00
    const config = parseBacktestConfig({ slippage: 'none', costs_bps: 0, progress: false });
    const { result, audit } = await runBacktest({
      config,
      market: handMarket(),
      strategy: new TargetWeightsStrategy({ AAA: 0.5 }),
      runId: 'known-answer',
    });
    expect(result.equity.map((p) => Math.round(p.equityUsd * 100) / 100)).toEqual([
      1_000_000, 1_010_000, 990_725, 995_776,
    ]);
    expect(
      result.trades
        .toArray()
        .map((t) => [t.side, t.quantity, t.priceUsd, t.timestamp.slice(0, 10)]),
    ).toEqual([
      ['buy', 5000, 102, '2024-01-04'],
      ['sell', 145, 105, '2024-01-05'],
      ['buy', 98, 99, '2024-01-08'],
    ]);
    const last = result.equity[result.equity.length - 1];
    expect(last?.cashUsd).toBeCloseTo(495_523, 6);
    expect(last?.equityUsd.toFixed(2)).toBe('995776.00');
    expect(audit.checks).toBe(4);
    expect(audit.feesUsd).toBe(0);
    expect(audit.slippageUsd).toBe(0);
  });
});
