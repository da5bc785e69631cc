import { ConfigError } from '@quantpipe/core';
import {
  DEFAULT_SIZING_CONFIG,
  resolveSizingConfig,
  sizingConfigIssues,
  sizingConfigKeys,
} from './sizing-config';

function errorOf(input: unknown): ConfigError {
  try {
    resolveSizingConfig(input as Parameters<typeof resolveSizingConfig>[0]);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('sizing configuration', () => {
  it("defaults are the spec's (9.1, 9.2)", () => {
    expect(DEFAULT_SIZING_CONFIG).toEqual({
      max_position_size: 0.2,
      min_leverage: 1.0,
      max_leverage: 3.0,
      max_adv_pct: 0.1,
    });
    expect(resolveSizingConfig()).toEqual(DEFAULT_SIZING_CONFIG);
  });

  it('documents every key', () => {
    for (const [key, schema] of Object.entries(sizingConfigKeys))
      expect([key, (schema.description ?? '').length > 10]).toEqual([key, true]);
  });

  it('ignores unknown keys, so a whole trading_config.json may be passed', () => {
    expect(resolveSizingConfig({ max_leverage: 2, symbols: ['A'] } as object)).toEqual({
      ...DEFAULT_SIZING_CONFIG,
      max_leverage: 2,
    });
  });

  it('names the key of a wrong type or an out-of-range value', () => {
    expect(errorOf({ max_position_size: 0 }).key).toBe('max_position_size');
    expect(errorOf({ max_position_size: 1.01 }).key).toBe('max_position_size');
    expect(errorOf({ max_adv_pct: Number.NaN }).message).toMatch(/^max_adv_pct: .*got NaN/);
    expect(errorOf({ min_leverage: -0.1 }).key).toBe('min_leverage');
    expect(errorOf({ max_leverage: 10.5 }).key).toBe('max_leverage');
    expect(errorOf({ max_leverage: '3' }).key).toBe('max_leverage');
  });

  it('checks min_leverage <= max_leverage, naming max_leverage', () => {
    expect(sizingConfigIssues({ min_leverage: 2, max_leverage: 2 })).toEqual([]);
    const e = errorOf({ min_leverage: 2, max_leverage: 1 });
    expect(e.key).toBe('max_leverage');
    expect(e.message).toBe('max_leverage: must be >= min_leverage (2)');
  });
});
