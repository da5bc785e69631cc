import { ConfigError, DataError, type Bar } from '@quantpipe/core';
import { barCompleteMs } from '../data/bar-visibility';
import { calendarSymbol, type LoadedMarket } from '../data/loaded-market';

/** One step of a backtest: a bar closes, the portfolio is marked, the engine decides. */
export interface Step {
  /** Decision instant (the bar's completion), epoch ms. */
  readonly decisionMs: number;
  /** Decision instant, ISO-8601 UTC. */
  readonly timestamp: string;
  /** Session date of the step. */
  readonly date: string;
  /** Close of every traded symbol at the step (marks). */
  readonly closeUsd: Readonly<Record<string, number>>;
  /** Close of the benchmark on the step's session (null without a benchmark). */
  readonly benchmarkClose: number | null;
  /**
   * Where orders decided at this step fill: the next bar's open and its instant. Undefined for
   * the last step (nothing left to fill at).
   */
  readonly next?: {
    readonly timestamp: string;
    readonly openUsd: Readonly<Record<string, number>>;
  };
  /** Index of the step's session in the daily bars of each symbol (for ADV and volatility). */
  readonly dailyIndex: Readonly<Record<string, number>>;
  /** Whether the step's session's daily bar is complete at the decision (false mid-session). */
  readonly sessionComplete: boolean;
}

function indexByTimestamp(bars: readonly Bar[]): Map<string, number> {
  const m = new Map<string, number>();
  bars.forEach((b, i) => m.set(b.timestamp, i));
  return m;
}

/** The instant a session opens: its first hourly bar's start when known, else 14:30Z. */
function openInstant(date: string, firstHourly: ReadonlyMap<string, string>): string {
  return firstHourly.get(date) ?? `${date}T14:30:00Z`;
}

/**
 * Builds the steps of a run from the benchmark's sessions in [startDate, endDate]: one per
 * session (daily rebalancing, decision at the daily close) or one per hourly bar (hourly
 * rebalancing). Every traded symbol must have a bar at every step (DataError otherwise).
 */
export function buildTimeline(
  market: LoadedMarket,
  range: { readonly startDate: string; readonly endDate: string },
  rebalance: 'daily' | 'hourly',
): Step[] {
  const hasBenchmark = market.daily[market.benchmarkSymbol] !== undefined;
  const sessions = (market.daily[calendarSymbol(market)] ?? [])
    .filter((b) => b.timestamp >= range.startDate && b.timestamp <= range.endDate)
    .map((b) => ({ date: b.timestamp, close: b.close }));
  const benchmarkClose = new Map(sessions.map((s) => [s.date, s.close]));
  const firstHourly = new Map<string, string>();
  const anchor = market.symbols[0];
  const anchorHourly = anchor && market.hourly ? (market.hourly[anchor] ?? []) : [];
  for (const bar of anchorHourly) {
    const date = bar.timestamp.slice(0, 10);
    if (!firstHourly.has(date)) firstHourly.set(date, bar.timestamp);
  }

  const barAt = (
    symbol: string,
    index: Map<string, number> | undefined,
    bars: readonly Bar[] | undefined,
    ts: string,
  ): Bar => {
    const i = index?.get(ts);
    const bar = i === undefined ? undefined : bars?.[i];
    if (!bar)
      throw new DataError(`${symbol} has no bar at ${ts}`, { context: { symbol, timestamp: ts } });
    return bar;
  };

  if (rebalance === 'daily') {
    // Sessions ascend, and so does every series: one cursor per symbol walks its bars.
    const cursors = market.symbols.map(() => 0);
    /** Index of the bar at `date`, looking forward from `from`. */
    const find = (symbol: string, bars: readonly Bar[], from: number, date: string): number => {
      let i = from;
      while (i < bars.length && (bars[i] as Bar).timestamp < date) i++;
      if (i >= bars.length || (bars[i] as Bar).timestamp !== date)
        throw new DataError(`${symbol} has no bar at ${date}`, {
          context: { symbol, timestamp: date },
        });
      return i;
    };
    const steps: Step[] = [];
    for (let k = 0; k < sessions.length; k++) {
      const session = sessions[k] as { date: string; close: number };
      const closeUsd: Record<string, number> = {};
      const dailyIndex: Record<string, number> = {};
      const nextSession = sessions[k + 1];
      const nextOpen: Record<string, number> = {};
      for (let j = 0; j < market.symbols.length; j++) {
        const symbol = market.symbols[j] as string;
        const bars = market.daily[symbol] ?? [];
        const index = find(symbol, bars, cursors[j] as number, session.date);
        cursors[j] = index;
        closeUsd[symbol] = (bars[index] as Bar).close;
        dailyIndex[symbol] = index;
        if (nextSession)
          nextOpen[symbol] = (bars[find(symbol, bars, index + 1, nextSession.date)] as Bar).open;
      }
      const decisionMs = barCompleteMs(session.date, '1Day');
      steps.push({
        decisionMs,
        timestamp: new Date(decisionMs).toISOString(),
        date: session.date,
        closeUsd,
        benchmarkClose: hasBenchmark ? session.close : null,
        ...(nextSession
          ? { next: { timestamp: openInstant(nextSession.date, firstHourly), openUsd: nextOpen } }
          : {}),
        dailyIndex,
        sessionComplete: true,
      });
    }
    return steps;
  }

  if (!market.hourly || !anchor) {
    throw new ConfigError(
      'rebalance',
      `hourly rebalancing needs hourly bars: ${market.hourlyReason}`,
    );
  }
  const dailyIdx = new Map(market.symbols.map((s) => [s, indexByTimestamp(market.daily[s] ?? [])]));
  const hourlyIdx = new Map(
    market.symbols.map((s) => [s, indexByTimestamp(market.hourly?.[s] ?? [])]),
  );
  const hours = anchorHourly
    .filter((b) => benchmarkClose.has(b.timestamp.slice(0, 10)))
    .map((b) => b.timestamp);
  const firstHourDate = hours[0]?.slice(0, 10);
  if (firstHourDate === undefined || firstHourDate > range.startDate) {
    throw new ConfigError(
      'start',
      `hourly rebalancing needs hourly bars from the start (${range.startDate}); they begin on ${firstHourDate ?? 'no date'}`,
    );
  }
  const steps: Step[] = [];
  for (let k = 0; k < hours.length; k++) {
    const ts = hours[k] as string;
    const nextTs = hours[k + 1];
    const date = ts.slice(0, 10);
    const decisionMs = barCompleteMs(ts, '1Hour');
    const sessionComplete = decisionMs >= barCompleteMs(date, '1Day');
    const closeUsd: Record<string, number> = {};
    const nextOpen: Record<string, number> = {};
    const dailyIndex: Record<string, number> = {};
    for (const symbol of market.symbols) {
      const bars = market.hourly[symbol];
      const index = hourlyIdx.get(symbol);
      closeUsd[symbol] = barAt(symbol, index, bars, ts).close;
      if (nextTs) nextOpen[symbol] = barAt(symbol, index, bars, nextTs).open;
      const di = dailyIdx.get(symbol)?.get(date);
      if (di === undefined)
        throw new DataError(`${symbol} has no daily bar on ${date}`, { context: { symbol, date } });
      // Mid-session, the latest complete daily bar is the previous session's.
      dailyIndex[symbol] = sessionComplete ? di : di - 1;
    }
    steps.push({
      decisionMs,
      timestamp: new Date(decisionMs).toISOString(),
      date,
      closeUsd,
      benchmarkClose: hasBenchmark ? (benchmarkClose.get(date) as number) : null,
      ...(nextTs ? { next: { timestamp: nextTs, openUsd: nextOpen } } : {}),
      dailyIndex,
      sessionComplete,
    });
  }
  return steps;
}
