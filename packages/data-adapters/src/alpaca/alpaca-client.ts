import Alpaca from '@alpacahq/alpaca-trade-api';
import { ConfigError } from '@quantpipe/core';
import type { AlpacaCallPolicyOptions } from './call-policy';

/** Connection settings of the Alpaca adapters. */
export interface AlpacaConnectionOptions extends AlpacaCallPolicyOptions {
  /** `APCA-API-KEY-ID`. Never logged. */
  readonly keyId: string;
  /** `APCA-API-SECRET-KEY`. Never logged. */
  readonly secretKey: string;
  /** Trading API base URL. Default `https://paper-api.alpaca.markets` (paper trading). */
  readonly baseUrl?: string;
  /** Market-data API base URL. Default `https://data.alpaca.markets`. */
  readonly dataBaseUrl?: string;
}

/** The part of `@alpacahq/alpaca-trade-api` the adapters use, typed. */
export interface AlpacaRestClient {
  getAccount(): Promise<unknown>;
  getPositions(): Promise<unknown>;
  getClock(): Promise<unknown>;
  createOrder(order: Record<string, unknown>): Promise<unknown>;
  getOrders(query: Record<string, unknown>): Promise<unknown>;
  getOrder(id: string): Promise<unknown>;
  getOrderByClientId(clientOrderId: string): Promise<unknown>;
  cancelOrder(id: string): Promise<unknown>;
  getAccountActivities(query: Record<string, unknown>): Promise<unknown>;
  getMultiBarsAsyncV2(symbols: string[], options: Record<string, unknown>): AsyncGenerator<unknown>;
  getLatestBars(symbols: string[]): Promise<Map<string, unknown>>;
}

/** Default trading URL: paper trading, so nothing is sent to a live account by accident. */
export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_DATA_URL = 'https://data.alpaca.markets';

function checkUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(key, `not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(key, `expected an http(s) URL, got ${url.protocol}`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * Creates the real client pointed at the configured URLs (an emulator on 127.0.0.1 in tests).
 * Credentials are required here rather than read from the environment by the client, so a
 * missing key is a ConfigError instead of a 401 at the first call.
 */
export function createAlpacaClient(options: AlpacaConnectionOptions): AlpacaRestClient {
  if (typeof options.keyId !== 'string' || options.keyId === '') {
    throw new ConfigError('keyId', 'the Alpaca API key id is required (APCA_API_KEY_ID)');
  }
  if (typeof options.secretKey !== 'string' || options.secretKey === '') {
    throw new ConfigError(
      'secretKey',
      'the Alpaca API secret key is required (APCA_API_SECRET_KEY)',
    );
  }
  const client: unknown = new Alpaca({
    keyId: options.keyId,
    secretKey: options.secretKey,
    baseUrl: checkUrl('baseUrl', options.baseUrl ?? ALPACA_PAPER_URL),
    dataBaseUrl: checkUrl('dataBaseUrl', options.dataBaseUrl ?? ALPACA_DATA_URL),
    paper: true,
  });
  return client as AlpacaRestClient;
}
