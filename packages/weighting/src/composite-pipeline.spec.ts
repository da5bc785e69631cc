import fc from 'fast-check';
import { DataError, ValidationError, sessionDateOf } from '@quantpipe/core';
import { DAILY_SIGNAL_NAMES, computeDailySignals } from '@quantpipe/signals';
import { seededRandom } from '@quantpipe/core/testing';
import {
  computeCompositeSignal,
  dynamicCorrelationWeights,
  type CompositePipelineConfig,
  type CompositeSignalInput,
} from './index';
import { syntheticMarket } from './testing/synthetic-market';

// Volatility and Carry need 252 + 20 bars before they leave 0 (fillna), then the validation window.
const DAYS = 420;
const market = syntheticMarket(DAYS, 20261124);
const config: CompositePipelineConfig = {
  validation_window: 60,
  health_lookback: 20,
  weight_window: 120,
};
const full: CompositeSignalInput = {
  dates: market.dates,
  close: market.close,
  marketReturns: market.marketReturns,
  hourly: market.hourly,
};

/** The input as it was known at the close of bar t. */
function truncated(t: number): CompositeSignalInput {
  const last = market.dates[t] as string;
  const keep = market.hourly.timestamps.filter((ts) => sessionDateOf(ts) <= last).length;
  return {
    dates: market.dates.slice(0, t + 1),
    close: market.close.slice(0, t + 1),
    marketReturns: market.marketReturns.slice(0, t + 1),
    hourly: {
      timestamps: market.hourly.timestamps.slice(0, keep),
      high: market.hourly.high.slice(0, keep),
      low: market.hourly.low.slice(0, keep),
      close: market.hourly.close.slice(0, keep),
    },
  };
}

/** The input with every bar after t replaced by different prices. */
function withDifferentFuture(t: number, seed: number): CompositeSignalInput {
  const rand = seededRandom(seed);
  const last = market.dates[t] as string;
  const scale = (xs: number[], after: (i: number) => boolean) =>
    xs.map((x, i) => (after(i) ? x * (0.5 + rand()) : x));
  const futureHour = (i: number) => sessionDateOf(market.hourly.timestamps[i] as string) > last;
  const hClose = scale(market.hourly.close, futureHour);
  return {
    dates: market.dates,
    close: scale(market.close, (i) => i > t),
    marketReturns: market.marketReturns.map((x, i) => (i > t ? rand() - 0.5 : x)),
    hourly: {
      timestamps: market.hourly.timestamps,
      high: hClose.map((c, i) => (futureHour(i) ? c * 1.01 : (market.hourly.high[i] as number))),
      low: hClose.map((c, i) => (futureHour(i) ? c * 0.99 : (market.hourly.low[i] as number))),
      close: hClose,
    },
  };
}

describe('computeCompositeSignal: no look-ahead', () => {
  it('gives the same decision from the full history, the history cut at t, and a different future', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: DAYS - 2 }), fc.integer(), (t, seed) => {
        const a = computeCompositeSignal({ ...full, decisionIndex: t }, config);
        const b = computeCompositeSignal(truncated(t), config);
        const c = computeCompositeSignal(
          { ...withDifferentFuture(t, seed), decisionIndex: t },
          config,
        );
        expect(a.date).toBe(market.dates[t]);
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }),
      { numRuns: 8 },
    );
  });
});

describe('computeCompositeSignal: how health enters the weights', () => {
  const t = DAYS - 1;
  const r = computeCompositeSignal(full, config);

  it('has finite health for every signal once the history is long enough', () => {
    expect(r.healthMissing).toEqual([]);
    for (const name of DAILY_SIGNAL_NAMES) {
      expect(r.health[name]?.score).toBe(r.healthUsed[name]);
      expect(r.healthUsed[name]).toBeGreaterThan(0);
      expect(r.healthUsed[name]).toBeLessThan(1);
    }
  });

  it('uses normalised health as base weights and health-scaled ICs in the optimiser', () => {
    const total = DAILY_SIGNAL_NAMES.reduce((s, n) => s + (r.healthUsed[n] as number), 0);
    for (const name of DAILY_SIGNAL_NAMES) {
      expect(r.baseWeights[name]).toBe((r.healthUsed[name] as number) / total);
      expect(r.effectiveIcs[name]).toBe((r.ics[name] as number) * (r.healthUsed[name] as number));
    }
    // Same weights as the weighter called directly with those inputs on the same window.
    expect(r.weights).toEqual(
      dynamicCorrelationWeights(windowFrame(t, 120), windowReturns(t, 120), r.baseWeights, {
        icMultipliers: r.healthUsed,
      }).weights,
    );
  });

  it('lowering the health of a positive-IC signal never raises its weight', () => {
    const frame = windowFrame(t, 120);
    const rets = windowReturns(t, 120);
    fc.assert(
      fc.property(
        fc.constantFrom(...DAILY_SIGNAL_NAMES),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (name, factor) => {
          const base = dynamicCorrelationWeights(frame, rets, {}, { icMultipliers: r.healthUsed });
          if (!((base.ics[name] as number) > 0)) return;
          const lowered = { ...r.healthUsed, [name]: (r.healthUsed[name] as number) * factor };
          const after = dynamicCorrelationWeights(frame, rets, {}, { icMultipliers: lowered });
          expect(after.weights[name] as number).toBeLessThanOrEqual(
            (base.weights[name] as number) + 1e-12,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('builds the composite from the weights and the 70/30 hourly rule', () => {
    const daily = DAILY_SIGNAL_NAMES.reduce(
      (s, n) => s + (r.weights[n] as number) * (r.signals[n] as number),
      0,
    );
    expect(r.dailyComposite).toBe(daily);
    expect(r.composite).toBeCloseTo(0.7 * daily + 0.3 * r.hourlyDaily, 15);
    expect(Number.isFinite(r.hourlyDaily)).toBe(true);
    const sameSign = Math.sign(daily) === Math.sign(r.hourlyDaily);
    expect(r.confidence).toBe(sameSign ? 0.7 + 0.3 * Math.abs(r.hourlyDaily) : 0.3);
    const noHourly = computeCompositeSignal({ ...full, hourly: undefined }, config);
    expect(noHourly.composite).toBe(noHourly.dailyComposite);
    expect(noHourly.confidence).toBe(1);
  });

  it('counts NaN health as 0.5 early in the history', () => {
    const early = computeCompositeSignal({ ...full, decisionIndex: 30 }, config);
    expect(early.healthMissing).toEqual([...DAILY_SIGNAL_NAMES]);
    for (const name of DAILY_SIGNAL_NAMES) expect(early.baseWeights[name]).toBeCloseTo(0.2, 15);
  });

  it('applies risk budgets when configured', () => {
    const budgeted = computeCompositeSignal(full, { ...config, riskBudgets: { strict: true } });
    expect(budgeted.weights['Beta']).toBeLessThanOrEqual(0.1 + 1e-12);
    const total = Object.values(budgeted.weights).reduce((s, w) => s + w, 0);
    expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-12);
  });
});

/** The five daily signals on bars 0..t, last `window` rows. */
function windowFrame(t: number, window: number): Record<string, number[]> {
  const daily = computeDailySignals({
    close: market.close.slice(0, t + 1),
    dates: market.dates.slice(0, t + 1),
    marketReturns: market.marketReturns.slice(0, t + 1),
  });
  const out: Record<string, number[]> = {};
  for (const name of DAILY_SIGNAL_NAMES)
    out[name] = Array.from(daily[name].slice(t + 1 - window, t + 1));
  return out;
}

function windowReturns(t: number, window: number): number[] {
  const closes = market.close.slice(0, t + 1);
  const r = closes.map((c, i) => (i === 0 ? NaN : c / (closes[i - 1] as number) - 1));
  return r.slice(t + 1 - window);
}

describe('computeCompositeSignal bad input', () => {
  it('rejects misaligned or out-of-range input with typed errors', () => {
    expect(() => computeCompositeSignal({ ...full, close: market.close.slice(1) })).toThrow(
      /close/,
    );
    expect(() => computeCompositeSignal({ ...full, decisionIndex: DAYS })).toThrow(ValidationError);
    expect(() => computeCompositeSignal({ ...full, decisionIndex: 1 })).toThrow(DataError);
    expect(() => computeCompositeSignal(full, { validation_window: 1 })).toThrow(
      /validation_window/,
    );
    expect(() =>
      computeCompositeSignal({ ...full, hourly: { ...market.hourly, close: [1] } }, config),
    ).toThrow(/hourly/);
  });
});
