import fc from 'fast-check';
import { TargetWeightsStrategy } from '@quantpipe/execution';
import { parseBacktestConfig } from '../config/backtest-config';
import { openMarket } from '../data/open-market';
import { runBacktest } from './run-backtest';

/**
 * The drawdown limit holds in a backtest as it does live: on random markets (a random seed of
 * the synthetic generator) and random levered fixed-weight books, with the default
 * `kill_switch_reset: never` and `on_loss_breach: flatten`, the run's drawdown from its
 * high-water mark goes past the limit by no more than the session that crossed it plus the
 * worst single-session move of the book after the breach (the session whose open fills the
 * flattening); from then on the book is flat and its equity does not move.
 */
describe('the drawdown limit holds (property, random markets)', () => {
  it('max drawdown >= limit - (crossing session + worst session after the breach)', async () => {
    let breached = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.array(fc.double({ min: -0.9, max: 0.9, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(-0.05, -0.1, -0.15, -0.2),
        async (seed, weights, maxDrawdown) => {
          const config = parseBacktestConfig({
            symbols: ['SYNA', 'SYNB', 'SYNC'],
            synthetic: { sessions: 260, seed, hourly: false },
            warmup_sessions: 30,
            progress: false,
            pipeline: { max_drawdown: maxDrawdown, max_leverage: 4, max_daily_loss: -0.5 },
          });
          const market = await openMarket(config);
          const [a, b, c] = weights as [number, number, number];
          const { result } = await runBacktest({
            config,
            market,
            strategy: new TargetWeightsStrategy({ SYNA: a * 2, SYNB: b * 2, SYNC: c * 2 }),
            runId: 'limit',
          });
          const equity = result.equity.map((p) => p.equityUsd);
          let peak = equity[0] as number;
          let breach = -1;
          let maxDd = 0;
          for (let t = 0; t < equity.length; t++) {
            const e = equity[t] as number;
            peak = Math.max(peak, e);
            const dd = e / peak - 1;
            maxDd = Math.min(maxDd, dd);
            if (breach < 0 && dd < maxDrawdown) breach = t;
          }
          if (breach < 0) return; // the limit was never reached: nothing to hold
          breached++;
          let worstAfter = 0;
          for (let t = breach + 1; t < equity.length; t++)
            worstAfter = Math.max(
              worstAfter,
              ((equity[t - 1] as number) - (equity[t] as number)) / peak,
            );
          const crossing = ((equity[breach - 1] as number) - (equity[breach] as number)) / peak;
          expect(maxDd).toBeGreaterThanOrEqual(maxDrawdown - crossing - worstAfter - 1e-12);
          // Halted and flat from the session after the flattening on: the equity stays put.
          const flatFrom = breach + 2;
          for (let t = flatFrom; t < result.equity.length; t++) {
            expect(result.equity[t]?.grossExposureUsd).toBe(0);
            expect(result.equity[t]?.equityUsd).toBeCloseTo(equity[flatFrom] as number, 6);
          }
        },
      ),
      { numRuns: 12 },
    );
    expect(breached).toBeGreaterThanOrEqual(4); // many random books do reach the limit
  }, 240_000);
});
