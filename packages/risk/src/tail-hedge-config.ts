import { ConfigError, configErrorFromIssues, type ConfigIssue } from '@quantpipe/core';
import { z } from 'zod';

/** Where the spec's hedge switches off again: fixed at -0.025 (6.1), not a config-file key. */
const SPEC_DEACTIVATION_THRESHOLD = -0.025;

/**
 * The tail-hedge keys of the spec's pipeline config (9.2): each with its default, its range and
 * its doc (`.description`). The engine, the trader and the backtest compose these definitions.
 */
export const tailHedgeKeys = {
  hedge_threshold: z
    .number()
    .gt(-1)
    .lt(0)
    .default(-0.05)
    .describe(
      'Drawdown strictly below which the tail hedge activates (spec 9.2): a negative fraction in (-1, 0), at most the deactivation threshold -0.025.',
    ),
  hedge_size: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe('Hedge notional as a fraction of the portfolio (spec 9.2), in [0, 1].'),
  cost_per_hedge: z
    .number()
    .min(0)
    .max(0.01)
    .default(0.0002)
    .describe(
      'Cost of the hedge per period while active, as a return (spec 9.2; 0.0002 = 2 bps a day), in [0, 0.01].',
    ),
};

/** The tail hedge's settings, snake_case, with the deactivation threshold library users may set. */
export const tailHedgeConfigSchema = z
  .object({
    ...tailHedgeKeys,
    deactivation_threshold: z
      .number()
      .gt(-1)
      .lte(0)
      .default(SPEC_DEACTIVATION_THRESHOLD)
      .describe(
        'Drawdown strictly above which an active hedge deactivates, in (-1, 0] and >= hedge_threshold. Fixed at -0.025 by the spec; not a config-file key.',
      ),
  })
  .superRefine((config, ctx) => {
    for (const issue of tailHedgeConfigIssues(config))
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  });

/**
 * The cross-field rule of the tail-hedge keys: the hedge must not deactivate above where it
 * activates (`hedge_threshold <= deactivation_threshold`). A config without
 * `deactivation_threshold` (every config file) is checked against the spec's -0.025, and the
 * issue then names `hedge_threshold`.
 */
export function tailHedgeConfigIssues(config: {
  readonly hedge_threshold: number;
  readonly deactivation_threshold?: number;
}): ConfigIssue[] {
  const deactivation = config.deactivation_threshold ?? SPEC_DEACTIVATION_THRESHOLD;
  if (config.hedge_threshold <= deactivation) return [];
  if (config.deactivation_threshold === undefined)
    return [
      {
        path: ['hedge_threshold'],
        message: `must be <= ${SPEC_DEACTIVATION_THRESHOLD}, where the hedge deactivates (spec 6.1)`,
      },
    ];
  return [
    {
      path: ['deactivation_threshold'],
      message: `expected in [hedge_threshold, 0] = [${config.hedge_threshold}, 0]`,
    },
  ];
}

/**
 * Tail hedge settings. The spec's snake_case names (`hedge_size`, `cost_per_hedge`,
 * `hedge_threshold`) and camelCase names are both accepted; giving both with different values
 * is a {@link ConfigError}. All values are fractions (0.10 = 10 %). Ranges and defaults:
 * {@link tailHedgeConfigSchema}.
 */
export interface TailHedgeConfigInput {
  /** Hedge notional as a fraction of the portfolio. Default 0.10. */
  readonly hedgeSize?: number;
  readonly hedge_size?: number;
  /** Cost per period while ACTIVE, as a return (0.0002 = 2 bps a day). Default 0.0002. */
  readonly costPerHedge?: number;
  readonly cost_per_hedge?: number;
  /** Activates when the drawdown is strictly below this. Default -0.05. */
  readonly activationThreshold?: number;
  readonly hedge_threshold?: number;
  /** Deactivates when the drawdown is strictly above this. Default -0.025 (fixed in the spec). */
  readonly deactivationThreshold?: number;
  readonly deactivation_threshold?: number;
}

/** Resolved tail hedge settings. */
export interface TailHedgeConfig {
  readonly hedgeSize: number;
  readonly costPerHedge: number;
  readonly activationThreshold: number;
  readonly deactivationThreshold: number;
}

function camelCased(config: z.output<typeof tailHedgeConfigSchema>): TailHedgeConfig {
  return {
    hedgeSize: config.hedge_size,
    costPerHedge: config.cost_per_hedge,
    activationThreshold: config.hedge_threshold,
    deactivationThreshold: config.deactivation_threshold,
  };
}

/** Spec defaults: hedge_size 0.10, cost_per_hedge 0.0002, hedge_threshold -0.05, deactivation -0.025. */
export const DEFAULT_TAIL_HEDGE_CONFIG: TailHedgeConfig = Object.freeze(
  camelCased(tailHedgeConfigSchema.parse({})),
);

function pick(
  input: TailHedgeConfigInput,
  camel: keyof TailHedgeConfigInput,
  snake: keyof TailHedgeConfigInput,
): number | undefined {
  const a = input[camel];
  const b = input[snake];
  if (a !== undefined && b !== undefined && a !== b) {
    throw new ConfigError(
      snake,
      `given twice with different values (${camel}=${a}, ${snake}=${b})`,
    );
  }
  return a ?? b;
}

/** Validates tail hedge settings and fills in the spec's defaults. Throws {@link ConfigError}. */
export function resolveTailHedgeConfig(input: TailHedgeConfigInput = {}): TailHedgeConfig {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError('tail_hedge', 'expected an object of settings');
  }
  const snake = {
    hedge_size: pick(input, 'hedgeSize', 'hedge_size'),
    cost_per_hedge: pick(input, 'costPerHedge', 'cost_per_hedge'),
    hedge_threshold: pick(input, 'activationThreshold', 'hedge_threshold'),
    deactivation_threshold: pick(input, 'deactivationThreshold', 'deactivation_threshold'),
  };
  const result = tailHedgeConfigSchema.safeParse(snake);
  // Parsed again to show the offending values: reporting them slows every parse down.
  if (!result.success)
    throw configErrorFromIssues(
      tailHedgeConfigSchema.safeParse(snake, { reportInput: true }).error?.issues ??
        result.error.issues,
    );
  return camelCased(result.data);
}
