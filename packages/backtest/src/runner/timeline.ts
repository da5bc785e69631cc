import { ConfigError, DataError, type Bar } from '@quantpipe/core';
import { exchangeSessionOn } from '../data/calendar-check';
import { DAILY_BAR_COMPLETE_HOUR_UTC, barCompleteMs } from '../data/bar-visibility';

/** The time of day of a daily bar's completion instant, as ISO-8601 writes it. */
const DAILY_COMPLETE_ISO_TIME = `${String(DAILY_BAR_COMPLETE_HOUR_UTC).padStart(2, '0')}:00:00.000Z`;
import { calendarSymbol, type LoadedMarket } from '../data/loaded-market';
import type { UniverseChange } from '../result/backtest-result';

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

/**
 * The instant a session opens: 09:30 New York on a session of the US equity calendar (13:30Z
 * or 14:30Z with daylight saving time); outside the calendar's years, the first hourly bar's
 * start when known, else 14:30Z.
 */
function openInstant(date: string, firstHourly: ReadonlyMap<string, string>): string {
  const session = exchangeSessionOn(date);
  if (session) return new Date(session.openMs).toISOString().replace('.000Z', 'Z');
  return firstHourly.get(date) ?? `${date}T14:30:00Z`;
}

/**
 * The daily steps of a run as columns: one step per session of the calendar (the benchmark's
 * daily bars, else the first stock's) in [startDate, endDate]. Step `k` decides at its session's
 * close and fills at the next session's open. A symbol belongs to the universe from its first
 * bar to its last: it may list after the run starts and delist before it ends, but between the
 * two it must have a bar at every session (a DataError lists every gap at once).
 */
export interface SessionTimeline {
  readonly steps: number;
  /**
   * Session dates. A daily step decides at its bar's completion (21:00Z, 16:00 or 17:00 in New
   * York), which lies in this session date in New York too: it is the step's exchange session.
   */
  readonly dates: readonly string[];
  /** Decision instants (the daily bar's completion), epoch ms. */
  readonly decisionMs: Float64Array;
  /** Decision instants, ISO-8601 UTC. */
  readonly timestamps: readonly string[];
  /**
   * `[k * N + s]`: index of the step's daily bar of symbol `s`; before the symbol lists, -1;
   * after it delists, its last bar.
   */
  readonly barIndex: Int32Array;
  /** `[k * N + s]`: index of the next session's bar, when the symbol is listed at both (else -1). */
  readonly nextIndex: Int32Array;
  /** `[k * N + s]`: 1 when symbol `s` has a bar at step `k` (it is listed then). */
  readonly listed: Uint8Array;
  /** Per symbol: the step of its last bar when it delists during the run, else -1. */
  readonly delistStep: Int32Array;
  /** The listings and delistings inside the run, in date order. */
  readonly universeChanges: readonly UniverseChange[];
  /** Where the step's orders fill: the next session's open instant (undefined at the last step). */
  readonly nextTimestamp: readonly (string | undefined)[];
  /** Close of the benchmark on each session (NaN without a benchmark). */
  readonly benchmarkClose: Float64Array;
  readonly hasBenchmark: boolean;
}

/** A run of consecutive calendar sessions at which a traded symbol has no daily bar. */
export interface SessionGap {
  readonly symbol: string;
  /** First calendar session of the run without a bar. */
  readonly firstMissing: string;
  /** Consecutive calendar sessions without a bar. */
  readonly sessions: number;
  /** Where the run lies: before the symbol's first bar, between two bars, after its last. */
  readonly where: 'before-first-bar' | 'inside' | 'after-last-bar';
}

/**
 * Every run of calendar sessions (`dates`, ascending) at which a symbol of `market` has no
 * daily bar, symbol by symbol in universe order.
 */
export function sessionGaps(market: LoadedMarket, dates: readonly string[]): SessionGap[] {
  const gaps: SessionGap[] = [];
  for (const symbol of market.symbols) {
    const bars = market.daily[symbol] ?? [];
    const firstBar = bars[0]?.timestamp ?? '\uffff';
    const lastBar = bars[bars.length - 1]?.timestamp ?? '';
    let i = 0;
    let run: { firstMissing: string; sessions: number } | undefined;
    const close = () => {
      if (run === undefined) return;
      const where =
        run.firstMissing < firstBar
          ? 'before-first-bar'
          : run.firstMissing > lastBar
            ? 'after-last-bar'
            : 'inside';
      gaps.push({ symbol, ...run, where });
      run = undefined;
    };
    for (const date of dates) {
      while (i < bars.length && (bars[i] as Bar).timestamp < date) i++;
      if (i < bars.length && (bars[i] as Bar).timestamp === date) close();
      else if (run === undefined) run = { firstMissing: date, sessions: 1 };
      else run.sessions++;
    }
    close();
  }
  return gaps;
}

const GAP_PLACE: Readonly<Record<SessionGap['where'], string>> = {
  'before-first-bar': 'before its first bar',
  inside: 'a gap between two bars',
  'after-last-bar': 'after its last bar',
};

/** The DataError listing every gap at once (context: `gaps`). */
function gapsError(gaps: readonly SessionGap[], calendar: string): DataError {
  const lines = gaps.map(
    (g) =>
      `${g.symbol} has no bar at ${g.firstMissing} (${g.sessions} session${g.sessions === 1 ? '' : 's'}, ${GAP_PLACE[g.where]})`,
  );
  return new DataError(
    `${gaps.length} run${gaps.length === 1 ? '' : 's'} of missing daily bars on the sessions of ${calendar}: ${lines.join('; ')}`,
    { context: { gaps: gaps.map((g) => ({ ...g })) } },
  );
}

/** The daily steps of a run as columns (see {@link SessionTimeline}). */
export function buildSessionTimeline(
  market: LoadedMarket,
  range: { readonly startDate: string; readonly endDate: string },
): SessionTimeline {
  const hasBenchmark = market.daily[market.benchmarkSymbol] !== undefined;
  const sessions = (market.daily[calendarSymbol(market)] ?? []).filter(
    (b) => b.timestamp >= range.startDate && b.timestamp <= range.endDate,
  );
  const sessionDates = sessions.map((b) => b.timestamp);
  // A symbol may list after the start and delist before the end; a gap inside its life is an
  // error, and every one is reported at once rather than the first one found.
  const gaps = sessionGaps(market, sessionDates);
  const inside = gaps.filter((g) => g.where === 'inside');
  if (inside.length > 0) throw gapsError(inside, calendarSymbol(market));
  const absent = gaps.filter((g) => g.sessions === sessionDates.length).map((g) => g.symbol);
  if (absent.length > 0)
    throw new DataError(
      `no daily bar in the run's sessions (${sessionDates[0] ?? range.startDate} to ${sessionDates[sessionDates.length - 1] ?? range.endDate}) for ${absent.join(', ')}`,
      { context: { symbols: absent } },
    );
  const firstHourly = firstHourlyByDate(market);
  const n = market.symbols.length;
  const steps = sessions.length;
  const barIndex = new Int32Array(steps * n);
  const nextIndex = new Int32Array(steps * n).fill(-1);
  const decisionMs = new Float64Array(steps);
  const benchmarkClose = new Float64Array(steps).fill(Number.NaN);
  const dates: string[] = [];
  const timestamps: string[] = [];
  const nextTimestamp: (string | undefined)[] = [];
  const listed = new Uint8Array(steps * n);
  const delistStep = new Int32Array(n).fill(-1);
  /** Index of the bar at `date` looking forward from `from`, or -1 without one. */
  const find = (bars: readonly Bar[], from: number, date: string): number => {
    let i = from;
    while (i < bars.length && (bars[i] as Bar).timestamp < date) i++;
    return i < bars.length && (bars[i] as Bar).timestamp === date ? i : -1;
  };
  // Sessions ascend, and so does every series: one cursor per symbol walks its bars. Before a
  // symbol lists its index is -1; after it delists, its last bar's.
  const cursors = new Int32Array(n).fill(-1);
  for (let k = 0; k < steps; k++) {
    const session = sessions[k] as Bar;
    const nextSession = sessions[k + 1];
    for (let j = 0; j < n; j++) {
      const symbol = market.symbols[j] as string;
      const bars = market.daily[symbol] ?? [];
      const from = cursors[j] as number;
      const index = find(bars, from + 1, session.timestamp);
      if (index >= 0) {
        cursors[j] = index;
        listed[k * n + j] = 1;
        if (nextSession) nextIndex[k * n + j] = find(bars, index + 1, nextSession.timestamp);
        if (nextSession && nextIndex[k * n + j] === -1) delistStep[j] = k;
      }
      barIndex[k * n + j] = cursors[j] as number;
    }
    decisionMs[k] = barCompleteMs(session.timestamp, '1Day');
    dates.push(session.timestamp);
    // The ISO form of the completion instant (21:00Z), written without a Date per step.
    timestamps.push(`${session.timestamp}T${DAILY_COMPLETE_ISO_TIME}`);
    nextTimestamp.push(nextSession ? openInstant(nextSession.timestamp, firstHourly) : undefined);
    if (hasBenchmark) benchmarkClose[k] = session.close;
  }
  return {
    steps,
    dates,
    decisionMs,
    timestamps,
    barIndex,
    nextIndex,
    listed,
    delistStep,
    universeChanges: universeChanges(market.symbols, dates, listed, delistStep),
    nextTimestamp,
    benchmarkClose,
    hasBenchmark,
  };
}

/** Session timelines already built, by market and range (see {@link sessionTimeline}). */
const builtTimelines = new WeakMap<LoadedMarket, Map<string, SessionTimeline>>();

/**
 * {@link buildSessionTimeline}, built once per market and range: runs over one market (a sweep's
 * jobs, a benchmark's repetitions) share it, as they share the market's columns. The timeline is
 * never changed once built. A market whose bars have gaps throws each time, and is not kept.
 */
export function sessionTimeline(
  market: LoadedMarket,
  range: { readonly startDate: string; readonly endDate: string },
): SessionTimeline {
  let byRange = builtTimelines.get(market);
  if (byRange === undefined) {
    byRange = new Map();
    builtTimelines.set(market, byRange);
  }
  const key = `${range.startDate}/${range.endDate}`;
  let timeline = byRange.get(key);
  if (timeline === undefined) {
    timeline = buildSessionTimeline(market, range);
    byRange.set(key, timeline);
  }
  return timeline;
}

/** The listings (a first bar after the first step) and delistings of a run, in date order. */
function universeChanges(
  symbols: readonly string[],
  dates: readonly string[],
  listed: Uint8Array,
  delistStep: Int32Array,
): UniverseChange[] {
  const n = symbols.length;
  const changes: UniverseChange[] = [];
  symbols.forEach((symbol, j) => {
    let first = 0;
    while (first < dates.length && listed[first * n + j] !== 1) first++;
    if (first > 0 && first < dates.length)
      changes.push({ symbol, change: 'listed', date: dates[first] as string });
    const last = delistStep[j] as number;
    if (last >= 0) changes.push({ symbol, change: 'delisted', date: dates[last] as string });
  });
  // Stable: on one date, universe order, a listing before a delisting.
  return changes.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The first hourly bar's start per session date, from the first symbol's hourly bars. */
function firstHourlyByDate(market: LoadedMarket): Map<string, string> {
  const firstHourly = new Map<string, string>();
  const anchor = market.symbols[0];
  const anchorHourly = anchor && market.hourly ? (market.hourly[anchor] ?? []) : [];
  for (const bar of anchorHourly) {
    const date = bar.timestamp.slice(0, 10);
    if (!firstHourly.has(date)) firstHourly.set(date, bar.timestamp);
  }
  return firstHourly;
}

/**
 * Builds the steps of a run from the benchmark's sessions in [startDate, endDate]: one per
 * session (daily rebalancing, decision at the daily close) or one per hourly bar (hourly
 * rebalancing). Every traded symbol must have a bar at every step (DataError otherwise): the
 * live engine these steps drive trades a fixed universe.
 */
export function buildTimeline(
  market: LoadedMarket,
  range: { readonly startDate: string; readonly endDate: string },
  rebalance: 'daily' | 'hourly',
): Step[] {
  if (rebalance === 'daily') {
    const t = buildSessionTimeline(market, range);
    // These steps feed the live engine over the simulated venue, whose universe is fixed.
    if (t.universeChanges.length > 0)
      throw new DataError(
        `every symbol needs a bar at every session of these steps; ${t.universeChanges
          .map((c) => `${c.symbol} ${c.change} ${c.date}`)
          .join(', ')} (the synchronous backtest loop trades universes that change)`,
        { context: { universeChanges: t.universeChanges.map((c) => ({ ...c })) } },
      );
    const steps: Step[] = [];
    const n = market.symbols.length;
    for (let k = 0; k < t.steps; k++) {
      const closeUsd: Record<string, number> = {};
      const dailyIndex: Record<string, number> = {};
      const nextOpen: Record<string, number> = {};
      const next = t.nextTimestamp[k];
      for (let j = 0; j < n; j++) {
        const symbol = market.symbols[j] as string;
        const bars = market.daily[symbol] ?? [];
        const index = t.barIndex[k * n + j] as number;
        closeUsd[symbol] = (bars[index] as Bar).close;
        dailyIndex[symbol] = index;
        if (next !== undefined)
          nextOpen[symbol] = (bars[t.nextIndex[k * n + j] as number] as Bar).open;
      }
      steps.push({
        decisionMs: t.decisionMs[k] as number,
        timestamp: t.timestamps[k] as string,
        date: t.dates[k] as string,
        closeUsd,
        benchmarkClose: t.hasBenchmark ? (t.benchmarkClose[k] as number) : null,
        ...(next !== undefined ? { next: { timestamp: next, openUsd: nextOpen } } : {}),
        dailyIndex,
        sessionComplete: true,
      });
    }
    return steps;
  }

  const hasBenchmark = market.daily[market.benchmarkSymbol] !== undefined;
  const sessions = (market.daily[calendarSymbol(market)] ?? [])
    .filter((b) => b.timestamp >= range.startDate && b.timestamp <= range.endDate)
    .map((b) => ({ date: b.timestamp, close: b.close }));
  const benchmarkClose = new Map(sessions.map((s) => [s.date, s.close]));
  const anchor = market.symbols[0];
  const anchorHourly = anchor && market.hourly ? (market.hourly[anchor] ?? []) : [];

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
