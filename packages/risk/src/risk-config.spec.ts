import { ConfigError } from '@quantpipe/core';
import { DEFAULT_RISK_LIMITS, resolveRiskLimits, riskLimitKeys } from './risk-limits';
import {
  DEFAULT_TAIL_HEDGE_CONFIG,
  resolveTailHedgeConfig,
  tailHedgeConfigIssues,
  tailHedgeConfigSchema,
  tailHedgeKeys,
} from './tail-hedge-config';

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('risk limits and tail hedge configuration', () => {
  it("defaults are the spec's (9.1, 9.2, 6.1)", () => {
    expect(DEFAULT_RISK_LIMITS).toEqual({
      maxDailyLoss: -0.05,
      maxDrawdown: -0.15,
      maxLeverage: 3.0,
      onLossBreach: 'flatten',
    });
    expect(DEFAULT_TAIL_HEDGE_CONFIG).toEqual({
      hedgeSize: 0.1,
      costPerHedge: 0.0002,
      activationThreshold: -0.05,
      deactivationThreshold: -0.025,
    });
    expect(resolveRiskLimits()).toEqual(DEFAULT_RISK_LIMITS);
    expect(resolveTailHedgeConfig()).toEqual(DEFAULT_TAIL_HEDGE_CONFIG);
  });

  it('documents every key', () => {
    const keys = { ...riskLimitKeys, ...tailHedgeKeys, ...tailHedgeConfigSchema.shape };
    for (const [key, schema] of Object.entries(keys))
      expect([key, (schema.description ?? '').length > 10]).toEqual([key, true]);
  });

  it('takes snake_case or camelCase, and names the key of a bad value', () => {
    expect(resolveRiskLimits({ maxLeverage: 2 }).maxLeverage).toBe(2);
    expect(resolveRiskLimits({ max_leverage: 2 }).maxLeverage).toBe(2);
    expect(errorOf(() => resolveRiskLimits({ max_leverage: 11 })).key).toBe('max_leverage');
    expect(errorOf(() => resolveRiskLimits({ max_drawdown: -1 })).key).toBe('max_drawdown');
    expect(errorOf(() => resolveRiskLimits({ maxDailyLoss: 0 })).key).toBe('max_daily_loss');
    expect(errorOf(() => resolveTailHedgeConfig({ hedgeSize: 1.5 })).key).toBe('hedge_size');
    expect(errorOf(() => resolveTailHedgeConfig({ cost_per_hedge: 0.02 })).key).toBe(
      'cost_per_hedge',
    );
    expect(errorOf(() => resolveRiskLimits(null as unknown as object)).key).toBe('risk');
  });

  it('refuses a hedge that would deactivate above where it activates', () => {
    expect(tailHedgeConfigIssues({ hedge_threshold: -0.025 })).toEqual([]);
    expect(tailHedgeConfigIssues({ hedge_threshold: -0.02 })).toEqual([
      { path: ['hedge_threshold'], message: expect.stringMatching(/<= -0\.025/) },
    ]);
    expect(
      errorOf(() => resolveTailHedgeConfig({ hedge_threshold: -0.1, deactivationThreshold: -0.2 }))
        .key,
    ).toBe('deactivation_threshold');
    expect(
      resolveTailHedgeConfig({ hedge_threshold: -0.1, deactivationThreshold: -0.1 })
        .deactivationThreshold,
    ).toBe(-0.1);
  });
});
