import fc from 'fast-check';
import type { Bar } from '@quantpipe/core';
import { InMemoryMarketData, generateSyntheticMarket } from '@quantpipe/data-adapters';
import { SimClock, UniverseBars } from '@quantpipe/execution';
import { ClockBoundedMarketData } from '../data/clock-bounded-market-data';
import { columnarMarket } from '../data/columnar-market';
import type { LoadedMarket } from '../data/loaded-market';
import { buildDecisionSchedule, type ScheduleConfig } from './decision-schedule';

const gen = generateSyntheticMarket({
  sessions: 40,
  startDate: '2024-01-02',
  symbols: [
    { symbol: 'AAA', beta: 1, idioVolDaily: 0.01, startPriceUsd: 10 },
    { symbol: 'BBB', beta: 0.5, idioVolDaily: 0.02, startPriceUsd: 40 },
    { symbol: 'CCC', beta: 1.2, idioVolDaily: 0.015, startPriceUsd: 25 },
  ],
});
const SYMBOLS = ['AAA', 'BBB', 'CCC'];
const HOUR = 3_600_000;

/** Decision instants to choose from: every hourly bar's completion and each session's 21:00Z. */
const INSTANTS = [
  ...new Set([
    ...gen.dates.map((d) => Date.parse(`${d}T21:00:00Z`)),
    ...(gen.hourly?.['AAA'] ?? []).map((b) => Date.parse(b.timestamp) + HOUR),
    ...gen.dates.map((d) => Date.parse(`${d}T03:00:00Z`)), // overnight: nothing new is complete
  ]),
].sort((a, b) => a - b);

interface Scenario {
  /** Sessions each symbol's daily (and hourly) bars start late by (a late listing). */
  readonly listed: number[];
  readonly hourlyListed: number[];
  readonly hourly: boolean;
  readonly benchmark: 'separate' | 'in-universe' | 'missing';
  readonly config: ScheduleConfig;
  readonly picks: number[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  listed: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })), {
    minLength: 3,
    maxLength: 3,
  }),
  hourlyListed: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })), {
    minLength: 3,
    maxLength: 3,
  }),
  hourly: fc.boolean(),
  benchmark: fc.constantFrom('separate' as const, 'in-universe' as const, 'missing' as const),
  config: fc.record({
    history_days: fc.integer({ min: 5, max: 90 }),
    hourly_history_days: fc.integer({ min: 1, max: 20 }),
    use_hourly: fc.boolean(),
  }),
  picks: fc.uniqueArray(fc.integer({ min: 0, max: INSTANTS.length - 1 }), {
    minLength: 1,
    maxLength: 12,
  }),
});

function marketOf(s: Scenario): LoadedMarket {
  const symbols = s.benchmark === 'in-universe' ? [...SYMBOLS, 'SYNMKT'] : SYMBOLS;
  const daily: Record<string, readonly Bar[]> = {};
  symbols.forEach((sym, i) => (daily[sym] = (gen.daily[sym] ?? []).slice(s.listed[i] ?? 0)));
  if (s.benchmark === 'separate') daily['SYNMKT'] = gen.daily['SYNMKT'] ?? [];
  const hourly: Record<string, readonly Bar[]> = {};
  symbols.forEach(
    (sym, i) => (hourly[sym] = (gen.hourly?.[sym] ?? []).slice(7 * (s.hourlyListed[i] ?? 0))),
  );
  return {
    label: 'test',
    symbols,
    benchmarkSymbol: 'SYNMKT',
    daily,
    hourly: s.hourly ? hourly : undefined,
    hourlyReason: 'test',
  };
}

describe('buildDecisionSchedule', () => {
  it('shows at each decision exactly the bars the live engine’s bar stores hold', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const market = marketOf(s);
        const columns = columnarMarket(market);
        const decisionMs = [...s.picks].sort((a, b) => a - b).map((i) => INSTANTS[i] as number);
        const schedule = buildDecisionSchedule(columns, decisionMs, decisionMs.length, s.config);
        // The live engine: its bar stores, refreshed at each decision through the clock-bounded view.
        const clock = new SimClock(decisionMs[0] as number);
        const source = new InMemoryMarketData({
          daily: market.daily,
          ...(market.hourly ? { hourly: market.hourly } : {}),
        });
        const bars = new UniverseBars(new ClockBoundedMarketData(source, clock), {
          symbols: market.symbols,
          benchmark_symbol: 'SYNMKT',
          ...s.config,
        });
        const n = market.symbols.length;
        expect(schedule.decisions).toBe(decisionMs.length);
        for (let d = 0; d < decisionMs.length; d++) {
          clock.set(decisionMs[d] as number);
          const { hybrid } = await bars.refresh(clock.now());
          market.symbols.forEach((sym, i) => {
            const from = schedule.dailyFirst[i] as number;
            const to = schedule.dailyEnd[d * n + i] as number;
            expect(bars.daily.bars(sym)).toEqual((market.daily[sym] ?? []).slice(from, to));
            if (market.hourly && s.config.use_hourly) {
              const hFrom = schedule.hourlyFirst[i] as number;
              const hTo = schedule.hourlyEnd[d * n + i] as number;
              expect(bars.hourly.bars(sym)).toEqual((market.hourly[sym] ?? []).slice(hFrom, hTo));
            }
          });
          const bench = market.daily['SYNMKT'] ?? [];
          expect(bars.daily.bars('SYNMKT')).toEqual(
            bench.slice(schedule.benchmarkFirst, schedule.benchmarkEnd[d]),
          );
          expect(schedule.hourlyUsed[d] === 1).toBe(hybrid);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the first refresh fetches history_days; a bar is visible only once complete', () => {
    const market = marketOf({
      listed: [0, 0, 0],
      hourlyListed: [0, 0, 0],
      hourly: true,
      benchmark: 'separate',
      config: { history_days: 10, hourly_history_days: 1, use_hourly: true },
      picks: [],
    });
    const columns = columnarMarket(market);
    const day = gen.dates[20] as string;
    const decisions = [
      Date.parse(`${day}T20:59:59Z`), // the session's daily bar is not complete yet
      Date.parse(`${day}T21:00:00Z`),
    ];
    const schedule = buildDecisionSchedule(columns, decisions, 2, {
      history_days: 10,
      hourly_history_days: 1,
      use_hourly: true,
    });
    const dates = gen.dates as string[];
    const start = new Date((decisions[0] as number) - 10 * 86_400_000).toISOString().slice(0, 10);
    // Sessions within 10 calendar days before the first decision, up to the one before `day`.
    expect(schedule.dailyFirst[0]).toBe(dates.findIndex((d) => d >= start));
    expect(schedule.dailyEnd[0]).toBe(20);
    expect(schedule.dailyEnd[3]).toBe(21); // decision 1, symbol 0 (three symbols a row)
    expect(schedule.benchmarkEnd[1]).toBe(21);
    // Hourly: the 20:00Z bar completes at 21:00Z.
    const hourly = (market.hourly?.['AAA'] ?? []).map((b) => b.timestamp);
    expect(hourly[(schedule.hourlyEnd[0] as number) - 1]).toBe(`${day}T19:00:00Z`);
    expect(hourly[(schedule.hourlyEnd[3] as number) - 1]).toBe(`${day}T20:00:00Z`);
    expect([...schedule.hourlyUsed]).toEqual([1, 1]);
  });

  it('hourly bars reach the strategy only while every symbol has some', () => {
    const market = marketOf({
      listed: [0, 0, 0],
      hourlyListed: [0, 25, 0], // BBB's hourly bars start at session 25
      hourly: true,
      benchmark: 'missing',
      config: { history_days: 60, hourly_history_days: 60, use_hourly: true },
      picks: [],
    });
    const at = (k: number) => Date.parse(`${gen.dates[k] as string}T21:00:00Z`);
    const schedule = buildDecisionSchedule(columnarMarket(market), [at(20), at(26)], 2, {
      history_days: 60,
      hourly_history_days: 60,
      use_hourly: true,
    });
    expect([...schedule.hourlyUsed]).toEqual([0, 1]);
    // Before BBB holds a bar its range is empty, at its (later fixed) first index.
    expect(schedule.hourlyEnd[1]).toBe(schedule.hourlyFirst[1]);
    expect(schedule.benchmarkEnd[0]).toBe(0);
    const off = buildDecisionSchedule(columnarMarket(market), [at(26)], 1, {
      history_days: 60,
      hourly_history_days: 60,
      use_hourly: false,
    });
    expect([...off.hourlyUsed]).toEqual([0]);
  });
});
