import { ConfigError } from '@quantpipe/core';
import { riskLimitKeys } from '@quantpipe/risk';
import { sizingConfigKeys } from '@quantpipe/sizing';
import fc from 'fast-check';
import { z } from 'zod';
import {
  DEFAULT_ENGINE_CONFIG,
  engineConfigKeys,
  engineConfigKeysOf,
  engineConfigSchema,
  resolveEngineConfig,
} from './engine-config';
import { simulationKeys } from './simulation-keys';

function errorOf(input: unknown): ConfigError {
  try {
    resolveEngineConfig(input as Parameters<typeof resolveEngineConfig>[0]);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('engine configuration', () => {
  it("defaults are the spec's (9.1, 9.2, 7.2) and the engine's own", () => {
    expect(DEFAULT_ENGINE_CONFIG).toEqual({
      symbols: [],
      benchmark_symbol: 'SPY',
      min_trade_size: 1,
      min_trade_notional_usd: 0,
      expected_edge_bps: 0,
      max_plan_age_minutes: 60,
      max_position_size: 0.2,
      max_daily_loss: -0.05,
      max_drawdown: -0.15,
      min_leverage: 1.0,
      max_leverage: 3.0,
      max_adv_pct: 0.1,
      tail_hedge: true,
      hedge_threshold: -0.05,
      hedge_size: 0.1,
      cost_per_hedge: 0.0002,
      fill_timeout_s: 30,
      fill_poll_interval_ms: 500,
      retry_base_delay_ms: 1000,
      history_days: 800,
      use_hourly: true,
      hourly_history_days: 60,
      buying_power_scale: 0.95,
      buying_power_mode: 'deltas',
      max_stale_sessions: 1,
      on_loss_breach: 'flatten',
      kill_switch_reset: 'never',
      cooldown_sessions: 20,
      scale_in_sessions: 5,
      daily_loss_halt: 'session',
      alert_repeats: 'episode',
      position_decay: true,
      decay_halflife: 10,
      buffer_zone: 0.15,
      dry_run: false,
    });
    expect(Object.isFrozen(DEFAULT_ENGINE_CONFIG)).toBe(true);
    expect(resolveEngineConfig({ symbols: ['SYNA'] })).toEqual({
      ...DEFAULT_ENGINE_CONFIG,
      symbols: ['SYNA'],
    });
    expect(z.object(simulationKeys).parse({})).toEqual({
      initial_capital: 1_000_000,
      costs_bps: 5,
      // A Reg-T margin account with IBKR-fixed commissions, as a real one.
      account_type: 'margin',
      margin_multiplier: 2,
      margin_interest_rate: 0.06,
      short_borrow_rate: 0.003,
      commission_model: 'per_share',
      commission_per_share_usd: 0.005,
      commission_min_usd: 1,
      commission_max_pct: 0.01,
      commission_pct: 0.0005,
    });
  });

  it('documents every key', () => {
    for (const [key, schema] of Object.entries({ ...engineConfigKeys, ...simulationKeys }))
      expect([key, (schema.description ?? '').length > 10]).toEqual([key, true]);
  });

  it('max_leverage, a sizing key and a risk limit, has one definition in both packages', () => {
    const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' });
    expect(json(sizingConfigKeys.max_leverage)).toEqual(json(riskLimitKeys.max_leverage));
    expect(engineConfigKeys.max_leverage.description).toBe(riskLimitKeys.max_leverage.description);
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constantFrom(0, 10, 10.000001, '3', null)), (v) => {
        const a = sizingConfigKeys.max_leverage.safeParse(v).success;
        const b = riskLimitKeys.max_leverage.safeParse(v).success;
        expect(a).toBe(b);
      }),
    );
  });

  it('names the key of a wrong type, an out-of-range value or an unknown key', () => {
    expect(errorOf({ symbols: ['A'], max_drawdown: 0.1 }).key).toBe('max_drawdown');
    expect(errorOf({ symbols: ['A'], dry_run: 'yes' }).message).toMatch(/^dry_run: .*got "yes"/);
    expect(errorOf({ symbols: ['A'], max_drawdwn: -0.1 }).message).toBe('max_drawdwn: unknown key');
    expect(errorOf({ symbols: ['A'], on_loss_breach: 'panic' }).key).toBe('on_loss_breach');
    expect(errorOf({ symbols: ['A'], cost_per_hedge: 0.05 }).key).toBe('cost_per_hedge');
    expect(errorOf({ symbols: [] }).key).toBe('symbols');
    expect(errorOf({ symbols: ['A', 'B', 'A'] }).message).toMatch(/^symbols\[2\]: duplicate/);
    expect(errorOf({ symbols: ['A', 'b c'] }).key).toBe('symbols[1]');
    expect(errorOf(null).key).toBe('config');
  });

  it('applies the rules of the sizing and tail-hedge keys', () => {
    const lev = errorOf({ symbols: ['A'], min_leverage: 4 });
    expect(lev.key).toBe('max_leverage');
    expect(lev.message).toMatch(/min_leverage \(4\)/);
    expect(errorOf({ symbols: ['A'], hedge_threshold: -0.02 }).key).toBe('hedge_threshold');
    expect(resolveEngineConfig({ symbols: ['A'], hedge_threshold: -0.025 }).hedge_threshold).toBe(
      -0.025,
    );
  });

  it("leaves the strategy's keys to the strategy", () => {
    expect(errorOf({ symbols: ['A'], validation_window: 252 }).message).toBe(
      'validation_window: unknown key',
    );
    const picked = engineConfigKeysOf({ symbols: ['A'], max_leverage: 2, validation_window: 9 });
    expect(picked).toEqual({ symbols: ['A'], max_leverage: 2 });
    expect(engineConfigSchema.safeParse({ ...picked }).success).toBe(true);
  });

  it('returns a frozen config; a resolved config resolves to itself', () => {
    const cfg = resolveEngineConfig({ symbols: ['SYNA', 'SYNB'], max_leverage: 2 });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.symbols)).toBe(true);
    expect(resolveEngineConfig(cfg)).toEqual(cfg);
  });
});
