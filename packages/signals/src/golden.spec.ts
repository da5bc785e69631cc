import {
  alignMarketReturns,
  betaSignal,
  carrySignal,
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  healthScore,
  hourlySignal,
  momentumSignal,
  pctChange,
  rollingValidation,
  tailRiskSignal,
  volatilitySignal,
} from './index';
import { alignedMarketReturns, expectClose, lastN, readBars, readGolden } from './testing/fixtures';

const golden = readGolden();
const N = golden.meta.n_last;
const market = readBars(`${golden.meta.market}_1d.csv`);

const HEALTH_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['score', 'health_score'],
  ['recentIc', 'recent_ic'],
  ['recentIcStd', 'recent_ic_std'],
  ['recentTurnoverIc', 'recent_turnover_ic'],
  ['pastIc', 'past_ic'],
  ['veryPastIc', 'very_past_ic'],
  ['icTrend', 'ic_trend'],
  ['icAcceleration', 'ic_acceleration'],
  ['icLevelScore', 'ic_level_score'],
  ['stabilityScore', 'stability_score'],
  ['turnoverScore', 'turnover_score'],
  ['trendScore', 'trend_score'],
  ['accelScore', 'accel_score'],
  ['icSeriesLength', 'ic_series_length'],
];

describe.each(golden.meta.daily_symbols)('golden daily reference: %s', (symbol) => {
  const bars = readBars(`${symbol}_1d.csv`);
  const ref = golden.daily_signals[symbol];
  if (ref === undefined) throw new Error(`no golden daily_signals for ${symbol}`);
  const marketReturns = alignedMarketReturns(market, bars.timestamp);

  it('alignMarketReturns gives the spec market returns (reindex + ffill)', () => {
    const aligned = alignMarketReturns(
      { dates: market.timestamp, close: market.close },
      bars.timestamp,
    );
    expect(Array.from(aligned)).toEqual(marketReturns);
    // a symbol date the market lacks takes the previous row's value
    const gappy = alignMarketReturns(
      {
        dates: market.timestamp.filter((_, i) => i !== 10),
        close: market.close.filter((_, i) => i !== 10),
      },
      bars.timestamp.slice(0, 12),
    );
    expect(gappy[10]).toBe(gappy[9]);
    expect(Number.isNaN(gappy[0])).toBe(true);
  });
  const signals = computeDailySignals({ close: bars.close, dates: bars.timestamp, marketReturns });
  const returns = pctChange(bars.close);

  it('uses the same input rows and dates', () => {
    expect(bars.close.length).toBe(ref.rows_in_input);
    expect(bars.timestamp.slice(-N)).toEqual(ref.dates);
  });

  it.each(DAILY_SIGNAL_NAMES)('computeDailySignals %s matches the last 300 values', (name) => {
    const expected = ref[name];
    if (expected === undefined) throw new Error(`missing ${name}`);
    expect(expectClose(lastN(signals[name], N), expected, `${symbol}.${name}`)).toBe(N);
  });

  it('the single-signal functions give the same series', () => {
    const single = {
      Volatility: volatilitySignal(returns),
      Momentum: momentumSignal(returns, marketReturns),
      TailRisk: tailRiskSignal(returns),
      Beta: betaSignal(returns, marketReturns),
      Carry: carrySignal(returns, bars.close, bars.timestamp),
    };
    for (const name of DAILY_SIGNAL_NAMES) {
      expect(Array.from(single[name])).toEqual(Array.from(signals[name]));
    }
  });

  describe.each(DAILY_SIGNAL_NAMES)('validation and health of %s', (name) => {
    const validation = rollingValidation(signals[name], returns, { window: 252 });
    const vref = golden.validation[symbol]?.[name];
    const href = golden.health_scores[symbol]?.[name];
    if (vref === undefined || href === undefined) throw new Error(`missing golden for ${name}`);

    it('rolling IC, hit rate and turnover-adjusted IC match', () => {
      expect(golden.validation[symbol]?.dates).toEqual(ref.dates);
      let compared = 0;
      compared += expectClose(lastN(validation.ic, N), vref.rolling_ic ?? [], 'ic');
      compared += expectClose(lastN(validation.hitRate, N), vref.rolling_hit_rate ?? [], 'hit');
      compared += expectClose(
        lastN(validation.turnoverAdjustedIc, N),
        vref.rolling_turnover_adj_ic ?? [],
        'tadj',
      );
      expect(compared).toBe(3 * N);
      expect(Number.isNaN(validation.ic[validation.ic.length - 1])).toBe(true);
    });

    it('health score and every component match', () => {
      const health = healthScore(validation, { lookback: 63 });
      const record = health as unknown as Record<string, number>;
      for (const [ours, theirs] of HEALTH_KEYS) {
        const expected = href[theirs];
        if (expected === undefined || expected === null) throw new Error(`missing ${theirs}`);
        expectClose([record[ours] as number], [expected], `${symbol}.${name}.${theirs}`);
      }
      expect(health.icSeriesLength).toBe(href['ic_series_length']);
    });
  });
});

describe.each(golden.meta.hourly_symbols)('golden hourly reference: %s', (symbol) => {
  it('hourlySignal matches the last 300 values (NaN kept)', () => {
    const bars = readBars(`${symbol}_1h.csv`);
    const ref = golden.hourly_signals[symbol];
    if (ref === undefined) throw new Error(`no golden hourly for ${symbol}`);
    expect(bars.close.length).toBe(ref.rows_in_input);
    expect(bars.timestamp.slice(-N)).toEqual(ref.timestamps);
    const values = hourlySignal({ high: bars.high, low: bars.low, close: bars.close });
    expect(expectClose(lastN(values, N), ref.values, `${symbol}.hourly`)).toBe(N);
    // the warm-up is NaN as in the spec (no fillna on the hourly signal)
    expect(Array.from(values.subarray(0, 20)).every(Number.isNaN)).toBe(true);
    expect(Number.isFinite(values[20])).toBe(true);
  });
});
