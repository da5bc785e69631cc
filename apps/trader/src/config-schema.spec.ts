import { ConfigError } from '@quantpipe/core';
import {
  alpacaCredentials,
  parseTradingConfig,
  publicConfig,
  tradingConfigSchema,
} from './config-schema';
import { venueCommissionOf } from './run-trader';

function errorOf(raw: unknown): ConfigError {
  try {
    parseTradingConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('trading_config.json validation', () => {
  it('fills in the spec defaults (9.1, 9.2)', () => {
    const cfg = parseTradingConfig({ symbols: ['AAPL'] });
    expect(cfg).toMatchObject({
      rebalance_frequency_minutes: 60,
      min_trade_size: 1,
      max_position_size: 0.2,
      max_daily_loss: -0.05,
      max_drawdown: -0.15,
      min_leverage: 1.0,
      max_leverage: 3.0,
      initial_capital: 1_000_000,
      max_adv_pct: 0.1,
      hedge_threshold: -0.05,
      hedge_size: 0.1,
      cost_per_hedge: 0.0002,
      volatility_window: 20,
      momentum_fast: 20,
      momentum_slow: 60,
      validation_window: 252,
      health_lookback: 63,
      costs_bps: 5,
      fill_timeout_s: 30,
    });
  });

  it('names an unknown key', () => {
    const e = errorOf({ symbols: ['AAPL'], max_drawdwn: -0.2 });
    expect(e.message).toMatch(/max_drawdwn/);
    expect(e.message).toMatch(/unknown key/);
  });

  it('names a key of the wrong type', () => {
    const e = errorOf({ symbols: ['AAPL'], min_trade_size: '1' });
    expect(e.message).toMatch(/^.*min_trade_size/);
    expect(e.message).toMatch(/number/);
  });

  it('names an out-of-range key', () => {
    expect(errorOf({ max_drawdown: 0.15 }).message).toMatch(/max_drawdown/);
    expect(errorOf({ max_position_size: 1.5 }).message).toMatch(/max_position_size/);
    expect(errorOf({ volatility_window: 1 }).message).toMatch(/volatility_window/);
    expect(errorOf({ symbols: [] }).message).toMatch(/symbols/);
    expect(errorOf({ symbols: ['AAPL', 'AAPL'] }).message).toMatch(/symbols/);
    expect(errorOf({ min_leverage: 4, max_leverage: 3 }).message).toMatch(/min_leverage/);
    expect(errorOf({ momentum_fast: 80 }).message).toMatch(/momentum_fast/);
    expect(errorOf({ broker: 'robinhood' }).message).toMatch(/broker/);
  });

  it('documents every key', () => {
    for (const [key, schema] of Object.entries(tradingConfigSchema.shape))
      expect([key, (schema.description ?? '').length > 10]).toEqual([key, true]);
  });

  it("applies the shared keys' rules and takes every engine and strategy key", () => {
    expect(errorOf({ hedge_threshold: -0.01 }).message).toMatch(/hedge_threshold.*-0\.025/);
    const cfg = parseTradingConfig({
      buying_power_scale: 0.9,
      risk_budgets: false,
      reweight_interval_bars: 1,
    });
    expect(cfg).toMatchObject({
      buying_power_scale: 0.9,
      risk_budgets: false,
      health_weighting: true,
      reweight_interval_bars: 1,
    });
  });

  it('lists every problem, not only the first', () => {
    const e = errorOf({ max_leverage: -1, health_lookback: 'x', extra: 1 });
    expect(e.message).toMatch(/max_leverage/);
    expect(e.message).toMatch(/health_lookback/);
    expect(e.message).toMatch(/extra/);
  });

  it('takes secrets from the environment first, and never exposes them in the public config', () => {
    const cfg = parseTradingConfig({
      alpaca_api_key: 'file-key',
      alpaca_api_secret: 'file-secret',
    });
    expect(alpacaCredentials(cfg, {})).toEqual({ keyId: 'file-key', secretKey: 'file-secret' });
    expect(
      alpacaCredentials(cfg, { APCA_API_KEY_ID: 'env-key', APCA_API_SECRET_KEY: 'env-secret' }),
    ).toEqual({ keyId: 'env-key', secretKey: 'env-secret' });
    expect(alpacaCredentials(parseTradingConfig({}), {})).toBeUndefined();
    const text = JSON.stringify(publicConfig(cfg));
    expect(text).not.toMatch(/file-key|file-secret/);
  });
});

describe('trading_config.json: the venue commission', () => {
  it('defaults by broker: Alpaca charges none, IBKR (and dual) its fixed pricing, sim as the backtest', () => {
    const ibkrFixed = {
      kind: 'per_share',
      perShareUsd: 0.005,
      minUsd: 1,
      maxShareOfNotional: 0.01,
    };
    const of = (raw: Record<string, unknown>) => venueCommissionOf(parseTradingConfig(raw));
    expect(parseTradingConfig({}).commission_model).toBe('zero'); // broker alpaca
    expect(of({ broker: 'alpaca' })).toEqual({ kind: 'zero' });
    expect(of({ broker: 'ibkr' })).toEqual(ibkrFixed);
    expect(of({ broker: 'dual' })).toEqual(ibkrFixed);
    expect(of({ broker: 'sim' })).toEqual(ibkrFixed);
  });

  it('an explicit commission_model (and its keys) wins over the broker default', () => {
    expect(
      venueCommissionOf(parseTradingConfig({ broker: 'ibkr', commission_model: 'zero' })),
    ).toEqual({
      kind: 'zero',
    });
    expect(
      venueCommissionOf(
        parseTradingConfig({
          broker: 'alpaca',
          commission_model: 'percent',
          commission_pct: 0.001,
        }),
      ),
    ).toEqual({ kind: 'percent', shareOfNotional: 0.001 });
    expect(
      venueCommissionOf(parseTradingConfig({ broker: 'ibkr', commission_min_usd: 0.35 })),
    ).toMatchObject({ kind: 'per_share', minUsd: 0.35 });
    expect(() => parseTradingConfig({ commission_model: 'tiered' })).toThrow(/commission_model/);
  });
});

describe('trading_config.json: symbols and broker URLs', () => {
  it('upper-cases tickers and the benchmark once, and refuses two spellings of one ticker', () => {
    const cfg = parseTradingConfig({ symbols: ['syna', 'Synb'], benchmark_symbol: 'spy' });
    expect(cfg.symbols).toEqual(['SYNA', 'SYNB']);
    expect(cfg.benchmark_symbol).toBe('SPY');
    expect(errorOf({ symbols: ['SYNA', 'syna'] }).key).toBe('symbols');
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://paper-api.alpaca.markets',
    'http://10.0.0.1:8080',
    'ftp://example.com',
  ])('refuses the broker URL %s', (url) => {
    expect(errorOf({ alpaca_base_url: url }).key).toBe('alpaca_base_url');
    expect(errorOf({ alpaca_data_url: url }).key).toBe('alpaca_data_url');
  });

  it.each([
    'https://paper-api.alpaca.markets',
    'http://127.0.0.1:8765',
    'http://localhost:1',
    'http://[::1]:9',
  ])('accepts the broker URL %s', (url) => {
    expect(parseTradingConfig({ alpaca_base_url: url }).alpaca_base_url).toBe(url);
  });

  it('redacts credential-bearing URLs in the public config', () => {
    const cfg = parseTradingConfig({
      database: 'postgres://qp:hunter2@db.example:5432/trading?sslpassword=s3cret',
      webhook_url: 'https://hooks.example.com/services/T00/B00/tokentoken?sig=abc123',
    });
    const text = JSON.stringify(publicConfig(cfg));
    expect(text).not.toMatch(/hunter2|s3cret|tokentoken|abc123|T00/);
    expect(publicConfig(cfg).database).toBe(
      'postgres://qp:[redacted]@db.example:5432/trading?sslpassword=[redacted]',
    );
    expect(publicConfig(cfg).webhook_url).toBe(
      'https://hooks.example.com/[redacted]?sig=[redacted]',
    );
  });
});
