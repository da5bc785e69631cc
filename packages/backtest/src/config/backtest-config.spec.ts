import { ConfigError } from '@quantpipe/core';
import { z } from 'zod';
import {
  PIPELINE_KEYS,
  REWEIGHT_INTERVAL_BARS,
  backtestConfigSchema,
  parseBacktestConfig,
  pipelineKeysSchema,
} from './backtest-config';

function configError(input: unknown): ConfigError {
  try {
    parseBacktestConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseBacktestConfig', () => {
  it('fills the spec defaults', () => {
    const c = parseBacktestConfig({});
    expect(c.source).toBe('synthetic');
    expect(c.initial_capital).toBe(1_000_000);
    expect(c.costs_bps).toBe(5);
    expect(c.rebalance).toBe('daily');
    expect(c.pipeline).toMatchObject({
      max_position_size: 0.2,
      max_daily_loss: -0.05,
      max_drawdown: -0.15,
      max_leverage: 3,
      max_adv_pct: 0.1,
      hedge_threshold: -0.05,
      hedge_size: 0.1,
      cost_per_hedge: 0.0002,
      volatility_window: 20,
      momentum_fast: 20,
      momentum_slow: 60,
      validation_window: 252,
      health_lookback: 63,
    });
    expect(PIPELINE_KEYS).toContain('max_adv_pct');
  });

  it('names unknown keys, top level and nested', () => {
    expect(configError({ capital: 5 }).message).toContain('unknown key "capital"');
    const nested = configError({ pipeline: { max_levrage: 2 } });
    expect(nested.message).toContain('"pipeline.max_levrage"');
    expect(nested.context).toMatchObject({ key: 'pipeline.max_levrage' });
  });

  it('names keys with wrong types or out-of-range values', () => {
    expect(configError({ initial_capital: 'lots' }).message).toContain('"initial_capital"');
    expect(configError({ pipeline: { max_drawdown: 0.2 } }).message).toContain(
      '"pipeline.max_drawdown"',
    );
    expect(configError({ rebalance: 'weekly' }).message).toContain('"rebalance"');
    expect(configError({ start: '2020-02-30' }).message).toContain('"start"');
    expect(configError({ synthetic: { sessions: 1.5 } }).message).toContain('"synthetic.sessions"');
  });

  it('checks relations between keys', () => {
    expect(configError({ start: '2021-01-01', end: '2020-01-01' }).message).toContain('"end"');
    expect(configError({ pipeline: { min_leverage: 2, max_leverage: 1 } }).message).toContain(
      '"pipeline.max_leverage"',
    );
    expect(configError({ source: 'csv', symbols: ['AAA'] }).message).toContain('"csv_dir"');
    expect(configError({ source: 'csv', csv_dir: 'x' }).message).toContain('"symbols"');
  });

  it('documents every key', () => {
    const top = backtestConfigSchema.out.shape;
    const keys: Record<string, z.ZodType> = { ...top, ...pipelineKeysSchema.shape };
    for (const [key, schema] of Object.entries(top.synthetic.unwrap().shape))
      keys[`synthetic.${key}`] = schema;
    for (const [key, schema] of Object.entries(keys))
      expect([key, (schema.description ?? '').length > 10]).toEqual([key, true]);
  });

  it('passes reweight on as pipeline.reweight_interval_bars', () => {
    expect(parseBacktestConfig({}).pipeline.reweight_interval_bars).toBe(21);
    for (const [reweight, bars] of Object.entries(REWEIGHT_INTERVAL_BARS))
      expect(parseBacktestConfig({ reweight }).pipeline.reweight_interval_bars).toBe(bars);
    const both = parseBacktestConfig({
      reweight: 'weekly',
      pipeline: { reweight_interval_bars: 5 },
    });
    expect(both.pipeline.reweight_interval_bars).toBe(5);
    const explicit = parseBacktestConfig({ pipeline: { reweight_interval_bars: 10 } });
    expect(explicit.reweight).toBeUndefined();
    expect(explicit.pipeline.reweight_interval_bars).toBe(10);
    expect(
      configError({ reweight: 'weekly', pipeline: { reweight_interval_bars: 10 } }).message,
    ).toContain('"pipeline.reweight_interval_bars": conflicts with reweight "weekly"');
    expect(configError({ reweight: 'daily' }).message).toContain('"reweight"');
    expect(configError({ reweight: 'weekly', pipeline: null }).message).toContain('"pipeline"');
  });

  it("applies the pipeline keys' own rules", () => {
    expect(configError({ pipeline: { hedge_threshold: -0.01 } }).message).toContain(
      '"pipeline.hedge_threshold"',
    );
    expect(configError({ pipeline: { momentum_fast: 90 } }).message).toContain(
      '"pipeline.momentum_slow"',
    );
  });
});
