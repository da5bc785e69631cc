import fc from 'fast-check';
import { ValidationError, type DecisionSchedule } from '@quantpipe/core';
import { CompositeStrategy } from './composite-strategy';
import type { CompositeStrategyConfig } from './composite-strategy-config';
import {
  createCompositeDecisionTable,
  precomputeComposite,
  precomputeCompositeSymbol,
  summariseCompositeDecisions,
  writeCompositeColumns,
} from './precompute-composite';
import { compareWithStream, type TableComparison } from './testing/compare-table';
import { randomMarket } from './testing/random-market';
import { SCENARIOS, SMALL_WINDOWS, buildScenario, type ScenarioSpec } from './testing/scenarios';
import { columnarMarket, streamOverSchedule } from './testing/schedule-feed';
import { decisionScheduleFromCutoffs } from './decision-schedule';
import { SIGNAL_NORMALIZATIONS } from '@quantpipe/weighting';

function runBoth(spec: ScenarioSpec): TableComparison {
  const scenario = buildScenario(spec);
  const outputs = streamOverSchedule(
    new CompositeStrategy(scenario.config),
    scenario.market,
    scenario.schedule,
  );
  const table = precomputeComposite(
    scenario.config,
    columnarMarket(scenario.market),
    scenario.schedule,
  );
  expect(table.notes).toEqual(outputs[0]?.notes ?? []);
  return compareWithStream(table, outputs);
}

describe('precomputeComposite equals the streaming strategy, bit for bit', () => {
  it.each(SCENARIOS.map((spec) => [spec.name, spec] as const))('%s', (_name, spec) => {
    const c = runBoth(spec);
    expect(c.mismatches).toEqual([]);
    // the run exercised what it is meant to
    expect(c.decidedCells).toBeGreaterThan(100);
    expect(c.decisionsWithHealth).toBeGreaterThan(50);
    expect(c.contributionSums).toBeGreaterThan(50);
    if (spec.hourly) expect(c.hybridCells).toBeGreaterThan(20);
  });

  it.each(
    SIGNAL_NORMALIZATIONS.flatMap((mode) =>
      SCENARIOS.map((spec) => [mode, spec.name, spec] as const),
    ),
  )('with signal_normalization %s: %s', (mode, _name, spec) => {
    const c = runBoth({
      ...spec,
      config: { ...spec.config, signal_normalization: mode, signal_normalization_window: 10 },
    });
    expect(c.mismatches).toEqual([]);
    expect(c.decidedCells).toBeGreaterThan(100);
    expect(c.contributionSums).toBeGreaterThan(50);
  });

  it('normalised signals are on comparable scales and NaN-free', () => {
    const spec = SCENARIOS[0] as ScenarioSpec;
    for (const mode of ['rolling_z', 'cross_sectional_z', 'cross_sectional_rank'] as const) {
      const scenario = buildScenario(spec);
      const config = { ...scenario.config, signal_normalization: mode };
      const table = precomputeComposite(config, columnarMarket(scenario.market), scenario.schedule);
      const n = table.symbols.length;
      const k = table.signalNames.length;
      let decided = 0;
      for (let cell = 0; cell < table.decisions * n; cell++) {
        if (table.decided[cell] !== 1) continue;
        decided++;
        expect(Number.isFinite(table.composite[cell] as number)).toBe(true);
        for (let i = 0; i < k; i++) {
          const v = table.signals[cell * k + i] as number;
          expect(Number.isFinite(v)).toBe(true);
          if (mode === 'cross_sectional_rank') expect(Math.abs(v)).toBeLessThanOrEqual(1);
        }
      }
      expect(decided).toBeGreaterThan(100);
      if (mode !== 'rolling_z')
        // each signal sums to zero across the decided symbols of every decision
        for (let d = 0; d < table.decisions; d++)
          for (let i = 0; i < k; i++) {
            let sum = 0;
            for (let s = 0; s < n; s++)
              if (table.decided[d * n + s] === 1)
                sum += table.signals[(d * n + s) * k + i] as number;
            expect(Math.abs(sum)).toBeLessThan(1e-9);
          }
    }
  });

  it('on random markets, schedules and configs (property)', () => {
    const configArb: fc.Arbitrary<Partial<CompositeStrategyConfig>> = fc.record({
      volatility_window: fc.integer({ min: 2, max: 8 }),
      momentum_fast: fc.integer({ min: 2, max: 6 }),
      momentum_slow: fc.integer({ min: 6, max: 14 }),
      tail_window: fc.integer({ min: 3, max: 12 }),
      beta_window: fc.integer({ min: 3, max: 12 }),
      validation_window: fc.integer({ min: 5, max: 40 }),
      health_lookback: fc.integer({ min: 2, max: 10 }),
      reweight_interval_bars: fc.integer({ min: 1, max: 9 }),
      risk_budgets: fc.boolean(),
      health_weighting: fc.boolean(),
      signal_normalization: fc.constantFrom(...SIGNAL_NORMALIZATIONS),
      signal_normalization_window: fc.integer({ min: 2, max: 30 }),
    });
    const specArb: fc.Arbitrary<ScenarioSpec> = fc.record({
      name: fc.constant('random'),
      symbols: fc.constantFrom(['SYNA'], ['SYNA', 'SYNB'], ['SYNA', 'SYNB', 'SYNC']),
      sessions: fc.integer({ min: 40, max: 140 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
      marketOptions: fc.record({
        benchmarkGapRate: fc.constantFrom(0, 0.05, 0.3),
        listingDelays: fc.record({ SYNB: fc.integer({ min: 0, max: 150 }) }),
      }),
      hourly: fc.boolean(),
      benchmark: fc.boolean(),
      schedule: fc.record({
        seed: fc.integer({ min: 1, max: 1e6 }),
        historyStart: fc.integer({ min: 0, max: 10 }),
        firstDecision: fc.integer({ min: 0, max: 40 }),
        steps: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }),
        decisions: fc.integer({ min: 1, max: 60 }),
        lagRate: fc.constantFrom(0, 0.2, 0.5),
        benchmarkHiddenUntil: fc.integer({ min: 0, max: 8 }),
        hourlyRate: fc.constantFrom(0, 0.5, 1),
      }),
      config: configArb,
    });
    let decided = 0;
    let hybrid = 0;
    let numbers = 0;
    fc.assert(
      fc.property(specArb, (spec) => {
        const c = runBoth(spec);
        expect(c.mismatches).toEqual([]);
        decided += c.decidedCells;
        hybrid += c.hybridCells;
        numbers += c.numbers;
      }),
      { numRuns: 40 },
    );
    expect(decided).toBeGreaterThan(500);
    expect(hybrid).toBeGreaterThan(20);
    expect(numbers).toBeGreaterThan(10_000);
  });

  it('on a schedule built from session cutoffs, daily decisions after a warm-up', () => {
    const symbols = ['SYNA', 'SYNB'];
    const m = randomMarket(symbols, 200, 31, { listingDelays: { SYNB: 70 } });
    const bars = { symbols, benchmarkSymbol: 'SYNMKT', daily: m.daily, hourly: m.hourly };
    const market = columnarMarket(bars);
    const sessions = m.dates.slice(60);
    const schedule = decisionScheduleFromCutoffs(market, {
      daily: sessions,
      hourly: sessions.map((d) => `${d}T23:59:59Z`),
      historyStart: m.dates[5] as string,
    });
    const outputs = streamOverSchedule(new CompositeStrategy(SMALL_WINDOWS), bars, schedule);
    const c = compareWithStream(precomputeComposite(SMALL_WINDOWS, market, schedule), outputs);
    expect(c.mismatches).toEqual([]);
    expect(c.decidedCells).toBe(sessions.length + (200 - 70));
  });
});

describe('precomputeComposite per symbol', () => {
  it('gives the same table when symbols are computed out of order and assembled', () => {
    const spec = SCENARIOS[0] as ScenarioSpec;
    const scenario = buildScenario(spec);
    const market = columnarMarket(scenario.market);
    const whole = precomputeComposite(scenario.config, market, scenario.schedule);
    const passes = [3, 1, 0, 2].map((s) =>
      precomputeCompositeSymbol(scenario.config, market, scenario.schedule, s),
    );
    const table = createCompositeDecisionTable(market, scenario.schedule);
    writeCompositeColumns(table, passes.slice(0, 2));
    writeCompositeColumns(table, passes.slice(2));
    const assembled = summariseCompositeDecisions(
      table,
      passes.map((p) => p.figures),
      market,
      scenario.schedule,
    );
    for (const key of [
      'decided',
      'composite',
      'confidence',
      'signals',
      'contributions',
      'weights',
      'health',
      'ic',
      'hybrid',
    ] as const) {
      const a = whole[key];
      const b = assembled[key];
      expect(a.length).toBe(b.length);
      let same = true;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) same = false;
      expect(same).toBe(true);
    }
    expect(assembled.notes).toEqual(whole.notes);
  });

  it('marks a symbol without visible bars as undecided, with NaN entries', () => {
    const scenario = buildScenario(SCENARIOS[0] as ScenarioSpec);
    const table = precomputeComposite(
      scenario.config,
      columnarMarket(scenario.market),
      scenario.schedule,
    );
    const n = table.symbols.length;
    const s = table.symbols.indexOf('SYND'); // listed after the last session
    for (let d = 0; d < table.decisions; d++) {
      expect(table.decided[d * n + s]).toBe(0);
      expect(Number.isNaN(table.composite[d * n + s])).toBe(true);
      expect(Number.isNaN(table.signals[(d * n + s) * 5])).toBe(true);
    }
  });
});

describe('precomputeComposite input checks', () => {
  const scenario = buildScenario(SCENARIOS[2] as ScenarioSpec);
  const market = columnarMarket(scenario.market);
  const schedule = scenario.schedule;

  it('rejects a bad config like the streaming strategy', () => {
    expect(() => precomputeComposite({ validation_window: 1 }, market, schedule)).toThrow(
      /validation_window/,
    );
  });

  it('rejects a schedule that does not fit the market or shrinks', () => {
    const n = market.symbols.length;
    const shrinking: DecisionSchedule = {
      ...schedule,
      dailyEnd: Int32Array.from(schedule.dailyEnd, (e, i) => (i === n ? 0 : e)),
    };
    expect(() => precomputeComposite({}, market, shrinking)).toThrow(/shrink/);
    const tooLong: DecisionSchedule = {
      ...schedule,
      dailyEnd: Int32Array.from(schedule.dailyEnd, (e) => e + 1000),
    };
    expect(() => precomputeComposite({}, market, tooLong)).toThrow(ValidationError);
    expect(() =>
      precomputeComposite({}, market, { ...schedule, dailyFirst: new Int32Array(0) }),
    ).toThrow(/dailyFirst/);
  });

  it('rejects misaligned columns and bars the signals cannot use, naming the symbol', () => {
    const daily = market.daily.map((s, i) => (i === 1 ? { ...s, close: s.close.subarray(1) } : s));
    expect(() => precomputeComposite({}, { ...market, daily }, schedule)).toThrow(
      /market\.daily\[1\]/,
    );
    const bad = Float64Array.from(market.daily[0]?.close ?? []);
    bad[20] = -1;
    const withBadClose = market.daily.map((s, i) => (i === 0 ? { ...s, close: bad } : s));
    expect(() => precomputeComposite({}, { ...market, daily: withBadClose }, schedule)).toThrow(
      /SYNA/,
    );
  });
});
