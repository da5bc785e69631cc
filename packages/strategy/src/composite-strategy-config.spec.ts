import { ConfigError } from '@quantpipe/core';
import { CompositeStrategy } from './composite-strategy';
import {
  DEFAULT_COMPOSITE_STRATEGY_CONFIG,
  compositeStrategyConfigOf,
  compositeStrategyKeys,
  resolveCompositeStrategyConfig,
} from './composite-strategy-config';

function errorOf(input: unknown): ConfigError {
  try {
    resolveCompositeStrategyConfig(input as object);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('composite strategy configuration', () => {
  it("defaults are the spec's (9.2) and the seed code's", () => {
    expect(DEFAULT_COMPOSITE_STRATEGY_CONFIG).toEqual({
      volatility_window: 20,
      momentum_fast: 20,
      momentum_slow: 60,
      tail_window: 60,
      beta_window: 60,
      validation_window: 252,
      health_lookback: 63,
      reweight_interval_bars: 21,
      risk_budgets: true,
      health_weighting: true,
      // ours: the spec's raw composite by default
      signal_normalization: 'none',
      signal_normalization_window: 63,
    });
  });

  it('rejects an unknown signal_normalization, naming the key', () => {
    expect(() =>
      resolveCompositeStrategyConfig({
        signal_normalization: 'zscore' as 'none',
      }),
    ).toThrow(/signal_normalization/);
  });

  it('documents every key', () => {
    for (const [key, schema] of Object.entries(compositeStrategyKeys))
      expect([key, (schema.description ?? '').length > 10]).toEqual([key, true]);
  });

  it('names the key of a wrong type, an out-of-range value or an unknown key', () => {
    expect(errorOf({ volatility_window: 1 }).key).toBe('volatility_window');
    expect(errorOf({ validation_window: 252.5 }).key).toBe('validation_window');
    expect(errorOf({ reweight_interval_bars: 0 }).key).toBe('reweight_interval_bars');
    expect(errorOf({ risk_budgets: 'yes' }).key).toBe('risk_budgets');
    expect(errorOf({ validation_windw: 100 }).message).toBe('validation_windw: unknown key');
    expect(() => new CompositeStrategy({ beta_window: 1 })).toThrow(/beta_window/);
  });

  it('re-estimates every bar when asked (reweight_interval_bars 1)', () => {
    expect(
      resolveCompositeStrategyConfig({ reweight_interval_bars: 1 }).reweight_interval_bars,
    ).toBe(1);
    expect(() => new CompositeStrategy({ reweight_interval_bars: 1 })).not.toThrow();
  });

  it('checks momentum_fast <= momentum_slow, naming momentum_slow', () => {
    expect(resolveCompositeStrategyConfig({ momentum_fast: 60 }).momentum_fast).toBe(60);
    const e = errorOf({ momentum_fast: 80 });
    expect(e.key).toBe('momentum_slow');
    expect(e.message).toBe('momentum_slow: must be >= momentum_fast (80)');
  });

  it('picks its keys out of a larger configuration', () => {
    expect(compositeStrategyConfigOf({ momentum_fast: 10, max_leverage: 2 })).toEqual({
      momentum_fast: 10,
    });
  });
});
