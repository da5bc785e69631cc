import {
  engineConfigFor,
  openMarket,
  parseBacktestConfig,
  type BacktestConfig,
  type OpenedMarket,
} from '@quantpipe/backtest';
import { ConfigError } from '@quantpipe/core';
import {
  engineTradingKeys,
  resolveEngineConfig,
  simulationKeys,
  type EngineConfig,
} from '@quantpipe/execution';
import {
  compositeStrategyConfigOf,
  compositeStrategyKeys,
  resolveCompositeStrategyConfig,
  type CompositeStrategyConfig,
} from '@quantpipe/strategy';
import fc from 'fast-check';
import {
  SHARED_PIPELINE_KEYS,
  parseTradingConfig,
  tradingConfigSchema,
  type TradingConfig,
} from './config-schema';
import { engineConfigOf } from './run-trader';

type Shared = Record<string, unknown>;

/**
 * What one side made of a set of shared keys: the resolved configs, or the key it refused and
 * where (reading the config file, or building the engine and the strategy from it).
 */
type Outcome =
  | { readonly ok: true; readonly engine: EngineConfig; readonly strategy: CompositeStrategyConfig }
  | { readonly ok: false; readonly stage: 'file' | 'resolve'; readonly key: string };

function refused(stage: 'file' | 'resolve', error: unknown): Outcome {
  if (!(error instanceof ConfigError)) throw error;
  return { ok: false, stage, key: error.key.replace(/^pipeline\./, '') };
}

function asTrader(shared: Shared): Outcome {
  let cfg: TradingConfig;
  try {
    cfg = parseTradingConfig(shared);
  } catch (error) {
    return refused('file', error);
  }
  try {
    return {
      ok: true,
      engine: resolveEngineConfig(engineConfigOf(cfg, false)),
      strategy: resolveCompositeStrategyConfig(compositeStrategyConfigOf(cfg)),
    };
  } catch (error) {
    return refused('resolve', error);
  }
}

function asBacktest(shared: Shared, opened: OpenedMarket): Outcome {
  let config: BacktestConfig;
  try {
    config = parseBacktestConfig({ pipeline: shared });
  } catch (error) {
    return refused('file', error);
  }
  try {
    return {
      ok: true,
      engine: resolveEngineConfig(engineConfigFor(config, opened)),
      strategy: resolveCompositeStrategyConfig(compositeStrategyConfigOf(config.pipeline)),
    };
  } catch (error) {
    return refused('resolve', error);
  }
}

const TRADING_KEYS = Object.keys(engineTradingKeys) as (keyof typeof engineTradingKeys)[];

/** An outcome with the engine config cut to the shared keys (the universes differ). */
function shared(outcome: Outcome): unknown {
  if (!outcome.ok) return outcome;
  const engine = Object.fromEntries(TRADING_KEYS.map((k) => [k, outcome.engine[k]]));
  return { ...outcome, engine };
}

/**
 * Values for a key: its default and values near it (mostly valid), the edges where the copies
 * of the definitions used to disagree, and wrong types. Nothing here is read from the schemas,
 * so the test does not assume what it checks.
 */
function valuesFor(fallback: unknown): fc.Arbitrary<unknown> {
  const edges = fc.constantFrom(
    0,
    1,
    -1,
    2,
    0.5,
    -0.5,
    0.0005,
    0.001,
    0.00005,
    0.01,
    0.05,
    0.1,
    -0.02,
    -0.025,
    -0.03,
    10,
    10.5,
    11,
    1.5,
    2520,
    2521,
    5000,
    5001,
    1e6,
  );
  const wrongTypes = fc.oneof(
    fc.constantFrom(null, '1', 'true', [], {}, Number.NaN, Number.POSITIVE_INFINITY),
    fc.string({ maxLength: 8 }),
  );
  const near =
    typeof fallback === 'number'
      ? fc.oneof(
          fc.constantFrom(-1, 0, 0.5, 1.5, 2, 5, 10, 50, 100).map((f) => fallback * f),
          fc.constant(fallback),
          fc.double({
            min: Math.min(fallback * 0.5, fallback * 1.5),
            max: Math.max(fallback * 0.5, fallback * 1.5),
            noNaN: true,
          }),
          fc.integer({ min: -3, max: 3 }).map((d) => fallback + d),
        )
      : typeof fallback === 'boolean'
        ? fc.boolean()
        : fc.constantFrom(
            fallback,
            'flatten',
            'reduce',
            'block',
            'deltas',
            'targets',
            'manual',
            'session',
          );
  return fc.oneof(
    { weight: 6, arbitrary: near },
    { weight: 2, arbitrary: edges },
    { weight: 1, arbitrary: wrongTypes },
  );
}

const DEFAULTS: Shared = parseBacktestConfig({}).pipeline;

/** A few shared keys with values (sometimes a misspelt key too). */
const sharedKeysArb: fc.Arbitrary<Shared> = fc
  .uniqueArray(fc.constantFrom(...SHARED_PIPELINE_KEYS), { minLength: 0, maxLength: 5 })
  .chain((keys) =>
    fc.tuple(
      fc.tuple(...keys.map((k) => valuesFor(DEFAULTS[k]).map((v) => [k, v] as const))),
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(7) },
      ),
    ),
  )
  .map(([pairs, typo]) => ({
    ...Object.fromEntries(pairs),
    ...(typo === undefined ? {} : { max_levrage: typo }),
  }));

/** Both sides' outcomes agree (the engine config cut to the shared keys); counts the kinds. */
function expectSameOutcome(
  keys: Shared,
  opened: OpenedMarket,
  counts: { accepted: number; refused: number },
): void {
  const trader = asTrader(keys);
  const backtest = asBacktest(keys, opened);
  expect(shared(trader)).toEqual(shared(backtest));
  if (trader.ok) {
    counts.accepted++;
    // What was given is what the engine and the strategy got.
    const resolved: Record<string, unknown> = { ...trader.engine, ...trader.strategy };
    for (const [key, value] of Object.entries(keys))
      expect([key, resolved[key]]).toEqual([key, value]);
  } else {
    counts.refused++;
    // A file either side accepts is one the engine and the strategy accept.
    expect(trader.stage).toBe('file');
  }
}

describe('a trader and a backtest of the same strategy take the same configuration', () => {
  let opened: OpenedMarket;
  beforeAll(async () => {
    opened = await openMarket(
      parseBacktestConfig({ warmup_sessions: 0, synthetic: { sessions: 30, hourly: false } }),
    );
  });

  it('share every key of the strategy and of the engine trading keys, and no other', () => {
    expect([...SHARED_PIPELINE_KEYS].sort()).toEqual(
      [...Object.keys(compositeStrategyKeys), ...TRADING_KEYS].sort(),
    );
    expect(Object.keys(parseBacktestConfig({}).pipeline).sort()).toEqual(
      [...SHARED_PIPELINE_KEYS].sort(),
    );
    // The simulated venue's keys: flat in both files, one definition. The trader's
    // commission_model is the same key without its default (the broker's is the default).
    for (const key of Object.keys(simulationKeys) as (keyof typeof simulationKeys)[])
      if (key !== 'commission_model')
        expect(tradingConfigSchema.shape[key]).toBe(simulationKeys[key]);
    expect(tradingConfigSchema.shape.commission_model.unwrap()).toBe(
      simulationKeys.commission_model.unwrap(),
    );
  });

  it.each(SHARED_PIPELINE_KEYS.map((key) => [key]))(
    '%s: accepted and refused alike, resolved alike',
    (key) => {
      const counts = { accepted: 0, refused: 0 };
      fc.assert(
        fc.property(valuesFor(DEFAULTS[key]), (value) =>
          expectSameOutcome({ [key]: value }, opened, counts),
        ),
        { numRuns: 60 },
      );
      // Both outcomes must be exercised, or the property proves little.
      expect(counts.accepted).toBeGreaterThan(0);
      expect(counts.refused).toBeGreaterThan(0);
    },
  );

  it('several keys at once (cross-field rules included): accepted, refused and resolved alike', () => {
    const counts = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(sharedKeysArb, (keys) => expectSameOutcome(keys, opened, counts)),
      { numRuns: 1000 },
    );
    expect(counts.accepted).toBeGreaterThan(200);
    expect(counts.refused).toBeGreaterThan(200);
  });

  it("resolve to the spec's defaults when no shared key is given", () => {
    const trader = asTrader({});
    const backtest = asBacktest({}, opened);
    expect(shared(trader)).toEqual(shared(backtest));
    expect(trader.ok && trader.strategy).toEqual(resolveCompositeStrategyConfig());
  });
});
