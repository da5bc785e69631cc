import { ConfigError, type JsonValue } from '@quantpipe/core';
import { PIPELINE_KEYS, backtestConfigSchema } from '../config/backtest-config';

const configShape = backtestConfigSchema.out.shape;

/** Top-level config keys a sweep sets itself, per job, and so may not vary. */
const RESERVED_KEYS = new Set(['output_dir', 'database_url', 'run_id', 'progress', 'pipeline']);
const TOP_LEVEL_KEYS = Object.keys(configShape).filter((k) => !RESERVED_KEYS.has(k));
const SYNTHETIC_KEYS = Object.keys(configShape.synthetic.unwrap().shape);
const PIPELINE_KEY_SET = new Set<string>(PIPELINE_KEYS);

/**
 * The config path a sweep parameter names: a pipeline key, bare (`momentum_fast`) or in full
 * (`pipeline.momentum_fast`); a top-level key (`symbols`, `slippage`, `costs_bps`, …); or a
 * synthetic-market key (`synthetic.seed`). Keys a sweep sets per job (`output_dir`,
 * `database_url`, `run_id`, `progress`) cannot be varied.
 * @throws ConfigError naming the key when it is none of these.
 */
export function parameterPath(key: string): readonly [string] | readonly [string, string] {
  if (PIPELINE_KEY_SET.has(key)) return ['pipeline', key];
  const [head, tail, ...rest] = key.split('.');
  if (rest.length === 0 && head !== undefined) {
    if (tail === undefined && TOP_LEVEL_KEYS.includes(head)) return [head];
    if (head === 'pipeline' && tail !== undefined && PIPELINE_KEY_SET.has(tail))
      return ['pipeline', tail];
    if (head === 'synthetic' && tail !== undefined && SYNTHETIC_KEYS.includes(tail))
      return ['synthetic', tail];
  }
  throw new ConfigError(
    key,
    `not a key a sweep can vary: use a pipeline key (${PIPELINE_KEYS.slice(0, 3).join(', ')}, …), a top-level backtest key (${TOP_LEVEL_KEYS.slice(0, 4).join(', ')}, …) or synthetic.<${SYNTHETIC_KEYS.join('|')}>`,
  );
}

/** The canonical name of a parameter key (`momentum_fast` → `pipeline.momentum_fast`). */
export function canonicalParameterKey(key: string): string {
  return parameterPath(key).join('.');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of the config input `base` with each parameter set at its path (objects on the way are
 * copied, never changed in place).
 */
export function withParameters(
  base: Readonly<Record<string, unknown>>,
  values: Readonly<Record<string, JsonValue>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(values)) {
    const path = parameterPath(key);
    if (path.length === 1) {
      out[path[0]] = value;
      continue;
    }
    const [group, name] = path;
    const existing = out[group];
    out[group] = { ...(isPlainObject(existing) ? existing : {}), [name]: value };
  }
  return out;
}
