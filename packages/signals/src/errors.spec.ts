import {
  betaSignal,
  carrySignal,
  computeDailySignals,
  DailySignalsStream,
  healthScore,
  hourlySignal,
  momentumSignal,
  resolveDailySignalConfig,
  rollingCorr,
  rollingQuantile,
  rollingSum,
  rollingValidation,
  ValidationStream,
  VolatilityStream,
  volatilitySignal,
} from './index';
import { argumentOf } from './testing/argument-of';

const close = [100, 101, 102, 101.5, 103];
const dates = ['2021-01-04', '2021-01-05', '2021-01-06', '2021-01-07', '2021-01-08'];

describe('typed errors at the API boundary name the argument', () => {
  it('different lengths', () => {
    expect(argumentOf(() => computeDailySignals({ close, dates: dates.slice(1) }))).toBe('dates');
    expect(argumentOf(() => computeDailySignals({ close, dates, marketReturns: [0.1, 0.2] }))).toBe(
      'marketReturns',
    );
    expect(argumentOf(() => momentumSignal([1, 2, 3], [1, 2]))).toBe('marketReturns');
    expect(argumentOf(() => betaSignal([1, 2, 3], [1]))).toBe('marketReturns');
    expect(argumentOf(() => carrySignal([1, 2], close, dates))).toBe('close');
    expect(argumentOf(() => rollingCorr([1, 2, 3], [1, 2], 2))).toBe('b');
    expect(argumentOf(() => rollingValidation([1, 2], [1], { window: 2 }))).toBe('returns');
    expect(argumentOf(() => hourlySignal({ high: [2, 2], low: [1, 1], close: [1.5] }))).toBe(
      'high',
    );
  });

  it('non-finite or non-positive prices', () => {
    for (const bad of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) {
      const c = [...close];
      c[2] = bad;
      expect(argumentOf(() => computeDailySignals({ close: c, dates }))).toBe('close[2]');
      expect(argumentOf(() => hourlySignal({ high: c, low: close, close }))).toBe('high[2]');
    }
    expect(
      argumentOf(() =>
        computeDailySignals({
          close,
          dates,
          marketReturns: [0, 0, Number.NEGATIVE_INFINITY, 0, 0],
        }),
      ),
    ).toBe('marketReturns[2]');
  });

  it('unsorted, duplicate or malformed dates', () => {
    const unsorted = [...dates];
    unsorted[3] = '2021-01-02';
    expect(argumentOf(() => computeDailySignals({ close, dates: unsorted }))).toBe('dates[3]');
    const duplicate = [...dates];
    duplicate[1] = duplicate[0] as string;
    expect(argumentOf(() => computeDailySignals({ close, dates: duplicate }))).toBe('dates[1]');
    for (const bad of ['2021-02-30', '2021-1-05', '2021-01-05T00:00:00Z', '']) {
      const d = [...dates];
      d[4] = bad;
      expect(argumentOf(() => carrySignal([0, 0, 0, 0, 0], close, d))).toBe('dates[4]');
    }
  });

  it('re-checks a dates array that changed since an earlier call', () => {
    const d = [...dates];
    expect(() => computeDailySignals({ close, dates: d })).not.toThrow();
    d[3] = d[2] as string;
    expect(argumentOf(() => computeDailySignals({ close, dates: d }))).toBe('dates[3]');
    d[3] = '2021-01-07';
    expect(() => computeDailySignals({ close, dates: d })).not.toThrow();
  });

  it('window < 2, non-integer windows and bad option values', () => {
    expect(argumentOf(() => rollingSum([1, 2], 1))).toBe('windowBars');
    expect(argumentOf(() => rollingSum([1, 2], 2.5))).toBe('windowBars');
    expect(argumentOf(() => rollingQuantile([1, 2], 2, 1.5))).toBe('q');
    expect(argumentOf(() => volatilitySignal([1, 2], { volatility_window: 1 }))).toBe(
      'opts.volatility_window',
    );
    expect(argumentOf(() => computeDailySignals({ close, dates }, { beta_window: 0 }))).toBe(
      'config.beta_window',
    );
    expect(
      argumentOf(() => computeDailySignals({ close, dates }, { tailWindow: Number.NaN })),
    ).toBe('config.tailWindow');
    expect(
      argumentOf(() => resolveDailySignalConfig({ momentum_fast: 10, momentumFast: 12 })),
    ).toBe('config.momentumFast');
    expect(
      argumentOf(() =>
        computeDailySignals({ close, dates }, { volatility_windw: 20 } as unknown as object),
      ),
    ).toBe('config.volatility_windw');
    expect(argumentOf(() => rollingValidation([1, 2], [1, 2], { window: 1 }))).toBe(
      'options.window',
    );
    expect(
      argumentOf(() => healthScore({ ic: [0.1], turnoverAdjustedIc: [0.1] }, { lookback: 1 })),
    ).toBe('options.lookback');
    expect(argumentOf(() => new ValidationStream({ window: 0 }))).toBe('options.window');
  });

  it('spec names and camelCase aliases resolve to the same windows; pipeline keys pass', () => {
    expect(resolveDailySignalConfig({ volatility_window: 30, momentumSlow: 90 })).toEqual({
      volatilityWindow: 30,
      momentumFast: 20,
      momentumSlow: 90,
      tailWindow: 60,
      betaWindow: 60,
      warmup: 'zero',
    });
    const cfg = { volatility_window: 20, validation_window: 252, health_lookback: 63 };
    expect(resolveDailySignalConfig(cfg).volatilityWindow).toBe(20);
  });

  it('streams reject bad bars and keep their state', () => {
    const s = new DailySignalsStream();
    s.update({ date: '2021-01-04', close: 100, marketReturn: 0.001 });
    expect(argumentOf(() => s.update({ date: '2021-01-04', close: 101 }))).toBe('bar.date');
    expect(argumentOf(() => s.update({ date: '2021-01-01', close: 101 }))).toBe('bar.date');
    expect(argumentOf(() => s.update({ date: '2021-01-05', close: Number.NaN }))).toBe('bar.close');
    expect(
      argumentOf(() =>
        s.update({ date: '2021-01-05', close: 101, marketReturn: Number.POSITIVE_INFINITY }),
      ),
    ).toBe('bar.marketReturn');
    expect(s.count).toBe(1);
    s.update({ date: '2021-01-05', close: 101 });
    expect(s.count).toBe(2);
    const v = new VolatilityStream();
    expect(argumentOf(() => v.update({ date: '04/01/2021', close: 1 }))).toBe('bar.date');
    const val = new ValidationStream({ window: 5 });
    expect(argumentOf(() => val.update({ signal: Number.POSITIVE_INFINITY, dailyReturn: 0 }))).toBe(
      'bar.signal',
    );
  });

  it('NaN inside kernels never throws', () => {
    expect(() => rollingSum([Number.NaN, Number.NaN, 1], 2)).not.toThrow();
    expect(() => rollingCorr([Number.NaN, 1, 2], [1, Number.NaN, 3], 2)).not.toThrow();
    expect(() =>
      rollingValidation([Number.NaN, 1, 2], [1, Number.NaN, 3], { window: 2 }),
    ).not.toThrow();
  });
});
