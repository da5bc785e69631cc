// Warm-up made explicit (warm-up lengths, `warmup: 'nan' | 'zero'`, `isReady`), validated
// windows in every class and function that takes one, and the path from bars to signals.
import { ValidationError, type Bar } from '@quantpipe/core';
import fc from 'fast-check';
import {
  alignMarketReturns,
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  dailySignalsFromBars,
  dailySignalWarmupBars,
  DailySignalsStream,
  MAX_WINDOW_BARS,
  MomentumStream,
  RollingCovWindow,
  RollingQuantileWindow,
  RollingSumWindow,
  RollingVarWindow,
  rollingValidation,
  ValidationState,
  ValidationStream,
  VolatilityStream,
} from './index';
import { dailyHistory, smallConfig } from './testing/arbitraries';
import { alignedMarketReturns, readBars, type FixtureBars } from './testing/fixtures';

fc.configureGlobal({ seed: 20261124 });

const BAD_WINDOWS: readonly unknown[] = [
  1.5,
  Number.NaN,
  0,
  1,
  -3,
  Number.POSITIVE_INFINITY,
  MAX_WINDOW_BARS + 1,
  1e9,
  '20',
  undefined,
];

/** Asserts that `fn` throws a ValidationError naming `argument`. */
function expectValidationError(fn: () => unknown, argument: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).code).toBe('E_VALIDATION');
  expect((caught as ValidationError).argument).toBe(argument);
}

/** A fixture's bars as `Bar` records. */
function asBars(symbol: string, fixture: FixtureBars): Bar[] {
  return fixture.timestamp.map((timestamp, i) => ({
    symbol,
    timestamp,
    open: fixture.open[i] as number,
    high: fixture.high[i] as number,
    low: fixture.low[i] as number,
    close: fixture.close[i] as number,
    volume: fixture.volume[i] as number,
  }));
}

const syna = readBars('SYNA_1d.csv');
const market = readBars('SYNMKT_1d.csv');
const marketReturns = alignedMarketReturns(market, syna.timestamp);

describe('windows are validated everywhere one is accepted', () => {
  const makers: Record<string, (w: unknown) => unknown> = {
    RollingSumWindow: (w) => new RollingSumWindow(w as number),
    RollingVarWindow: (w) => new RollingVarWindow(w as number),
    RollingQuantileWindow: (w) => new RollingQuantileWindow(w as number),
    RollingCovWindow: (w) => new RollingCovWindow(w as number),
    ValidationState: (w) => new ValidationState(w as number),
  };
  it.each(Object.keys(makers))('%s refuses non-integer, NaN, < 2 and huge windows', (name) => {
    const make = makers[name] as (w: unknown) => unknown;
    for (const w of BAD_WINDOWS) expectValidationError(() => make(w), 'windowBars');
    expect(make(2)).toBeDefined();
    expect(make(MAX_WINDOW_BARS)).toBeDefined();
  });

  it('RollingSumWindow(1.5) no longer sums the whole history', () => {
    expectValidationError(() => new RollingSumWindow(1.5), 'windowBars');
    const window = new RollingSumWindow(2);
    for (const v of [1, 2, 3]) window.push(v);
    expect(window.sum()).toBe(5);
  });

  it('rollingValidation and ValidationStream refuse a huge window instead of hanging', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
    for (const w of BAD_WINDOWS.filter((v) => v !== undefined)) {
      expectValidationError(
        () => rollingValidation(x, x, { window: w as number }),
        'options.window',
      );
      expectValidationError(() => new ValidationStream({ window: w as number }), 'options.window');
    }
    // the longest window allowed costs no more than a short one: nothing is sized by it
    const v = rollingValidation(x, x, { window: MAX_WINDOW_BARS });
    expect(v.ic.length).toBe(50);
    expect(Array.from(v.ic).every((ic) => Number.isNaN(ic))).toBe(true);
  });

  it('the signal windows are validated by the batch functions and the streams', () => {
    const input = { close: syna.close, dates: syna.timestamp };
    expectValidationError(
      () => computeDailySignals(input, { volatility_window: 1.5 }),
      'config.volatility_window',
    );
    expectValidationError(
      () => new VolatilityStream({ volatility_window: NaN }),
      'opts.volatility_window',
    );
    expectValidationError(
      () => computeDailySignals(input, { warmup: 'none' as never }),
      'config.warmup',
    );
  });
});

describe('warm-up made explicit', () => {
  it('exports the warm-up lengths of the spec windows', () => {
    expect(dailySignalWarmupBars()).toEqual({
      Volatility: 271,
      Momentum: 60,
      TailRisk: 60,
      Beta: 119,
      Carry: 251,
    });
    const small = dailySignalWarmupBars({
      volatility_window: 5,
      momentum_fast: 5,
      momentum_slow: 10,
    });
    expect(small.Volatility).toBeLessThan(271);
    expect(small.Momentum).toBe(10);
  });

  it("warmup 'nan' marks exactly the warm-up bars of gap-free closes; 'zero' gives 0 there", () => {
    const input = { close: syna.close, dates: syna.timestamp, marketReturns };
    const zero = computeDailySignals(input);
    const defaultZero = computeDailySignals(input, { warmup: 'zero' });
    const nan = computeDailySignals(input, { warmup: 'nan' });
    const warm = dailySignalWarmupBars();
    for (const name of DAILY_SIGNAL_NAMES) {
      const k = warm[name];
      const z = zero[name];
      const m = nan[name];
      expect(Array.from(defaultZero[name])).toEqual(Array.from(z));
      for (let i = 0; i < z.length; i++) {
        if (i < k) {
          expect(Number.isNaN(m[i] as number)).toBe(true);
          expect(z[i]).toBe(0);
        } else {
          // after the warm-up both modes agree bit for bit
          expect(Object.is(m[i], z[i])).toBe(true);
        }
      }
      expect(z[k]).not.toBe(0);
    }
  });

  it('streams expose isReady and warmupBars; their values equal the batch values per mode', () => {
    fc.assert(
      fc.property(
        dailyHistory(1, 90),
        smallConfig,
        fc.constantFrom('nan', 'zero'),
        (h, config, warmup) => {
          const cfg = { ...config, warmup } as const;
          const batch = computeDailySignals(
            { close: h.close, dates: h.dates, marketReturns: h.marketReturns },
            cfg,
          );
          const stream = new DailySignalsStream(cfg);
          const momentum = new MomentumStream(cfg);
          expect(stream.warmupBars).toEqual(dailySignalWarmupBars(cfg));
          expect(momentum.warmupBars).toBe(dailySignalWarmupBars(cfg).Momentum);
          const everReady: Record<string, boolean> = {};
          for (let t = 0; t < h.close.length; t++) {
            const bar = {
              date: h.dates[t] as string,
              close: h.close[t] as number,
              marketReturn: h.marketReturns[t],
            };
            const v = stream.update(bar);
            const m = momentum.update(bar);
            for (const name of DAILY_SIGNAL_NAMES) {
              expect(Object.is(v[name], batch[name][t])).toBe(true);
              // a signal is ready from its first value: NaN in 'nan' mode before it, never after
              if (!Number.isNaN(v[name])) everReady[name] = true;
            }
            expect(Object.is(m, batch.Momentum[t])).toBe(true);
            if (warmup === 'nan') {
              expect(momentum.isReady).toBe(!Number.isNaN(m) || everReady['Momentum'] === true);
              expect(stream.isReady).toBe(DAILY_SIGNAL_NAMES.every((n) => everReady[n] === true));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a gap-free history is ready exactly after its warm-up', () => {
    const stream = new DailySignalsStream();
    const n = Math.max(...Object.values(stream.warmupBars));
    for (let t = 0; t < syna.close.length; t++) {
      expect(stream.isReady).toBe(t > n);
      stream.update({
        date: syna.timestamp[t] as string,
        close: syna.close[t] as number,
        marketReturn: marketReturns[t],
      });
    }
    expect(stream.isReady).toBe(true);
  });
});

describe('dailySignalsFromBars', () => {
  it('equals computeDailySignals on closes, dates and the aligned market returns', () => {
    const bars = asBars('SYNA', syna);
    const marketBars = asBars('SYNMKT', market);
    // the market misses a few of the symbol's dates: alignment forward-fills them
    const gappyMarket = marketBars.filter((_, i) => i % 17 !== 5);
    for (const m of [marketBars, gappyMarket]) {
      const expected = computeDailySignals({
        close: syna.close,
        dates: syna.timestamp,
        marketReturns: alignMarketReturns(
          { dates: m.map((b) => b.timestamp), close: m.map((b) => b.close) },
          syna.timestamp,
        ),
      });
      const got = dailySignalsFromBars({ bars, market: m });
      for (const name of DAILY_SIGNAL_NAMES) {
        expect(Array.from(got[name])).toEqual(Array.from(expected[name]));
      }
    }
    const withoutMarket = dailySignalsFromBars({ bars }, { warmup: 'nan' });
    const expected = computeDailySignals(
      { close: syna.close, dates: syna.timestamp },
      { warmup: 'nan' },
    );
    expect(Array.from(withoutMarket.Beta)).toEqual(Array.from(expected.Beta));
  });

  it('refuses what is not one symbol of daily bars, naming the bar', () => {
    const bars = asBars('SYNA', syna).slice(0, 30);
    const mixed = bars.map((b, i) => (i === 7 ? { ...b, symbol: 'SYNB' } : b));
    expectValidationError(() => dailySignalsFromBars({ bars: mixed }), 'bars[7].symbol');
    const badClose = bars.map((b, i) => (i === 3 ? { ...b, close: '1' as never } : b));
    expectValidationError(() => dailySignalsFromBars({ bars: badClose }), 'bars[3].close');
    expectValidationError(() => dailySignalsFromBars({ bars: 'x' as never }), 'bars');
    expectValidationError(
      () => dailySignalsFromBars({ bars, market: [null as never] }),
      'market[0]',
    );
    // hourly bars collapse onto repeated dates, which the date check refuses
    const hourly = bars.map((b, i) => ({
      ...b,
      timestamp: `2024-01-0${1 + (i >> 4)}T1${i % 10}:00:00Z`,
    }));
    expect(() => dailySignalsFromBars({ bars: hourly })).toThrow(ValidationError);
  });
});
