import fc from 'fast-check';
import {
  BetaStream,
  betaSignal,
  CarryStream,
  carrySignal,
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  DailySignalsStream,
  MomentumStream,
  momentumSignal,
  pctChange,
  rollingValidation,
  TailRiskStream,
  tailRiskSignal,
  ValidationStream,
  VolatilityStream,
  volatilitySignal,
} from './index';
import { dailyHistory, smallConfig } from './testing/arbitraries';
import { alignedMarketReturns, readBars } from './testing/fixtures';

// Fixed seed: the property tests are deterministic.
fc.configureGlobal({ seed: 20261124 });

/** Bit-for-bit equality (NaN equals NaN, 0 differs from -0). */
function same(a: number, b: number): boolean {
  return Object.is(a, b);
}

describe('streaming equals batch at every step', () => {
  it('DailySignalsStream == computeDailySignals (small windows, market gaps)', () => {
    fc.assert(
      fc.property(dailyHistory(1, 90), smallConfig, fc.boolean(), (h, config, withMarket) => {
        const batch = computeDailySignals(
          {
            close: h.close,
            dates: h.dates,
            marketReturns: withMarket ? h.marketReturns : undefined,
          },
          config,
        );
        const stream = new DailySignalsStream({ ...config, withMarket });
        for (let t = 0; t < h.close.length; t++) {
          const v = stream.update({
            date: h.dates[t] as string,
            close: h.close[t] as number,
            marketReturn: h.marketReturns[t],
          });
          for (const name of DAILY_SIGNAL_NAMES) {
            if (!same(v[name], batch[name][t] as number)) {
              throw new Error(`${name}[${t}]: stream ${v[name]} != batch ${batch[name][t]}`);
            }
          }
        }
        expect(stream.count).toBe(h.close.length);
      }),
      { numRuns: 60 },
    );
  });

  it('the single-signal streams == the single-signal batch functions (default windows)', () => {
    fc.assert(
      fc.property(dailyHistory(250, 330), (h) => {
        const r = pctChange(h.close);
        const expected = {
          vol: volatilitySignal(r),
          mom: momentumSignal(r, h.marketReturns),
          tail: tailRiskSignal(r),
          beta: betaSignal(r, h.marketReturns),
          carry: carrySignal(r, h.close, h.dates),
        };
        const streams = {
          vol: new VolatilityStream(),
          mom: new MomentumStream(),
          tail: new TailRiskStream(),
          beta: new BetaStream(),
          carry: new CarryStream(),
        };
        for (let t = 0; t < h.close.length; t++) {
          const bar = {
            date: h.dates[t] as string,
            close: h.close[t] as number,
            marketReturn: h.marketReturns[t],
          };
          for (const key of ['vol', 'mom', 'tail', 'beta', 'carry'] as const) {
            const got = streams[key].update(bar);
            if (!same(got, expected[key][t] as number)) {
              throw new Error(`${key}[${t}]: ${got} != ${expected[key][t]}`);
            }
          }
        }
      }),
      { numRuns: 8 },
    );
  });

  it('streams without a market use the fallbacks as the batch functions do', () => {
    fc.assert(
      fc.property(dailyHistory(60, 140), (h) => {
        const r = pctChange(h.close);
        const mom = momentumSignal(r);
        const beta = betaSignal(r);
        const ms = new MomentumStream({ withMarket: false });
        const bs = new BetaStream({ withMarket: false });
        for (let t = 0; t < h.close.length; t++) {
          const bar = { date: h.dates[t] as string, close: h.close[t] as number };
          expect(same(ms.update(bar), mom[t] as number)).toBe(true);
          expect(same(bs.update(bar), beta[t] as number)).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('ValidationStream emits rollingValidation values of the previous date', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 120 }),
        fc.array(
          fc.oneof(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.constant(Number.NaN)),
          {
            minLength: 120,
            maxLength: 120,
          },
        ),
        fc.integer({ min: 2, max: 40 }),
        (signal, rets, window) => {
          const returns = rets.slice(0, signal.length);
          const batch = rollingValidation(signal, returns, { window });
          const stream = new ValidationStream({ window });
          expect(
            stream.update({ signal: signal[0] as number, dailyReturn: returns[0] as number }),
          ).toBeUndefined();
          for (let t = 1; t < signal.length; t++) {
            const p = stream.update({
              signal: signal[t] as number,
              dailyReturn: returns[t] as number,
            });
            if (p === undefined) throw new Error('missing point');
            expect(p.index).toBe(t - 1);
            expect(same(p.ic, batch.ic[t - 1] as number)).toBe(true);
            expect(same(p.hitRate, batch.hitRate[t - 1] as number)).toBe(true);
            expect(same(p.turnoverAdjustedIc, batch.turnoverAdjustedIc[t - 1] as number)).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reproduces the reference history bar by bar (SYNA against SYNMKT)', () => {
    const bars = readBars('SYNA_1d.csv');
    const marketReturns = alignedMarketReturns(readBars('SYNMKT_1d.csv'), bars.timestamp);
    const batch = computeDailySignals({ close: bars.close, dates: bars.timestamp, marketReturns });
    const stream = new DailySignalsStream();
    let compared = 0;
    for (let t = 0; t < bars.close.length; t++) {
      const v = stream.update({
        date: bars.timestamp[t] as string,
        close: bars.close[t] as number,
        marketReturn: marketReturns[t],
      });
      for (const name of DAILY_SIGNAL_NAMES) {
        if (!same(v[name], batch[name][t] as number)) throw new Error(`${name}[${t}] differs`);
        compared++;
      }
    }
    expect(compared).toBe(bars.close.length * 5);
  });
});
