import { ConfigError, type Logger, type Strategy, type StrategyOutput } from '@quantpipe/core';
import type { ColumnarMarket } from '../data/columnar-market';
import type { LoadedMarket } from '../data/loaded-market';
import type { BacktestSchedule } from './decision-schedule';
import { ScheduledBarView } from './scheduled-bar-view';

/** What a streaming strategy's feed reads. */
export interface StreamingFeedInput {
  readonly strategy: Strategy;
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  readonly market: LoadedMarket;
  readonly columns: ColumnarMarket;
  readonly schedule: BacktestSchedule;
  readonly logger: Logger;
}

/**
 * A strategy asked every cycle, as the live engine asks it: bar views that show, at decision
 * `d`, exactly the bars the schedule made visible (daily, the benchmark's, and the hourly ones
 * when the decision is hybrid). The views grow in place, so a decision copies no bars.
 */
export class StreamingFeed {
  private readonly daily = new ScheduledBarView();
  private readonly hourly: ScheduledBarView | undefined;
  private readonly tracksBenchmark: boolean;
  private lastNotes = '';
  /** Whether the last decision was hybrid (daily and hourly). */
  lastHybrid = false;

  constructor(private readonly input: StreamingFeedInput) {
    const { market, schedule, columns } = input;
    market.symbols.forEach((s, i) =>
      this.daily.track(
        s,
        market.daily[s] ?? [],
        schedule.dailyFirst[i] as number,
        columns.daily[i],
      ),
    );
    const bench = market.daily[market.benchmarkSymbol];
    this.tracksBenchmark = bench !== undefined && !market.symbols.includes(market.benchmarkSymbol);
    if (bench && this.tracksBenchmark)
      this.daily.track(market.benchmarkSymbol, bench, schedule.benchmarkFirst, columns.benchmark);
    if (market.hourly) {
      const hourly = new ScheduledBarView();
      market.symbols.forEach((s, i) =>
        hourly.track(
          s,
          market.hourly?.[s] ?? [],
          schedule.hourlyFirst[i] as number,
          columns.hourly?.[i],
        ),
      );
      this.hourly = hourly;
    }
  }

  /** The strategy's decision `d` (cycle `cycle`, at `timestamp`) on the bars visible then. */
  decide(
    d: number,
    cycle: number,
    timestamp: string,
    equityUsd: number,
    positions: Record<string, number>,
  ): StrategyOutput {
    const { schedule, market, columns, strategy } = this.input;
    const symbols = market.symbols;
    const n = symbols.length;
    for (let i = 0; i < n; i++)
      this.daily.advance(symbols[i] as string, schedule.dailyEnd[d * n + i] as number);
    if (columns.benchmark && this.tracksBenchmark)
      this.daily.advance(market.benchmarkSymbol, schedule.benchmarkEnd[d] as number);
    const hybrid = schedule.hourlyUsed[d] === 1 && this.hourly !== undefined;
    if (this.hourly) {
      const hourly = this.hourly;
      for (let i = 0; i < n; i++)
        hourly.advance(symbols[i] as string, schedule.hourlyEnd[d * n + i] as number);
    }
    const result = strategy.decide({
      cycle,
      timestamp,
      symbols: this.input.symbols,
      benchmarkSymbol: this.input.benchmarkSymbol,
      daily: this.daily,
      ...(hybrid && this.hourly ? { hourly: this.hourly } : {}),
      equityUsd,
      positions,
    });
    if (result instanceof Promise || typeof (result as { then?: unknown }).then === 'function')
      throw new ConfigError(
        'strategy',
        `${strategy.name}.decide() returned a promise: a backtest decides synchronously (precompute the strategy, or make decide() synchronous)`,
      );
    const notes = result.notes?.join(' | ') ?? '';
    if (notes !== this.lastNotes) {
      if (notes !== '') this.input.logger.info({ cycle, notes: result.notes }, 'strategy notes');
      this.lastNotes = notes;
    }
    this.lastHybrid = result.hybrid;
    return result;
  }
}
