// Test-only: full runs of the composite strategy over irregular schedules — markets with
// benchmark gaps, late listings, with and without hourly bars or a benchmark, and configs with
// small windows so that re-estimates and health start early.
import type { Bar, DecisionSchedule } from '@quantpipe/core';
import type { CompositeStrategyConfig } from '../composite-strategy-config';
import { randomMarket, type RandomMarketOptions } from './random-market';
import { irregularSchedule, type BarMarket, type ScheduleParams } from './schedule-feed';

/** Small windows: re-estimates (validation window 40) and health (lookback 8) start early. */
export const SMALL_WINDOWS: Partial<CompositeStrategyConfig> = Object.freeze({
  volatility_window: 5,
  momentum_fast: 5,
  momentum_slow: 12,
  tail_window: 10,
  beta_window: 10,
  validation_window: 40,
  health_lookback: 8,
  reweight_interval_bars: 5,
});

/** One full run: a market, a schedule over it and a strategy config. */
export interface Scenario {
  readonly name: string;
  readonly market: BarMarket;
  readonly schedule: DecisionSchedule;
  readonly config: Partial<CompositeStrategyConfig>;
}

/** What a scenario is made of (a market by its generator's arguments). */
export interface ScenarioSpec {
  readonly name: string;
  readonly symbols: readonly string[];
  readonly sessions: number;
  readonly seed: number;
  readonly marketOptions?: RandomMarketOptions;
  readonly hourly: boolean;
  readonly benchmark: boolean;
  readonly schedule: ScheduleParams;
  readonly config: Partial<CompositeStrategyConfig>;
}

/** Builds the market and schedule of a spec. */
export function buildScenario(spec: ScenarioSpec): Scenario {
  const m = randomMarket(spec.symbols, spec.sessions, spec.seed, spec.marketOptions);
  const daily: Record<string, readonly Bar[]> = { ...m.daily };
  if (!spec.benchmark) delete daily.SYNMKT;
  const market: BarMarket = {
    symbols: spec.symbols,
    benchmarkSymbol: 'SYNMKT',
    daily,
    ...(spec.hourly ? { hourly: m.hourly } : {}),
  };
  return {
    name: spec.name,
    market,
    schedule: irregularSchedule(market, m.dates, spec.schedule),
    config: spec.config,
  };
}

const BASE_SCHEDULE: ScheduleParams = {
  seed: 11,
  historyStart: 3,
  firstDecision: 30,
  steps: [1, 1, 2, 0, 1, 3, 1, 1, 7, 1],
  decisions: 150,
  lagRate: 0.15,
  benchmarkHiddenUntil: 0,
  hourlyRate: 0.7,
};

/** The fixed scenarios (the property test adds random ones). */
export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    name: 'gaps, late listing, hourly, small windows',
    symbols: ['SYNA', 'SYNB', 'SYNC', 'SYND'],
    sessions: 300,
    seed: 5,
    marketOptions: { benchmarkGapRate: 0.1, listingDelays: { SYNC: 90, SYND: 400 } },
    hourly: true,
    benchmark: true,
    schedule: BASE_SCHEDULE,
    config: SMALL_WINDOWS,
  },
  {
    name: 'benchmark visible late, no health weighting, no risk budgets',
    symbols: ['SYNA', 'SYNB', 'SYNC'],
    sessions: 260,
    seed: 9,
    marketOptions: { benchmarkGapRate: 0.05, listingDelays: { SYNB: 45 } },
    hourly: true,
    benchmark: true,
    schedule: { ...BASE_SCHEDULE, seed: 3, benchmarkHiddenUntil: 6, hourlyRate: 0.4 },
    config: { ...SMALL_WINDOWS, health_weighting: false, risk_budgets: false },
  },
  {
    name: 'no benchmark, daily only, reweight every bar',
    symbols: ['SYNA', 'SYNB'],
    sessions: 200,
    seed: 13,
    hourly: false,
    benchmark: false,
    schedule: { ...BASE_SCHEDULE, seed: 8, firstDecision: 10, decisions: 120 },
    config: { ...SMALL_WINDOWS, reweight_interval_bars: 1 },
  },
  {
    name: 'spec windows, daily decisions, monthly reweight',
    symbols: ['SYNA', 'SYNB', 'SYNC'],
    sessions: 700,
    seed: 21,
    marketOptions: { benchmarkGapRate: 0.02, listingDelays: { SYNC: 200 } },
    hourly: true,
    benchmark: true,
    schedule: {
      ...BASE_SCHEDULE,
      seed: 17,
      historyStart: 0,
      firstDecision: 300,
      steps: [1],
      decisions: 390,
      lagRate: 0.02,
      hourlyRate: 0.9,
    },
    config: {},
  },
];
