import {
  US_EQUITY_CALENDAR_YEARS,
  ValidationError,
  isIsoDate,
  newYorkLocalToUtcMs,
  nextSession,
  sessionOn,
  type Bar,
} from '@quantpipe/core';
import { Prng } from './prng';

/** How one synthetic stock relates to the market factor. */
export interface SyntheticSymbolSpec {
  readonly symbol: string;
  /** Loading on the market factor. */
  readonly beta: number;
  /** Baseline daily idiosyncratic volatility (e.g. 0.014 = 1.4 % a day). */
  readonly idioVolDaily: number;
  /** First price, USD. */
  readonly startPriceUsd: number;
  /** Median shares traded per hourly bar. */
  readonly medianHourlyVolume?: number;
}

/**
 * A signal computed on one symbol's daily closes as they are generated (a fresh one per
 * symbol): `step` is given each session's close, date and the market index's close and
 * returns the signal's value at that close.
 */
export interface PlantedSignal {
  step(closeUsd: number, date: string, marketCloseUsd: number): number;
}

/**
 * A predictive factor planted in the stocks' returns: each session's log return gains
 * `strength × signal` of the previous close (spread evenly over the session's hourly bars, so
 * it is earned after the next open), making the signal predictive by construction.
 */
export interface PlantedFactor {
  /** Return per unit of signal, e.g. 0.05. */
  readonly strength: number;
  /** Makes the signal of one symbol (called once per stock). */
  readonly signal: () => PlantedSignal;
}

/** Which days a synthetic market trades (see {@link SyntheticMarketOptions.calendar}). */
export type SyntheticCalendar = 'us-equity' | 'weekdays';

/** Options of {@link generateSyntheticMarket}. Every field has a default. */
export interface SyntheticMarketOptions {
  /** PRNG seed: the same seed always gives the same market. Default 20261124. */
  readonly seed?: number;
  /**
   * First session date, `YYYY-MM-DD` (a later date when it is not a session). Default
   * `2015-01-02`.
   */
  readonly startDate?: string;
  /** Number of sessions. Default 2520 (ten years). */
  readonly sessions?: number;
  /**
   * Which days are sessions: `us-equity` (default) the US equity exchange calendar (holidays,
   * 13:00 early closes; years 2000-2099), or `weekdays`, every Monday to Friday (any year).
   */
  readonly calendar?: SyntheticCalendar;
  /** The market index symbol. Default `SYNMKT`. */
  readonly marketSymbol?: string;
  /** The stocks. Default: eight symbols SYNA..SYNH with varied betas and volatilities. */
  readonly symbols?: readonly SyntheticSymbolSpec[];
  /**
   * Also return the hourly bars. Default true. With the exchange calendar they start on the
   * hour in New York, 09:00 to 15:00 (the first holds the half hour from the 09:30 open), four
   * on an early-close day (09:00 to 12:00), so their UTC times follow daylight saving time;
   * with `weekdays`, seven a session at 14:00Z..20:00Z.
   */
  readonly includeHourly?: boolean;
  /** Baseline daily market volatility. Default 0.011. */
  readonly marketVolDaily?: number;
  /** Daily market drift. Default 0.0004. */
  readonly marketDriftDaily?: number;
  /**
   * A stress episode: sessions [start, end) have doubled volatility and the first
   * `drawdownSessions` of them a strongly negative drift. Default: 36 % into the history,
   * 100 sessions long, 60 of them falling. `null` disables it.
   */
  readonly crash?: {
    readonly startSession: number;
    readonly sessions: number;
    readonly drawdownSessions: number;
  } | null;
  /** A planted predictive factor (see {@link PlantedFactor}). Default none. */
  readonly plantedFactor?: PlantedFactor;
}

/** A generated market: daily (and optionally hourly) bars per symbol, market index included. */
export interface SyntheticMarket {
  readonly marketSymbol: string;
  /** The stocks (without the market index). */
  readonly symbols: readonly string[];
  /** Session dates, ascending. */
  readonly dates: readonly string[];
  /** Daily bars by symbol (market index included), one per session date. */
  readonly daily: Readonly<Record<string, readonly Bar[]>>;
  /** Hourly bars by symbol, when requested. */
  readonly hourly: Readonly<Record<string, readonly Bar[]>> | undefined;
}

/** The default universe: eight stocks with a spread of betas, volatilities and prices. */
export const DEFAULT_SYNTHETIC_SYMBOLS: readonly SyntheticSymbolSpec[] = [
  { symbol: 'SYNA', beta: 1.3, idioVolDaily: 0.014, startPriceUsd: 50 },
  { symbol: 'SYNB', beta: 0.7, idioVolDaily: 0.01, startPriceUsd: 120 },
  { symbol: 'SYNC', beta: 1.1, idioVolDaily: 0.02, startPriceUsd: 15 },
  { symbol: 'SYND', beta: 0.9, idioVolDaily: 0.012, startPriceUsd: 75 },
  { symbol: 'SYNE', beta: 1.5, idioVolDaily: 0.025, startPriceUsd: 32 },
  { symbol: 'SYNF', beta: 0.5, idioVolDaily: 0.008, startPriceUsd: 210 },
  { symbol: 'SYNG', beta: 1.0, idioVolDaily: 0.016, startPriceUsd: 48 },
  { symbol: 'SYNH', beta: 1.2, idioVolDaily: 0.018, startPriceUsd: 9.5 },
];

/** `count` generated stock specs named S001, S002, … (for benchmarks and large tests). */
export function syntheticUniverse(count: number, seed = 7): SyntheticSymbolSpec[] {
  const prng = new Prng(seed);
  return Array.from({ length: count }, (_, i) => ({
    symbol: `S${String(i + 1).padStart(3, '0')}`,
    beta: 0.4 + 1.2 * prng.uniform(),
    idioVolDaily: 0.006 + 0.02 * prng.uniform(),
    startPriceUsd: Math.round(5 + 295 * prng.uniform() * 100) / 100,
  }));
}

/** Hourly bars of a regular session (09:00..15:00 New York) and of a 13:00 early close. */
const BARS_PER_SESSION = 7;
const BARS_PER_EARLY_CLOSE = 4;
/** First hourly bar of a `weekdays` session (UTC). */
const FIRST_BAR_HOUR_UTC = 14;
/** First hourly bar of an exchange session, New York time. */
const FIRST_BAR_HOUR_NEW_YORK = 9;

/**
 * `count` sessions of the US equity calendar from `startDate` (or the first session after it).
 * A ValidationError names a start or an end outside the calendar's years.
 */
export function exchangeSessions(startDate: string, count: number): string[] {
  if (!isIsoDate(startDate))
    throw new ValidationError('startDate', `not an ISO date: ${startDate}`);
  const { first, last } = US_EQUITY_CALENDAR_YEARS;
  const year = Number(startDate.slice(0, 4));
  if (year < first || year > last)
    throw new ValidationError(
      'startDate',
      `the exchange calendar covers ${first}-${last}, got ${startDate} (calendar: "weekdays" takes any year)`,
    );
  const out: string[] = [];
  let date = sessionOn(startDate)?.date ?? nextSession(startDate).date;
  out.push(date);
  while (out.length < count) {
    date = nextSession(date).date;
    out.push(date);
  }
  return out;
}

/** Hourly bars of each session: 7, or 4 on an exchange early close. */
function barsPerSession(dates: readonly string[], calendar: SyntheticCalendar): number[] {
  return dates.map((date) =>
    calendar === 'us-equity' && sessionOn(date)?.earlyClose === true
      ? BARS_PER_EARLY_CLOSE
      : BARS_PER_SESSION,
  );
}

/** Starts (ISO-8601 UTC) of the hourly bars of each session (`bars[t]` of session t). */
function hourlyStarts(
  dates: readonly string[],
  bars: readonly number[],
  calendar: SyntheticCalendar,
): string[][] {
  return dates.map((date, t) => {
    if (calendar === 'weekdays')
      return Array.from(
        { length: BARS_PER_SESSION },
        (_, k) => `${date}T${String(FIRST_BAR_HOUR_UTC + k).padStart(2, '0')}:00:00Z`,
      );
    const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8))];
    return Array.from({ length: bars[t] as number }, (_, k) =>
      new Date(newYorkLocalToUtcMs(y, m, d, FIRST_BAR_HOUR_NEW_YORK + k, 0, 0))
        .toISOString()
        .replace('.000Z', 'Z'),
    );
  });
}

/** Weekdays from `startDate`, `count` of them (the `weekdays` calendar: no holidays). */
export function weekdaySessions(startDate: string, count: number): string[] {
  const out: string[] = [];
  let t = Date.parse(`${startDate}T00:00:00Z`);
  if (Number.isNaN(t)) throw new ValidationError('startDate', `not an ISO date: ${startDate}`);
  while (out.length < count) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return out;
}

function volatilityPath(
  prng: Prng,
  baseVol: number,
  n: number,
  crash: SyntheticMarketOptions['crash'],
): Float64Array {
  // Mean-reverting log-volatility (volatility clustering), doubled in the stress episode.
  const v = new Float64Array(n);
  const logBase = Math.log(baseVol);
  let logV = logBase;
  for (let t = 0; t < n; t++) {
    if (t > 0) logV = 0.97 * logV + 0.03 * logBase + 0.05 * prng.normal();
    v[t] = Math.exp(logV);
  }
  if (crash)
    for (let t = crash.startSession; t < Math.min(n, crash.startSession + crash.sessions); t++)
      v[t] = (v[t] as number) * 2;
  return v;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Generates a deterministic synthetic equity market: a one-factor model with volatility
 * clustering, a stress episode and lognormal volumes. Hourly bars (seven a weekday,
 * 14:00Z..20:00Z) are generated first and daily bars aggregated from them, so the two agree.
 * Prices are rounded to 6 decimals. No look-ahead is possible: the generator has no inputs.
 */
export function generateSyntheticMarket(options: SyntheticMarketOptions = {}): SyntheticMarket {
  const sessions = options.sessions ?? 2520;
  if (!Number.isInteger(sessions) || sessions < 1)
    throw new ValidationError('sessions', `expected an integer >= 1, got ${sessions}`);
  const seed = options.seed ?? 20261124;
  const marketSymbol = options.marketSymbol ?? 'SYNMKT';
  const specs = options.symbols ?? DEFAULT_SYNTHETIC_SYMBOLS;
  const names = new Set([marketSymbol]);
  for (const s of specs) {
    if (names.has(s.symbol)) throw new ValidationError('symbols', `duplicate symbol ${s.symbol}`);
    names.add(s.symbol);
  }
  const includeHourly = options.includeHourly ?? true;
  const crash =
    options.crash === undefined
      ? {
          startSession: Math.floor(sessions * 0.36),
          sessions: Math.min(100, sessions),
          drawdownSessions: 60,
        }
      : options.crash;
  const calendar = options.calendar ?? 'us-equity';
  if (calendar !== 'us-equity' && calendar !== 'weekdays')
    throw new ValidationError(
      'calendar',
      `expected "us-equity" or "weekdays", got ${String(calendar)}`,
    );
  const startDate = options.startDate ?? '2015-01-02';
  const dates =
    calendar === 'weekdays'
      ? weekdaySessions(startDate, sessions)
      : exchangeSessions(startDate, sessions);
  // The daily bars are built from hourly steps either way (the same daily bars with or without
  // hourly ones); the hourly timestamps are only spelled out when the hourly bars are returned.
  const barCounts = barsPerSession(dates, calendar);
  const starts = includeHourly ? hourlyStarts(dates, barCounts, calendar) : [];
  // Hourly bars of session t are [firstBar[t], firstBar[t + 1]).
  const firstBar = new Int32Array(sessions + 1);
  for (let t = 0; t < sessions; t++)
    firstBar[t + 1] = (firstBar[t] as number) + (barCounts[t] as number);
  const totalBars = firstBar[sessions] as number;
  const prng = new Prng(seed);

  const marketVol = volatilityPath(prng, options.marketVolDaily ?? 0.011, sessions, crash);
  const drift = new Float64Array(sessions).fill(options.marketDriftDaily ?? 0.0004);
  if (crash)
    for (
      let t = crash.startSession;
      t < Math.min(sessions, crash.startSession + crash.drawdownSessions);
      t++
    )
      drift[t] = -0.005;
  // A session's drift and variance are spread over its bars: a short session moves as much.
  const marketHourly = new Float64Array(totalBars);
  for (let t = 0; t < sessions; t++) {
    const bars = (firstBar[t + 1] as number) - (firstBar[t] as number);
    const sqrtBars = Math.sqrt(bars);
    for (let k = 0; k < bars; k++) {
      marketHourly[(firstBar[t] as number) + k] =
        (drift[t] as number) / bars + ((marketVol[t] as number) / sqrtBars) * prng.normal();
    }
  }

  const planted = options.plantedFactor;
  if (planted !== undefined && !Number.isFinite(planted.strength))
    throw new ValidationError(
      'plantedFactor.strength',
      `expected a finite number, got ${planted.strength}`,
    );
  const daily: Record<string, Bar[]> = {};
  const hourly: Record<string, Bar[]> = {};
  const all: SyntheticSymbolSpec[] = [
    { symbol: marketSymbol, beta: 1, idioVolDaily: 0, startPriceUsd: 200, medianHourlyVolume: 6e6 },
    ...specs,
  ];
  for (const spec of all) {
    const idioVol =
      spec.idioVolDaily > 0 ? volatilityPath(prng, spec.idioVolDaily, sessions, crash) : undefined;
    const medianVolume = spec.medianHourlyVolume ?? 4e5;
    const dayBars: Bar[] = new Array<Bar>(sessions);
    const hourBars: Bar[] = includeHourly ? new Array<Bar>(totalBars) : [];
    let logPrice = Math.log(spec.startPriceUsd);
    let prevClose = spec.startPriceUsd;
    // The market index is generated first; the stocks' planted signal reads its closes.
    const signal =
      planted !== undefined && spec.symbol !== marketSymbol ? planted.signal() : undefined;
    const marketBars = daily[marketSymbol];
    // The planted return of the next session, spread over its bars.
    let plantedReturn = 0;
    for (let t = 0; t < sessions; t++) {
      let dOpen = 0;
      let dHigh = -Infinity;
      let dLow = Infinity;
      let dClose = 0;
      let dVolume = 0;
      const bars = (firstBar[t + 1] as number) - (firstBar[t] as number);
      const sqrtBars = Math.sqrt(bars);
      for (let k = 0; k < bars; k++) {
        const i = (firstBar[t] as number) + k;
        let r = spec.beta * (marketHourly[i] as number);
        if (idioVol) r += ((idioVol[t] as number) / sqrtBars) * prng.normal();
        r += plantedReturn / bars;
        logPrice += r;
        const close = round6(Math.exp(logPrice));
        const open =
          i === 0 ? spec.startPriceUsd : round6(prevClose * Math.exp(0.0005 * prng.normal()));
        const spread = Math.abs(prng.normal()) * 0.003;
        const high = round6(Math.max(open, close) * (1 + spread));
        const low = round6(Math.min(open, close) * (1 - spread * 0.9));
        const volume = Math.round(prng.lognormal(Math.log(medianVolume), 0.5));
        if (k === 0) dOpen = open;
        if (high > dHigh) dHigh = high;
        if (low < dLow) dLow = low;
        dClose = close;
        dVolume += volume;
        prevClose = close;
        if (includeHourly) {
          hourBars[i] = {
            symbol: spec.symbol,
            timestamp: (starts[t] as string[])[k] as string,
            open,
            high,
            low,
            close,
            volume,
          };
        }
      }
      if (signal !== undefined && planted !== undefined) {
        const value = signal.step(dClose, dates[t] as string, marketBars?.[t]?.close ?? NaN);
        plantedReturn = Number.isFinite(value) ? planted.strength * value : 0;
      }
      dayBars[t] = {
        symbol: spec.symbol,
        timestamp: dates[t] as string,
        open: dOpen,
        high: dHigh,
        low: dLow,
        close: dClose,
        volume: dVolume,
      };
    }
    daily[spec.symbol] = dayBars;
    if (includeHourly) hourly[spec.symbol] = hourBars;
  }
  return {
    marketSymbol,
    symbols: specs.map((s) => s.symbol),
    dates,
    daily,
    hourly: includeHourly ? hourly : undefined,
  };
}
