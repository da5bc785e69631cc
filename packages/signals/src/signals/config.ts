import { ValidationError } from '@quantpipe/core';
import { assertWindow } from '../validate';
import type { WarmupMode } from './warmup';

/**
 * Windows of the five daily signals. The spec's names (`volatility_window`, ...) are the
 * canonical keys; camelCase aliases are accepted too. Every window is an integer in
 * `[2, MAX_WINDOW_BARS]`.
 */
export interface DailySignalConfig {
  /** Volatility: realized-vol and vol-of-vol window in bars (spec default 20). */
  readonly volatility_window?: number;
  /** Momentum: fast window in bars (spec default 20); also the market momentum window. */
  readonly momentum_fast?: number;
  /** Momentum: slow window in bars (spec default 60). */
  readonly momentum_slow?: number;
  /** TailRisk: quantile window in bars (spec default 60). */
  readonly tail_window?: number;
  /** Beta: covariance, variance and beta-vol window in bars (spec default 60). */
  readonly beta_window?: number;
  /** Alias of `volatility_window`. */
  readonly volatilityWindow?: number;
  /** Alias of `momentum_fast`. */
  readonly momentumFast?: number;
  /** Alias of `momentum_slow`. */
  readonly momentumSlow?: number;
  /** Alias of `tail_window`. */
  readonly tailWindow?: number;
  /** Alias of `beta_window`. */
  readonly betaWindow?: number;
  /**
   * The bars before a signal's first value: `'zero'` (default, the spec's `fillna(0)`) or
   * `'nan'` (marked NaN: no value yet). See the `*WarmupBars` functions for their number.
   */
  readonly warmup?: WarmupMode;
}

/** A fully resolved {@link DailySignalConfig}. */
export interface ResolvedDailySignalConfig {
  /** Volatility window in bars. */
  readonly volatilityWindow: number;
  /** Momentum fast window in bars. */
  readonly momentumFast: number;
  /** Momentum slow window in bars. */
  readonly momentumSlow: number;
  /** TailRisk window in bars. */
  readonly tailWindow: number;
  /** Beta window in bars. */
  readonly betaWindow: number;
  /** How the warm-up bars are reported. */
  readonly warmup: WarmupMode;
}

/** The spec's defaults (section 9.2; tail and beta windows from the code comments: 60). */
export const DEFAULT_DAILY_SIGNAL_CONFIG: ResolvedDailySignalConfig = Object.freeze({
  volatilityWindow: 20,
  momentumFast: 20,
  momentumSlow: 60,
  tailWindow: 60,
  betaWindow: 60,
  warmup: 'zero',
});

const KEYS: ReadonlyArray<readonly [keyof ResolvedDailySignalConfig, string]> = [
  ['volatilityWindow', 'volatility_window'],
  ['momentumFast', 'momentum_fast'],
  ['momentumSlow', 'momentum_slow'],
  ['tailWindow', 'tail_window'],
  ['betaWindow', 'beta_window'],
];

/**
 * Other keys of the spec's pipeline configuration (section 9): ignored here, so a whole
 * pipeline config object can be passed. Any other unknown key is rejected (likely a typo).
 */
const PIPELINE_KEYS = new Set([
  'initial_capital',
  'max_adv_pct',
  'hedge_threshold',
  'hedge_size',
  'cost_per_hedge',
  'validation_window',
  'health_lookback',
  'costs_bps',
  'validationWindow',
  'healthLookback',
]);

/**
 * Resolves a {@link DailySignalConfig} against the spec defaults and validates it.
 *
 * @param config partial config (spec names or camelCase aliases); `argument` prefixes error names.
 * @throws ValidationError naming the key for a window that is not an integer in
 *   `[2, MAX_WINDOW_BARS]`, an alias that disagrees with its spec name, a `warmup` other than
 *   `'zero'` or `'nan'`, or an unknown key.
 */
export function resolveDailySignalConfig(
  config: DailySignalConfig | undefined,
  argument = 'config',
): ResolvedDailySignalConfig {
  if (config === undefined) return DEFAULT_DAILY_SIGNAL_CONFIG;
  if (config === null || typeof config !== 'object') {
    throw new ValidationError(argument, 'expected an object of signal windows');
  }
  const known = new Set<string>(['warmup']);
  const out: Record<string, number | WarmupMode> = {};
  const raw = config as Readonly<Record<string, unknown>>;
  for (const [camel, snake] of KEYS) {
    known.add(camel);
    known.add(snake);
    const a = raw[snake];
    const b = raw[camel];
    if (a !== undefined) assertWindow(`${argument}.${snake}`, a);
    if (b !== undefined) assertWindow(`${argument}.${camel}`, b);
    if (a !== undefined && b !== undefined && a !== b) {
      throw new ValidationError(
        `${argument}.${camel}`,
        `disagrees with ${snake} (${String(b)} vs ${String(a)})`,
      );
    }
    out[camel] = (a ?? b ?? DEFAULT_DAILY_SIGNAL_CONFIG[camel]) as number;
  }
  const warmup = raw['warmup'] ?? 'zero';
  if (warmup !== 'zero' && warmup !== 'nan') {
    throw new ValidationError(
      `${argument}.warmup`,
      `expected 'zero' or 'nan', got ${String(warmup)}`,
    );
  }
  out['warmup'] = warmup;
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && !PIPELINE_KEYS.has(key) && raw[key] !== undefined) {
      throw new ValidationError(`${argument}.${key}`, 'unknown signal option');
    }
  }
  return out as unknown as ResolvedDailySignalConfig;
}
