/**
 * The public numeric APIs under fuzz: signals, weighting, sizing, risk metrics and slippage,
 * and the core validators. Each target draws its arguments from {@link ./arbitraries} and
 * calls one exported function; the runner checks that the call throws a QuantpipeError or
 * returns numbers that are finite (or NaN where the API documents NaN: warm-up rows of rolling
 * windows, statistics of too few values), within the per-call time bound.
 */
import {
  assertOrderRequest,
  checkBarPlausibility,
  validateBars,
  type Bar,
  type OrderRequest,
} from '@quantpipe/core';
import { parseCsvBars, CSV_BAR_HEADER } from '@quantpipe/data-adapters';
import {
  analyzeDrawdowns,
  computePerformance,
  conditionalValueAtRisk,
  estimateSlippageBps,
  marketStatsFromBars,
  preTradeCostReport,
  valueAtRisk,
} from '@quantpipe/risk';
import {
  betaSignal,
  carrySignal,
  computeDailySignals,
  diff,
  fillNaN,
  healthScore,
  hourlySignal,
  momentumSignal,
  pctChange,
  rollingCorr,
  rollingCov,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingQuantile,
  rollingStd,
  rollingSum,
  rollingValidation,
  rollingVar,
  shift,
  tailRiskSignal,
  volatilitySignal,
} from '@quantpipe/signals';
import { adaptiveDecayPositions, computeTargetPositions } from '@quantpipe/sizing';
import {
  applyRiskBudgets,
  combineHybrid,
  computeCompositeSignal,
  dynamicCorrelationWeights,
  optimizeSignalWeights,
  signalCorrelation,
  signalIcs,
} from '@quantpipe/weighting';
import fc from 'fast-check';
import {
  anyNumber,
  arrayOrWrong,
  datesFor,
  isoDates,
  isoHours,
  lengthOf,
  numberOrWrong,
  priceSeries,
  returnSeries,
  windowArg,
  wrongType,
} from './arbitraries';

/** One API under fuzz. */
export interface FuzzTarget {
  /** `package.function`, unique. */
  readonly name: string;
  /** The arguments of one call. */
  readonly args: fc.Arbitrary<readonly unknown[]>;
  /** Calls the API with them. */
  readonly call: (args: readonly unknown[]) => unknown;
  /** Whether NaN is a documented output value (warm-up rows, undefined statistics). */
  readonly nanAllowed: boolean;
  /** Where NaN is documented when it is not everywhere (output paths, e.g. `.corr`). */
  readonly nanPaths?: RegExp;
  /**
   * Input magnitudes from which ±Infinity in the output is IEEE overflow, not a defect (see
   * `hasExtremeNumber`): default 1e150 and above, 1e-150 and below (divisors).
   */
  readonly overflowFrom?: { readonly above?: number; readonly zeroDivides?: boolean };
  /** Calls per run (default {@link DEFAULT_RUNS}). */
  readonly runs?: number;
}

/** Calls per target unless it says otherwise. */
export const DEFAULT_RUNS = 300;

const tuple = (...parts: fc.Arbitrary<unknown>[]): fc.Arbitrary<readonly unknown[]> =>
  fc.tuple(...parts);

/** A daily signal config with each window sometimes set, from {@link windowArg}. */
const signalConfig: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        volatility_window: windowArg,
        momentum_fast: windowArg,
        momentum_slow: windowArg,
        tail_window: windowArg,
        beta_window: windowArg,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: wrongType },
);

/** A signal frame: named columns of one length (sometimes ragged or of the wrong type). */
const signalFrame: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 120 }))
      .chain(([k, n]) =>
        fc.tuple(
          ...Array.from({ length: k }, () => fc.array(anyNumber, { minLength: n, maxLength: n })),
        ),
      )
      .map((columns) => Object.fromEntries(columns.map((c, i) => [`S${i}`, c]))),
  },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('A', 'B', 'C'), arrayOrWrong) },
  { weight: 1, arbitrary: wrongType },
);

/** Rows of a generated frame (its first column's length; 0 for anything else). */
function rowsOf(frame: unknown): number {
  if (frame === null || typeof frame !== 'object') return 0;
  return lengthOf(Object.values(frame)[0]);
}

/** Bars of one symbol from a price series (valid), with sometimes one field broken. */
const barSeries: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        priceSeries,
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { maxLength: 300 }),
      )
      .map(([closes, volumes]) => {
        const dates = isoDates(closes.length);
        return closes.map((c, i): Bar => ({
          symbol: 'SYNA',
          timestamp: dates[i] as string,
          open: c,
          high: c * 1.01,
          low: c * 0.99,
          close: c,
          volume: volumes[i] ?? 1000,
        }));
      }),
  },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.record({
        symbol: fc.constantFrom<unknown>('SYNA', '', null),
        timestamp: fc.constantFrom<unknown>('2021-01-04', '2021-01-05', 'x', null),
        open: numberOrWrong,
        high: numberOrWrong,
        low: numberOrWrong,
        close: numberOrWrong,
        volume: numberOrWrong,
      }),
      { maxLength: 10 },
    ),
  },
  { weight: 1, arbitrary: wrongType },
);

const sizingEntries: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(
      fc.record(
        {
          symbol: fc.constantFrom<unknown>('A', 'B', 'C', 'D', '', null),
          compositeSignal: numberOrWrong,
          price: numberOrWrong,
          adv20: numberOrWrong,
          confidence: numberOrWrong,
        },
        { requiredKeys: ['symbol', 'compositeSignal', 'price', 'adv20'] },
      ),
      { maxLength: 8 },
    ),
  },
  { weight: 1, arbitrary: wrongType },
);

/** Same-length arrays (a, b) most of the time, arbitrary pairs otherwise. */
const arrayPair: fc.Arbitrary<[unknown, unknown]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 0, max: 300 })
      .chain((n) =>
        fc.tuple(
          fc.array(anyNumber, { minLength: n, maxLength: n }),
          fc.array(anyNumber, { minLength: n, maxLength: n }),
        ),
      ),
  },
  { weight: 1, arbitrary: fc.tuple(arrayOrWrong, arrayOrWrong) },
);

/** The first value most of the time (a valid field), one of the others now and then. */
function mostly(valid: unknown, ...others: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(valid) },
    { weight: 1, arbitrary: fc.constantFrom(...others) },
  );
}

/** Arguments of a rolling kernel of one series and a window. */
const seriesAndWindow = tuple(arrayOrWrong, windowArg);

export const TARGETS: readonly FuzzTarget[] = [
  // ------------------------------------------------------------------ signals: kernels
  {
    name: 'signals.pctChange',
    args: tuple(arrayOrWrong),
    call: ([x]) => pctChange(x as never),
    nanAllowed: true,
    // A 0 price divides (pandas gives inf there too).
    overflowFrom: { zeroDivides: true },
  },
  {
    name: 'signals.diff',
    args: tuple(arrayOrWrong),
    call: ([x]) => diff(x as never),
    nanAllowed: true,
  },
  {
    name: 'signals.shift',
    args: tuple(arrayOrWrong, fc.oneof(fc.integer({ min: -400, max: 400 }), windowArg)),
    call: ([x, p]) => shift(x as never, p as never),
    nanAllowed: true,
  },
  {
    name: 'signals.fillNaN',
    args: tuple(arrayOrWrong, numberOrWrong),
    call: ([x, v]) => fillNaN(x as never, v as never),
    // NaN only where the fill value itself is NaN.
    nanAllowed: true,
  },
  {
    name: 'signals.rollingSum',
    args: seriesAndWindow,
    call: ([x, w]) => rollingSum(x as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingMean',
    args: seriesAndWindow,
    call: ([x, w]) => rollingMean(x as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingVar',
    args: seriesAndWindow,
    call: ([x, w]) => rollingVar(x as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingStd',
    args: seriesAndWindow,
    call: ([x, w]) => rollingStd(x as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingMin',
    args: seriesAndWindow,
    call: ([x, w]) => rollingMin(x as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingMax',
    args: seriesAndWindow,
    call: ([x, w]) => rollingMax(x as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingQuantile',
    args: tuple(
      arrayOrWrong,
      windowArg,
      fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), numberOrWrong),
    ),
    call: ([x, w, q]) => rollingQuantile(x as never, w as never, q as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingCov',
    args: fc.tuple(arrayPair, windowArg).map(([[a, b], w]) => [a, b, w]),
    call: ([a, b, w]) => rollingCov(a as never, b as never, w as never),
    nanAllowed: true,
  },
  {
    name: 'signals.rollingCorr',
    args: fc.tuple(arrayPair, windowArg).map(([[a, b], w]) => [a, b, w]),
    call: ([a, b, w]) => rollingCorr(a as never, b as never, w as never),
    nanAllowed: true,
  },
  // ------------------------------------------------------------------ signals: signals
  {
    name: 'signals.volatilitySignal',
    args: tuple(arrayOrWrong, signalConfig),
    call: ([r, c]) => volatilitySignal(r as never, c as never),
    nanAllowed: true,
  },
  {
    name: 'signals.momentumSignal',
    args: fc.tuple(arrayPair, signalConfig).map(([[r, m], c]) => [r, m, c]),
    call: ([r, m, c]) => momentumSignal(r as never, m as never, c as never),
    nanAllowed: true,
  },
  {
    name: 'signals.tailRiskSignal',
    args: tuple(arrayOrWrong, signalConfig),
    call: ([r, c]) => tailRiskSignal(r as never, c as never),
    nanAllowed: true,
  },
  {
    name: 'signals.betaSignal',
    args: fc.tuple(arrayPair, signalConfig).map(([[r, m], c]) => [r, m, c]),
    call: ([r, m, c]) => betaSignal(r as never, m as never, c as never),
    nanAllowed: true,
  },
  {
    name: 'signals.carrySignal',
    args: fc
      .tuple(arrayPair, signalConfig)
      .chain(([[r, close], c]) =>
        fc.tuple(fc.constant(r), fc.constant(close), datesFor(lengthOf(r)), fc.constant(c)),
      ),
    call: ([r, close, dates, c]) =>
      carrySignal(r as never, close as never, dates as never, c as never),
    nanAllowed: true,
  },
  {
    name: 'signals.computeDailySignals',
    args: fc
      .tuple(
        fc.oneof(priceSeries, arrayOrWrong),
        fc.oneof(fc.constant(undefined), arrayOrWrong),
        signalConfig,
      )
      .chain(([close, market, c]) =>
        fc.tuple(
          fc.oneof(
            {
              weight: 8,
              arbitrary: datesFor(lengthOf(close)).map((dates) => ({
                close,
                dates,
                marketReturns: market,
              })),
            },
            { weight: 1, arbitrary: wrongType },
          ),
          fc.constant(c),
        ),
      ),
    call: ([input, c]) => computeDailySignals(input as never, c as never),
    nanAllowed: true,
    runs: 200,
  },
  {
    name: 'signals.hourlySignal',
    args: fc.oneof(
      {
        weight: 4,
        arbitrary: priceSeries.map((c) => [
          { high: c.map((x) => x * 1.01), low: c.map((x) => x * 0.99), close: c },
        ]),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(
          fc.record({ high: arrayOrWrong, low: arrayOrWrong, close: arrayOrWrong }),
        ),
      },
      { weight: 1, arbitrary: tuple(wrongType) },
    ),
    call: ([input]) => hourlySignal(input as never),
    nanAllowed: true,
  },
  {
    name: 'signals.healthScore',
    args: tuple(
      fc.oneof(
        { weight: 4, arbitrary: arrayPair.map(([ic, tic]) => ({ ic, turnoverAdjustedIc: tic })) },
        { weight: 1, arbitrary: wrongType },
      ),
      fc.oneof(fc.constant(undefined), fc.record({ lookback: windowArg })),
    ),
    call: ([input, options]) => healthScore(input as never, options as never),
    nanAllowed: true,
  },
  {
    // windows past MAX_WINDOW_BARS (2^31, 1e9 in windowArg) are refused, so none hangs
    name: 'signals.rollingValidation',
    args: fc
      .tuple(arrayPair, fc.oneof(fc.constant(undefined), fc.record({ window: windowArg })))
      .map(([[signal, returns], options]) => [signal, returns, options] as const),
    call: ([signal, returns, options]) =>
      rollingValidation(signal as never, returns as never, options as never),
    nanAllowed: true,
  },

  // ------------------------------------------------------------------ weighting
  {
    name: 'weighting.signalIcs',
    args: signalFrame.chain((frame) => {
      const n = rowsOf(frame);
      return fc.tuple(
        fc.constant(frame),
        fc.oneof(fc.array(anyNumber, { minLength: n, maxLength: n }), arrayOrWrong),
      );
    }),
    call: ([frame, returns]) => signalIcs(frame as never, returns as never),
    nanAllowed: true,
  },
  {
    name: 'weighting.signalCorrelation',
    args: tuple(signalFrame),
    call: ([frame]) => signalCorrelation(frame as never).to2DArray(),
    nanAllowed: true,
  },
  {
    name: 'weighting.optimizeSignalWeights',
    args: fc.integer({ min: 1, max: 6 }).chain((n) => {
      const names = Array.from({ length: n }, (_x, i) => `S${i}`);
      return fc.tuple(
        fc.oneof(
          {
            weight: 6,
            arbitrary: fc.record({
              names: fc.constant(names),
              ics: fc.oneof(
                fc.array(anyNumber, { minLength: n, maxLength: n }),
                fc.dictionary(fc.constantFrom(...names), anyNumber),
              ),
              corr: fc.array(fc.array(anyNumber, { minLength: n, maxLength: n }), {
                minLength: n,
                maxLength: n,
              }),
              lower: fc.oneof(fc.constant(undefined), fc.constant(0.05), numberOrWrong),
              upper: fc.oneof(fc.constant(undefined), fc.constant(0.5), numberOrWrong),
            }),
          },
          { weight: 1, arbitrary: wrongType },
        ),
      );
    }),
    call: ([problem]) => optimizeSignalWeights(problem as never),
    nanAllowed: false,
  },
  {
    name: 'weighting.dynamicCorrelationWeights',
    args: signalFrame.chain((frame) => {
      const n = rowsOf(frame);
      return fc.tuple(
        fc.constant(frame),
        fc.oneof(fc.array(anyNumber, { minLength: n, maxLength: n }), arrayOrWrong),
        fc.oneof(
          fc.constant(undefined),
          fc.dictionary(fc.constantFrom('S0', 'S1', 'S2'), numberOrWrong),
        ),
        fc.oneof(
          fc.constant(undefined),
          fc.record({ lower: numberOrWrong, upper: numberOrWrong }, { requiredKeys: [] }),
        ),
      );
    }),
    call: ([frame, returns, base, options]) =>
      dynamicCorrelationWeights(frame as never, returns as never, base as never, options as never),
    nanAllowed: false,
    // Documented: `corr` is NaN where a column is constant; weights and ICs are finite.
    nanPaths: /^\.corr\b/,
    runs: 200,
  },
  {
    name: 'weighting.applyRiskBudgets',
    args: tuple(
      fc.oneof(
        fc.dictionary(
          fc.constantFrom('Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry', 'X'),
          numberOrWrong,
        ),
        wrongType,
      ),
      fc.oneof(
        fc.constant(undefined),
        fc.dictionary(
          fc.constantFrom('Volatility', 'Momentum', 'X'),
          fc.constantFrom<unknown>('risk', 'alpha', 'other', 3),
        ),
      ),
      fc.oneof(
        fc.constant(undefined),
        fc.dictionary(fc.constantFrom('risk', 'alpha', 'other'), numberOrWrong),
      ),
      fc.oneof(
        fc.constant(undefined),
        fc.record({ strict: fc.constantFrom<unknown>(true, false, 'yes') }),
      ),
    ),
    call: ([w, c, b, o]) => applyRiskBudgets(w as never, c as never, b as never, o as never),
    nanAllowed: false,
  },
  {
    name: 'weighting.combineHybrid',
    args: fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 200 }))
      .chain(([days, hours]) =>
        fc.tuple(
          fc.oneof(
            {
              weight: 6,
              arbitrary: fc.record({
                dailyDates: fc.constant(isoDates(days)),
                dailySignal: fc.array(anyNumber, { minLength: days, maxLength: days }),
                hourlyTimestamps: fc.constant(isoHours(hours)),
                hourlySignal: fc.array(anyNumber, { minLength: hours, maxLength: hours }),
              }),
            },
            {
              weight: 1,
              arbitrary: fc.record({
                dailyDates: datesFor(days),
                dailySignal: arrayOrWrong,
                hourlyTimestamps: fc.constantFrom<unknown>(isoHours(hours), null, ['x']),
                hourlySignal: arrayOrWrong,
              }),
            },
            { weight: 1, arbitrary: wrongType },
          ),
        ),
      ),
    call: ([input]) => combineHybrid(input as never),
    nanAllowed: true,
  },
  {
    name: 'weighting.computeCompositeSignal',
    args: fc
      .tuple(
        fc.oneof({ weight: 4, arbitrary: priceSeries }, { weight: 1, arbitrary: arrayOrWrong }),
        fc.oneof(fc.constant(undefined), returnSeries, arrayOrWrong),
      )
      .chain(([close, market]) =>
        fc.tuple(
          fc.oneof(
            {
              weight: 8,
              arbitrary: datesFor(lengthOf(close)).map((dates) => ({
                dates,
                close,
                marketReturns: market,
              })),
            },
            { weight: 1, arbitrary: wrongType },
          ),
          fc.oneof(
            { weight: 3, arbitrary: fc.constant(undefined) },
            {
              weight: 1,
              arbitrary: fc.record(
                {
                  health_lookback: windowArg,
                  validation_window: windowArg,
                  weight_window: windowArg,
                  lower: numberOrWrong,
                  upper: numberOrWrong,
                  signals: signalConfig,
                },
                { requiredKeys: [] },
              ),
            },
          ),
        ),
      ),
    call: ([input, config]) => computeCompositeSignal(input as never, config as never),
    nanAllowed: true,
    runs: 120,
  },

  // ------------------------------------------------------------------ sizing
  {
    name: 'sizing.computeTargetPositions',
    args: tuple(
      sizingEntries,
      numberOrWrong,
      fc.oneof(
        fc.constant(undefined),
        fc.record(
          {
            max_position_size: numberOrWrong,
            min_leverage: numberOrWrong,
            max_leverage: numberOrWrong,
            max_adv_pct: numberOrWrong,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    call: ([entries, equity, config]) =>
      computeTargetPositions(entries as never, equity as never, config as never),
    nanAllowed: false,
  },
  {
    name: 'sizing.adaptiveDecayPositions',
    args: tuple(
      arrayOrWrong,
      fc.oneof(
        fc.constant(undefined),
        fc.record({ halfLifeDays: numberOrWrong, bufferZone: numberOrWrong }, { requiredKeys: [] }),
      ),
    ),
    call: ([signal, options]) => adaptiveDecayPositions(signal as never, options as never),
    nanAllowed: false,
  },

  // ------------------------------------------------------------------ risk
  {
    name: 'risk.estimateSlippageBps',
    args: tuple(
      fc.oneof(
        fc.record({ shares: numberOrWrong, adv: numberOrWrong, volatility: numberOrWrong }),
        wrongType,
      ),
    ),
    call: ([input]) => estimateSlippageBps(input as never),
    nanAllowed: false,
  },
  {
    name: 'risk.computePerformance',
    args: fc
      .tuple(
        arrayPair,
        fc.oneof(fc.constant(undefined), numberOrWrong),
        fc.oneof(fc.constant(undefined), numberOrWrong),
      )
      .map(([[r, b], p, rf]) => [
        r,
        {
          benchmarkReturns: b,
          ...(p === undefined ? {} : { periodsPerYear: p }),
          ...(rf === undefined ? {} : { riskFreeRateAnnual: rf }),
        },
      ]),
    call: ([r, options]) => computePerformance(r as never, options as never),
    nanAllowed: true,
    // Annualising compounds: a return of 100 % or more per period over a short series
    // overflows CAGR (1 + r)^(252 / n) to Infinity.
    overflowFrom: { above: 1 },
  },
  {
    name: 'risk.analyzeDrawdowns',
    args: tuple(arrayOrWrong),
    call: ([r]) => analyzeDrawdowns(r as never),
    nanAllowed: true,
  },
  {
    name: 'risk.valueAtRisk',
    args: tuple(
      arrayOrWrong,
      fc.oneof(fc.constant(undefined), fc.double({ min: 0, max: 1 }), numberOrWrong),
    ),
    call: ([r, level]) => valueAtRisk(r as never, level as never),
    nanAllowed: false,
  },
  {
    name: 'risk.conditionalValueAtRisk',
    args: tuple(
      arrayOrWrong,
      fc.oneof(fc.constant(undefined), fc.double({ min: 0, max: 1 }), numberOrWrong),
    ),
    call: ([r, level]) => conditionalValueAtRisk(r as never, level as never),
    nanAllowed: false,
  },
  {
    name: 'risk.marketStatsFromBars',
    args: tuple(
      barSeries,
      fc.oneof(
        fc.constant(undefined),
        fc.record({ windowBars: windowArg, periodsPerYear: numberOrWrong }, { requiredKeys: [] }),
      ),
    ),
    call: ([bars, options]) => marketStatsFromBars(bars as never, options as never),
    nanAllowed: false,
  },
  {
    name: 'risk.preTradeCostReport',
    args: tuple(
      fc.dictionary(fc.constantFrom('A', 'B', 'C'), numberOrWrong),
      fc.dictionary(fc.constantFrom('A', 'B', 'C'), numberOrWrong),
      fc.dictionary(
        fc.constantFrom('A', 'B', 'C'),
        fc.record({ priceUsd: numberOrWrong, advShares: numberOrWrong, volatility: numberOrWrong }),
      ),
    ),
    call: ([t, c, m]) => preTradeCostReport(t as never, c as never, m as never),
    nanAllowed: false,
  },

  // ------------------------------------------------------------------ core validators
  {
    name: 'core.validateBars',
    args: tuple(barSeries),
    call: ([bars]) => validateBars(bars as never),
    nanAllowed: false,
  },
  {
    name: 'core.checkBarPlausibility',
    args: tuple(
      barSeries,
      fc.oneof(fc.constant(undefined), fc.record({ maxJumpRatio: numberOrWrong })),
    ),
    call: ([bars, options]) => {
      // Documented contract: run after validateBars (which throws a DataError on bad bars).
      validateBars(bars as never);
      return checkBarPlausibility(bars as never, options as never);
    },
    nanAllowed: false,
  },
  {
    name: 'core.assertOrderRequest',
    args: tuple(
      fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            clientOrderId: mostly('run-1-c1-A-adjust', '', null, 'x'.repeat(200)),
            symbol: mostly('SYNA', '', ' A', 'A\n', null),
            side: mostly('buy', 'sell', 'hold'),
            quantity: fc.oneof(
              { weight: 3, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) },
              { weight: 2, arbitrary: numberOrWrong },
            ),
            type: mostly('market', 'limit', 'stop'),
            timeInForce: mostly('day', 'gtc', 'ioc'),
            limitPriceUsd: numberOrWrong,
          }),
        },
        { weight: 1, arbitrary: wrongType },
      ),
    ),
    call: ([request]) => assertOrderRequest(request as OrderRequest),
    nanAllowed: false,
  },
  {
    name: 'data-adapters.parseCsvBars',
    args: tuple(
      fc
        .array(
          fc.tuple(
            fc.integer({ min: 0, max: 3 }),
            numberOrWrong,
            numberOrWrong,
            numberOrWrong,
            numberOrWrong,
            numberOrWrong,
          ),
          { maxLength: 20 },
        )
        .map((rows) =>
          [
            CSV_BAR_HEADER,
            ...rows.map(([d, ...cells], i) =>
              [
                isoDates(i + d + 1)[i + d],
                ...cells.map((c) => (typeof c === 'number' ? String(c) : String(c).slice(0, 10))),
              ].join(','),
            ),
          ].join('\n'),
        ),
    ),
    call: ([text]) =>
      parseCsvBars(text as string, { symbol: 'SYNA', timeframe: '1Day', file: 'SYNA_1d.csv' }),
    nanAllowed: false,
  },
];
