import {
  ConfigError,
  silentLogger,
  type Broker,
  type Clock,
  type Logger,
  type MarketData,
} from '@quantpipe/core';
import {
  DualBrokerAdapter,
  InMemoryMarketData,
  generateSyntheticMarket,
} from '@quantpipe/data-adapters';
import { AlpacaBroker, AlpacaMarketData } from '@quantpipe/data-adapters/alpaca';
import { IbkrBroker, IbkrMarketData } from '@quantpipe/data-adapters/ibkr';
import { SimBroker, simAccountOf, type SimQuote } from '@quantpipe/execution';
import { OffsetClock } from './broker-clock';
import { alpacaCredentials, type TradingConfig } from './config-schema';

/** Which broker the trader runs against. */
export type BrokerKind = 'sim' | 'alpaca' | 'ibkr' | 'dual';

/** The connected venue: where orders go and where bars come from. */
export interface Venue {
  readonly broker: Broker;
  readonly marketData: MarketData;
  /** The venue's own time source, when it has one (the simulated venue replaying data). */
  readonly clock?: Clock;
  /** Called before each cycle (the simulated broker refreshes its quotes). */
  beforeCycle(): Promise<void>;
  close(): Promise<void>;
}

/** Observes the adapters' retries (the trader counts them and alerts). */
export type RetryObserver = (info: { error: unknown; attempt: number; delayMs: number }) => void;

/** What the trader hooks into the adapters. */
export interface VenueHooks {
  readonly onRetry?: RetryObserver;
}

/** The Alpaca adapters' own retry policy (their defaults: 5 attempts, 30 s cap, jitter 0.5), from the configured base delay. */
function alpacaRetry(
  cfg: TradingConfig,
  hooks: VenueHooks,
): {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: number;
  onRetry?: RetryObserver;
} {
  return {
    maxAttempts: 5,
    baseDelayMs: cfg.retry_base_delay_ms / 2,
    maxDelayMs: 30_000,
    jitter: 0.5,
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
  };
}

function alpacaData(cfg: TradingConfig, logger: Logger, hooks: VenueHooks): AlpacaMarketData {
  const credentials = alpacaCredentials(cfg);
  if (!credentials) {
    throw new ConfigError(
      'alpaca_api_key',
      'Alpaca credentials missing: set APCA_API_KEY_ID and APCA_API_SECRET_KEY (or alpaca_api_key / alpaca_api_secret)',
    );
  }
  return new AlpacaMarketData({
    ...credentials,
    logger,
    retry: alpacaRetry(cfg, hooks),
    baseUrl: cfg.alpaca_base_url,
    dataBaseUrl: cfg.alpaca_data_url ?? cfg.alpaca_base_url,
    feed: cfg.alpaca_feed,
  });
}

/**
 * A simulated venue: the in-process SimBroker, fed with the latest bar of each symbol from the
 * market data (Alpaca when credentials are set, else the synthetic market).
 */
function simVenue(cfg: TradingConfig, wallClock: Clock, logger: Logger, hooks: VenueHooks): Venue {
  let marketData: MarketData;
  let clock = wallClock;
  if (alpacaCredentials(cfg)) {
    marketData = alpacaData(cfg, logger, hooks);
  } else {
    const market = generateSyntheticMarket({
      marketSymbol: cfg.benchmark_symbol,
      includeHourly: false,
      symbols: cfg.symbols.map((symbol, i) => ({
        symbol,
        beta: 0.8 + 0.1 * (i % 5),
        idioVolDaily: 0.012,
        startPriceUsd: 50 + 10 * i,
      })),
    });
    marketData = new InMemoryMarketData({ daily: market.daily });
    // Replay: "now" starts after the close of the synthetic market's last session.
    clock = new OffsetClock(
      Date.parse(`${market.dates[market.dates.length - 1] as string}T21:30:00Z`),
    );
  }
  const quotes = new Map<string, SimQuote>();
  const broker = new SimBroker({
    initialCashUsd: cfg.initial_capital,
    clock,
    ...simAccountOf(cfg),
    slippage: { kind: 'model' },
    quote: (symbol) => {
      const q = quotes.get(symbol);
      if (!q) throw new ConfigError('symbols', `no quote for ${symbol}`);
      return q;
    },
  });
  return {
    broker,
    marketData,
    clock,
    async beforeCycle() {
      const prices: Record<string, number> = {};
      for (const symbol of cfg.symbols) {
        const bar = await marketData.getLatestBar(symbol, '1Day');
        quotes.set(symbol, {
          priceUsd: bar.close,
          timestamp: new Date(clock.now()).toISOString(),
          advShares: bar.volume,
          volatility: 0.25,
        });
        prices[symbol] = bar.close;
      }
      broker.markToMarket(prices, new Date(clock.now()).toISOString());
    },
    close: async () => undefined,
  };
}

/**
 * Connects the venue chosen by `kind`. The adapters log to `logger`: every retried call
 * (attempt, wait, cause) and every TWS disconnect and reconnect.
 */
export async function connectVenue(
  kind: BrokerKind,
  cfg: TradingConfig,
  clock: Clock,
  logger: Logger = silentLogger,
  hooks: VenueHooks = {},
): Promise<Venue> {
  if (kind === 'sim') return simVenue(cfg, clock, logger, hooks);
  if (kind === 'alpaca') {
    const credentials = alpacaCredentials(cfg);
    const marketData = alpacaData(cfg, logger, hooks);
    const broker = new AlpacaBroker({
      ...(credentials as { keyId: string; secretKey: string }),
      logger,
      baseUrl: cfg.alpaca_base_url,
      dataBaseUrl: cfg.alpaca_data_url ?? cfg.alpaca_base_url,
      retry: alpacaRetry(cfg, hooks),
    });
    return { broker, marketData, beforeCycle: async () => undefined, close: async () => undefined };
  }
  // IBKR execution (TWS / IB Gateway). TWS has no market clock in its API, so "now" and the
  // market hours come from the trader's clock (the wall clock, or `clock_start`).
  const ibkr = new IbkrBroker({
    host: cfg.ibkr_host,
    port: cfg.ibkr_port,
    clientId: cfg.ibkr_client_id,
    logger,
    now: () => clock.now(),
    retry: {
      maxAttempts: 4,
      baseDelayMs: cfg.retry_base_delay_ms / 2,
      ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
    },
  });
  await ibkr.connect();
  const close = async (): Promise<void> => ibkr.close();
  if (kind === 'ibkr') {
    const marketData = new IbkrMarketData({ connection: ibkr.connection, now: () => clock.now() });
    return { broker: ibkr, marketData, beforeCycle: async () => undefined, close };
  }
  // Spec 2.1: Alpaca data, IBKR execution.
  const dual = new DualBrokerAdapter({ marketData: alpacaData(cfg, logger, hooks), broker: ibkr });
  return { broker: dual, marketData: dual, beforeCycle: async () => undefined, close };
}
