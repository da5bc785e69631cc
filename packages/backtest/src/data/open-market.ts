import {
  ConfigError,
  NotFoundError,
  loadOptionalDependency,
  type Bar,
  type DataWarning,
  type MarketData,
} from '@quantpipe/core';
import {
  CsvHistory,
  InMemoryMarketData,
  DEFAULT_SYNTHETIC_SYMBOLS,
  generateSyntheticMarket,
  marketDataWarnings,
  syntheticUniverse,
} from '@quantpipe/data-adapters';
import type { TradingDatabase } from '@quantpipe/storage';
import type { BacktestConfig } from '../config/backtest-config';
import { calendarSymbol, loadMarketFrom, type LoadedMarket } from './loaded-market';
import { calendarWarnings } from './calendar-check';
import { ReadThroughCache } from './read-through-cache';

/** The market of a run and the period that is traded (after the warm-up). */
export interface OpenedMarket {
  readonly market: LoadedMarket;
  /** First traded session. */
  readonly startDate: string;
  /** Last session (marked, not traded: there is no next open to fill at). */
  readonly endDate: string;
  /**
   * The market's bars as a source, validated when it was made (set by {@link openMarket}; a run
   * given a market without it builds, and so validates, its own).
   */
  readonly source?: InMemoryMarketData;
  /**
   * Implausible bars and the dates the benchmark is forward-filled (set by {@link openMarket},
   * from data-adapters' `marketDataWarnings`); the report lists them.
   */
  readonly dataWarnings?: readonly DataWarning[];
}

const DAY_MS = 86_400_000;

/** Calendar days that hold about `sessions` trading sessions (with margin for holidays). */
function calendarDaysFor(sessions: number): number {
  return Math.ceil((sessions * 7) / 5 + 14);
}

function minusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

function syntheticMarket(config: BacktestConfig): LoadedMarket {
  const s = config.synthetic;
  const specs =
    s.universe_size > 0 ? syntheticUniverse(s.universe_size) : DEFAULT_SYNTHETIC_SYMBOLS;
  const generated = generateSyntheticMarket({
    sessions: s.sessions,
    seed: s.seed,
    symbols: specs,
    includeHourly: s.hourly && config.hybrid === 'auto',
    calendar: s.calendar,
  });
  const symbols = config.symbols.length > 0 ? config.symbols : generated.symbols;
  for (const symbol of symbols) {
    if (!generated.daily[symbol]) {
      throw new NotFoundError(
        `symbol ${symbol} is not in the synthetic market (${generated.symbols.join(', ')})`,
        {
          context: { symbol },
        },
      );
    }
  }
  const benchmarkSymbol = config.benchmark ?? generated.marketSymbol;
  if (!generated.daily[benchmarkSymbol]) {
    throw new ConfigError('benchmark', `${benchmarkSymbol} is not in the synthetic market`);
  }
  const pick = (bars: Readonly<Record<string, readonly Bar[]>>, names: readonly string[]) =>
    Object.fromEntries(names.map((n) => [n, bars[n] ?? []]));
  return {
    label: `synthetic market (seed ${s.seed}, ${s.sessions} sessions)`,
    symbols,
    benchmarkSymbol,
    daily: pick(generated.daily, [...symbols, benchmarkSymbol]),
    hourly: generated.hourly ? pick(generated.hourly, symbols) : undefined,
    hourlyReason: generated.hourly
      ? 'the synthetic market has hourly bars for the whole period'
      : config.hybrid === 'off'
        ? 'hybrid disabled by configuration'
        : 'hourly bars not generated',
  };
}

/**
 * Where {@link loadMarket} reads bars from, when not from new sources: a caller that opens many
 * markets of one CSV folder (a sweep worker) passes one `CsvHistory` per folder, so each file
 * is read and validated once.
 */
export interface MarketSources {
  /** The bars of a CSV folder (default: a new `CsvHistory` of it). */
  readonly csv?: (directory: string) => MarketData;
}

async function externalMarket(
  config: BacktestConfig,
  sources: MarketSources,
): Promise<{ market: LoadedMarket; close?: () => Promise<void> }> {
  const benchmarkSymbol = config.benchmark ?? 'SPY';
  const loadStart = config.start
    ? minusDays(config.start, calendarDaysFor(config.warmup_sessions))
    : '1900-01-01';
  const common = {
    symbols: config.symbols,
    benchmarkSymbol,
    start: loadStart,
    ...(config.end === undefined ? {} : { end: config.end }),
    hourly: config.hybrid === 'auto',
  };
  if (config.source === 'csv') {
    const dir = config.csv_dir as string;
    return {
      market: await loadMarketFrom(sources.csv?.(dir) ?? new CsvHistory(dir), {
        ...common,
        label: `CSV folder ${dir}`,
      }),
    };
  }
  if (config.source === 'alpaca') {
    const url = config.cache_url ?? 'sqlite:out/backtest/bar-cache.sqlite';
    const db = await openBarDatabase(url);
    try {
      // Loaded on demand: the Alpaca client is an optional peer dependency.
      const { AlpacaMarketData } = await loadOptionalDependency(
        'source',
        '@alpacahq/alpaca-trade-api',
        'source "alpaca"',
        () => import('@quantpipe/data-adapters/alpaca'),
      );
      const alpaca = new AlpacaMarketData({
        keyId: requiredEnv('APCA_API_KEY_ID'),
        secretKey: requiredEnv('APCA_API_SECRET_KEY'),
        feed: config.alpaca_feed,
        ...(config.alpaca_data_url === undefined ? {} : { dataBaseUrl: config.alpaca_data_url }),
      });
      const source = new ReadThroughCache(alpaca, db);
      return {
        market: await loadMarketFrom(source, {
          ...common,
          label: `Alpaca (${config.alpaca_feed}), cached in ${url}`,
        }),
      };
    } finally {
      await db.close();
    }
  }
  if (config.source === 'cache') {
    const url = config.cache_url as string;
    const db = await openBarDatabase(url);
    try {
      const source: MarketData = db;
      return { market: await loadMarketFrom(source, { ...common, label: `bar cache ${url}` }) };
    } finally {
      await db.close();
    }
  }
  throw new ConfigError('source', `unknown source "${String(config.source)}"`);
}

/**
 * The bar database at `url`. Storage is loaded here, by the sources that read a database: with
 * kysely it is some 260 modules, a third of the start-up of a sweep worker that never opens one.
 */
async function openBarDatabase(url: string): Promise<TradingDatabase> {
  const { openDatabase } = await import('@quantpipe/storage');
  return openDatabase(url);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigError(name, `source "alpaca" needs the environment variable ${name}`);
  return value;
}

/**
 * Opens the configured source and loads the universe and the benchmark (warm-up included): the
 * first half of {@link openMarket}.
 */
export async function loadMarket(
  config: BacktestConfig,
  sources: MarketSources = {},
): Promise<LoadedMarket> {
  return config.source === 'synthetic'
    ? syntheticMarket(config)
    : (await externalMarket(config, sources)).market;
}

/**
 * Opens the configured source, loads the universe and the benchmark, and settles the traded
 * period: `start` (default: after `warmup_sessions` sessions of history) to `end` (default: the
 * last session).
 */
export async function openMarket(config: BacktestConfig): Promise<OpenedMarket> {
  return settleMarket(config, await loadMarket(config));
}

/**
 * The second half of {@link openMarket}: settles the traded period of a loaded market and
 * validates its bars. A loaded market is never changed, so one may be settled for many periods.
 */
export function settleMarket(config: BacktestConfig, market: LoadedMarket): OpenedMarket {
  const dates = (market.daily[calendarSymbol(market)] ?? []).map((b) => b.timestamp);
  const inRange = dates.filter(
    (d) => (!config.end || d <= config.end) && (!config.start || d >= config.start),
  );
  const warm = config.start ? inRange : inRange.slice(config.warmup_sessions);
  const startDate = warm[0];
  const endDate = warm[warm.length - 1];
  if (startDate === undefined || endDate === undefined || warm.length < 2) {
    throw new ConfigError(
      config.start ? 'start' : 'warmup_sessions',
      `fewer than two sessions to trade between ${config.start ?? '(after warm-up)'} and ${config.end ?? 'the end of the data'}`,
    );
  }
  // Built (and so every series validated) while the market is opened, before any run starts.
  const source = new InMemoryMarketData({ daily: market.daily, hourly: market.hourly });
  const dataWarnings = marketDataWarnings({
    daily: market.daily,
    ...(market.hourly === undefined ? {} : { hourly: market.hourly }),
    benchmarkSymbol: market.benchmarkSymbol,
    plausibility: { maxJumpRatio: config.max_price_jump, onImplausible: config.implausible_bars },
  });
  // The calendar series against the exchange's calendar (its holidays and special closures).
  const calendarName = calendarSymbol(market);
  dataWarnings.push(
    ...calendarWarnings(
      calendarName,
      (market.daily[calendarName] ?? []).map((b) => b.timestamp),
    ),
  );
  return { market, startDate, endDate, source, dataWarnings };
}
