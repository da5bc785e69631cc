// Every number the package produces must stay bit for bit what it was when these digests were
// recorded (a backtest's equity must not move by a cent when the kernels change): signals,
// validation and health, batch and streaming, on the synthetic fixtures and on seeded random
// inputs with NaN gaps, constant runs, huge and tiny magnitudes and infinities. Each entry is a
// SHA-256 of the float64 bytes of the outputs (so -0 counts; NaN is canonical), recorded from the
// implementation before the kernels were rewritten; `jest -u` must never be used to "fix" one.
import { createHash } from 'node:crypto';
import { seededRandom } from '@quantpipe/core/testing';
import {
  alignMarketReturns,
  betaSignal,
  BetaState,
  carrySignal,
  CarryState,
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  DailySignalsStream,
  diff,
  fillNaN,
  healthScore,
  hourlySignal,
  momentumSignal,
  MomentumState,
  pctChange,
  RollingCovWindow,
  rollingCorr,
  rollingCov,
  rollingMax,
  rollingMean,
  rollingMin,
  RollingQuantileWindow,
  rollingQuantile,
  rollingStd,
  rollingSum,
  RollingSumWindow,
  rollingValidation,
  rollingVar,
  RollingVarWindow,
  shift,
  tailRiskSignal,
  TailRiskState,
  ValidationState,
  ValidationStream,
  volatilitySignal,
  VolatilityState,
  type DailySignalConfig,
  type HealthScore,
  type RollingValidation,
} from './index';
import { alignedMarketReturns, readBars } from './testing/fixtures';
import { integer, pick, randomCloses, randomDates, randomSeries } from './testing/random-cases';

let digests: Record<string, string> = {};

/** Records the SHA-256 (first 16 hex digits) of the float64 bytes of `series`, in order. */
function put(name: string, ...series: ArrayLike<number>[]): void {
  if (name in digests) throw new Error(`duplicate case ${name}`);
  const hash = createHash('sha256');
  let count = 0;
  for (const s of series) {
    // every NaN is hashed as the canonical NaN (Object.is equality: NaN payloads do not
    // count, the sign of zero does)
    const bytes = Float64Array.from(s, (v) => (v === v ? v : Number.NaN));
    count += bytes.length;
    hash.update(new Uint8Array(bytes.buffer));
  }
  digests[name] = `${count}:${hash.digest('hex').slice(0, 16)}`;
}

const HEALTH_FIELDS: readonly (keyof HealthScore)[] = [
  'score',
  'recentIc',
  'recentIcStd',
  'recentTurnoverIc',
  'pastIc',
  'veryPastIc',
  'icTrend',
  'icAcceleration',
  'icLevelScore',
  'stabilityScore',
  'turnoverScore',
  'trendScore',
  'accelScore',
  'icSeriesLength',
];

const healthValues = (h: HealthScore): number[] => HEALTH_FIELDS.map((k) => h[k]);
const validationSeries = (v: RollingValidation): Float64Array[] => [
  v.ic,
  v.hitRate,
  v.turnoverAdjustedIc,
];

/** ValidationState fed pair by pair (signal[s], returns[s+1]), as the composite strategy does. */
function validationByState(signal: ArrayLike<number>, returns: ArrayLike<number>, w: number) {
  const state = new ValidationState(w);
  const out: number[] = [];
  for (let s = 0; s + 1 < signal.length; s++) {
    state.step(signal[s] as number, returns[s + 1] as number);
    out.push(state.ic, state.hitRate, state.turnoverAdjustedIc);
  }
  return out;
}

/** Health scores on the trailing slices the composite strategy takes every `every` bars. */
function healthOnSlices(v: RollingValidation, lookback: number, every: number): number[] {
  const out: number[] = [];
  const keep = 3 * lookback + 1;
  for (let t = lookback; t <= v.ic.length; t += every) {
    const from = Math.max(0, t - keep);
    const h = healthScore(
      {
        ic: Array.from(v.ic.subarray(from, t)),
        turnoverAdjustedIc: v.turnoverAdjustedIc.subarray(from, t),
      },
      { lookback },
    );
    out.push(...healthValues(h));
  }
  return out;
}

/** The five single-signal states fed one return at a time (the composite strategy's path). */
function statesOn(
  r: ArrayLike<number>,
  m: ArrayLike<number>,
  close: ArrayLike<number>,
  doy: readonly number[],
  cfg: Required<
    Pick<
      DailySignalConfig,
      'volatility_window' | 'momentum_fast' | 'momentum_slow' | 'tail_window' | 'beta_window'
    >
  >,
  withMarket: boolean,
): number[] {
  const vol = new VolatilityState(cfg.volatility_window);
  const mom = new MomentumState(cfg.momentum_fast, cfg.momentum_slow, withMarket);
  const tail = new TailRiskState(cfg.tail_window);
  const beta = new BetaState(cfg.beta_window, withMarket);
  const carry = new CarryState();
  const out: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const ret = r[i] as number;
    const mkt = m[i] as number;
    out.push(
      vol.step(ret),
      mom.step(ret, mkt),
      tail.step(ret),
      beta.step(ret, mkt),
      carry.step(ret, close[i] as number, doy[i] as number),
    );
  }
  return out;
}

const dayOfYear = (d: string): number => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Math.round((t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
};

const DEFAULT_WINDOWS = {
  volatility_window: 20,
  momentum_fast: 20,
  momentum_slow: 60,
  tail_window: 60,
  beta_window: 60,
};

describe('bit identity with the recorded outputs', () => {
  beforeEach(() => {
    digests = {};
  });

  it('synthetic fixtures: signals, validation, health, streaming', () => {
    const market = readBars('SYNMKT_1d.csv');
    const small = {
      volatility_window: 10,
      momentum_fast: 5,
      momentum_slow: 30,
      tail_window: 25,
      beta_window: 15,
    };
    for (const symbol of ['SYNA', 'SYNB', 'SYNC']) {
      const bars = readBars(`${symbol}_1d.csv`);
      const dates = bars.timestamp;
      const close = bars.close;
      const m = alignedMarketReturns(market, dates);
      put(
        `${symbol}.alignMarketReturns`,
        alignMarketReturns({ dates: market.timestamp, close: market.close }, dates),
      );
      const r = pctChange(close);
      const sig = computeDailySignals({ close, dates, marketReturns: m });
      const noMarket = computeDailySignals({ close, dates });
      const smallSig = computeDailySignals({ close, dates, marketReturns: m }, small);
      for (const name of DAILY_SIGNAL_NAMES) {
        put(`${symbol}.${name}`, sig[name]);
        put(`${symbol}.${name}.noMarket`, noMarket[name]);
        put(`${symbol}.${name}.small`, smallSig[name]);
        for (const w of [252, 63, 20]) {
          const v = rollingValidation(sig[name], r, { window: w });
          put(`${symbol}.${name}.validation${w}`, ...validationSeries(v));
          put(`${symbol}.${name}.health${w}`, healthValues(healthScore(v, { lookback: 63 })));
          put(`${symbol}.${name}.health${w}.lb10`, healthValues(healthScore(v, { lookback: 10 })));
          if (w === 252) {
            put(`${symbol}.${name}.validationState`, validationByState(sig[name], r, w));
            put(`${symbol}.${name}.healthSlices`, healthOnSlices(v, 63, 21));
          }
        }
      }
      for (const withMarket of [true, false]) {
        const stream = new DailySignalsStream({ withMarket });
        const out: number[] = [];
        for (let t = 0; t < close.length; t++) {
          const v = stream.update({
            date: dates[t] as string,
            close: close[t] as number,
            marketReturn: m[t],
          });
          for (const name of DAILY_SIGNAL_NAMES) out.push(v[name]);
        }
        put(`${symbol}.stream.${withMarket}`, out);
        put(
          `${symbol}.states.${withMarket}`,
          statesOn(r, m, close, dates.map(dayOfYear), DEFAULT_WINDOWS, withMarket),
        );
      }
      const vs = new ValidationStream({ window: 252 });
      const points: number[] = [];
      for (let t = 0; t < close.length; t++) {
        const p = vs.update({ signal: sig.Momentum[t] as number, dailyReturn: r[t] as number });
        if (p !== undefined) points.push(p.index, p.ic, p.hitRate, p.turnoverAdjustedIc);
      }
      put(`${symbol}.validationStream`, points);
    }
    for (const symbol of ['SYNA', 'SYNMKT']) {
      const h = readBars(`${symbol}_1h.csv`);
      put(`${symbol}.hourly`, hourlySignal({ high: h.high, low: h.low, close: h.close }));
    }
    expect(Object.keys(digests).length).toBeGreaterThan(200);
    expect(digests).toMatchSnapshot();
  });

  it('seeded random inputs: primitives, signals, validation, health, online windows', () => {
    const rand = seededRandom(20261124);
    for (let c = 0; c < 160; c++) {
      const n =
        c < 20
          ? integer(rand, 0, 12)
          : c % 10 === 0
            ? integer(rand, 500, 900)
            : integer(rand, 13, 330);
      const x = randomSeries(rand, n);
      const y = randomSeries(rand, n);
      // nearly gap-free returns, so that the long windows (252 bars) fill up
      const xc = randomSeries(rand, n, { clean: true });
      const yc = randomSeries(rand, n, { clean: true });
      const w = c % 7 === 0 ? integer(rand, 40, 300) : integer(rand, 2, 30);
      const q = pick(rand, [0, 0.05, 0.25, 0.5, 0.95, 1, rand()]);
      const id = `random${c}`;
      put(`${id}.pctChange`, pctChange(x));
      put(`${id}.seriesOps`, diff(x), shift(x, 1), shift(x, -2), fillNaN(x));
      put(`${id}.sumMean`, rollingSum(x, w), rollingMean(x, w));
      put(`${id}.varStd`, rollingVar(x, w), rollingStd(x, w));
      put(
        `${id}.quantile`,
        rollingQuantile(x, w, q),
        rollingQuantile(x, w, 0.05),
        rollingQuantile(x, w, 0.95),
      );
      put(`${id}.minMax`, rollingMin(x, w), rollingMax(x, w));
      put(`${id}.covCorr`, rollingCov(x, y, w), rollingCorr(x, y, w));
      // online windows, queried after every push
      const sw = new RollingSumWindow(w);
      const vw = new RollingVarWindow(w);
      const qw = new RollingQuantileWindow(w);
      const cw = new RollingCovWindow(w);
      const cw0 = new RollingCovWindow(w, false);
      const online: number[] = [];
      for (let i = 0; i < n; i++) {
        sw.push(x[i] as number);
        vw.push(x[i] as number);
        qw.push(x[i] as number);
        cw.push(x[i] as number, y[i] as number);
        cw0.push(x[i] as number, y[i] as number);
        online.push(sw.sum(), sw.mean(), vw.variance(), vw.std(), qw.quantile(q), qw.quantile(0.5));
        online.push(cw.cov(), cw.corr(), cw0.cov());
      }
      put(`${id}.online`, online);
      // signals from returns (with and without a market), default and random windows
      const cfg = {
        volatility_window: integer(rand, 2, 30),
        momentum_fast: integer(rand, 2, 30),
        momentum_slow: integer(rand, 2, 70),
        tail_window: integer(rand, 2, 70),
        beta_window: integer(rand, 2, 70),
      };
      for (const [label, opts] of [
        ['default', DEFAULT_WINDOWS],
        ['random', cfg],
      ] as const) {
        put(`${id}.${label}.volatility`, volatilitySignal(x, opts));
        put(
          `${id}.${label}.momentum`,
          momentumSignal(x, y, opts),
          momentumSignal(x, undefined, opts),
        );
        put(`${id}.${label}.tailRisk`, tailRiskSignal(x, opts));
        put(`${id}.${label}.beta`, betaSignal(x, y, opts), betaSignal(x, undefined, opts));
      }
      const close = randomCloses(rand, n);
      const dates = randomDates(rand, n);
      const doy = dates.map(dayOfYear);
      put(`${id}.carry`, carrySignal(x, close, dates), carrySignal(xc, close, dates));
      const mFinite = y.map((v) =>
        v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY ? Number.NaN : v,
      );
      const daily = computeDailySignals({ close, dates, marketReturns: mFinite }, cfg);
      const rc = pctChange(close);
      put(`${id}.daily`, ...DAILY_SIGNAL_NAMES.map((name) => daily[name]));
      put(`${id}.states`, statesOn(x, y, close, doy, cfg, c % 2 === 0));
      put(`${id}.states.clean`, statesOn(xc, yc, close, doy, DEFAULT_WINDOWS, c % 2 === 1));
      const stream = new DailySignalsStream({ ...cfg, withMarket: c % 3 !== 0 });
      const streamed: number[] = [];
      for (let t = 0; t < n; t++) {
        const v = stream.update({
          date: dates[t] as string,
          close: close[t] as number,
          marketReturn: mFinite[t],
        });
        for (const name of DAILY_SIGNAL_NAMES) streamed.push(v[name]);
      }
      put(`${id}.stream`, streamed);
      // validation and health on raw random series and on the random daily signals
      const vw2 = integer(rand, 2, 60);
      const v = rollingValidation(x, y, { window: vw2 });
      put(`${id}.validation`, ...validationSeries(v));
      put(`${id}.validationState`, validationByState(x, y, vw2));
      const vc = rollingValidation(xc, yc, { window: vw2 });
      put(`${id}.validation.clean`, ...validationSeries(vc));
      put(`${id}.validationState.clean`, validationByState(xc, yc, vw2));
      put(`${id}.health.clean`, healthValues(healthScore(vc, { lookback: 5 })));
      put(`${id}.healthSlices.clean`, healthOnSlices(vc, 5, 3));
      const lookback = integer(rand, 2, 70);
      put(`${id}.health`, healthValues(healthScore(v, { lookback })));
      put(`${id}.healthSlices`, healthOnSlices(v, lookback, integer(rand, 1, 25)));
      const vd = rollingValidation(daily.Volatility, rc, { window: vw2 });
      put(
        `${id}.validationDaily`,
        ...validationSeries(vd),
        healthValues(healthScore(vd, { lookback })),
      );
      const high = close.map((p) => p * 1.01);
      const low = close.map((p) => p * 0.99);
      put(`${id}.hourly`, hourlySignal({ high, low, close }));
    }
    const ic = randomSeries(seededRandom(7), 400, { infinities: false });
    put(
      'health.rawSeries',
      healthValues(healthScore({ ic, turnoverAdjustedIc: ic.map((v) => v / 3) })),
    );
    expect(digests).toMatchSnapshot();
  });
});
