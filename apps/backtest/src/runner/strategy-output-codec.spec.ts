import fc from 'fast-check';
import type { StrategyOutput } from '@quantpipe/execution';
import { decodeStrategyOutput, encodeStrategyOutput } from './strategy-output-codec';

const NAMES = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'];
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'];

const value = fc.oneof(fc.double(), fc.constant(Number.NaN), fc.constant(-0));
const record = fc.dictionary(fc.constantFrom(...NAMES), value);
const fullRecord = fc
  .tuple(...NAMES.map(() => value))
  .map((values) => Object.fromEntries(NAMES.map((n, i) => [n, values[i] as number])));

const output: fc.Arbitrary<StrategyOutput> = fc
  .record({
    symbols: fc.subarray(SYMBOLS),
    weights: record,
    health: record,
    ic: record,
    hybrid: fc.boolean(),
    notes: fc.option(fc.array(fc.string(), { maxLength: 2 }), { nil: undefined }),
    bySymbol: fc.boolean(),
    rows: fc.array(
      fc.record({ composite: value, confidence: value, signals: fullRecord, w: record }),
      {
        minLength: SYMBOLS.length,
        maxLength: SYMBOLS.length,
      },
    ),
  })
  .map((r) => ({
    decisions: r.symbols.map((symbol, i) => ({
      symbol,
      composite: r.rows[i]?.composite ?? 0,
      confidence: r.rows[i]?.confidence ?? 1,
      signals: r.rows[i]?.signals ?? {},
    })),
    weights: r.weights,
    ...(r.bySymbol
      ? {
          weightsBySymbol: Object.fromEntries(
            r.symbols.map((symbol, i) => [symbol, r.rows[i]?.w ?? {}]),
          ),
        }
      : {}),
    health: r.health,
    ic: r.ic,
    hybrid: r.hybrid,
    ...(r.notes ? { notes: r.notes } : {}),
  }));

describe('strategy output codec', () => {
  it('decodes to an equal output: missing keys, NaN and -0 stay as they were', () => {
    fc.assert(
      fc.property(output, (out) => {
        const decoded = decodeStrategyOutput(
          encodeStrategyOutput(out, SYMBOLS, NAMES),
          SYMBOLS,
          NAMES,
          new Map(),
        );
        expect(decoded).toEqual(out);
      }),
    );
  });

  it('hands back the same weights object while a symbol’s weights are unchanged', () => {
    const out: StrategyOutput = {
      decisions: [{ symbol: 'BBB', composite: 0.1, confidence: 1, signals: { Carry: 1 } }],
      weights: {},
      weightsBySymbol: { BBB: { Carry: 0.5, Beta: 0.5 } },
      health: {},
      ic: {},
      hybrid: false,
    };
    const cache = new Map<string, Readonly<Record<string, number>>>();
    const first = decodeStrategyOutput(
      encodeStrategyOutput(out, SYMBOLS, NAMES),
      SYMBOLS,
      NAMES,
      cache,
    );
    const second = decodeStrategyOutput(
      encodeStrategyOutput(out, SYMBOLS, NAMES),
      SYMBOLS,
      NAMES,
      cache,
    );
    expect(second.weightsBySymbol?.['BBB']).toBe(first.weightsBySymbol?.['BBB']);
    const changed = { ...out, weightsBySymbol: { BBB: { Carry: 1 } } };
    const third = decodeStrategyOutput(
      encodeStrategyOutput(changed, SYMBOLS, NAMES),
      SYMBOLS,
      NAMES,
      cache,
    );
    expect(third.weightsBySymbol?.['BBB']).toEqual({ Carry: 1 });
  });

  it('refuses what it cannot carry: other signal names, unknown symbols, share targets', () => {
    const base: StrategyOutput = {
      decisions: [],
      weights: {},
      health: {},
      ic: {},
      hybrid: false,
    };
    expect(() => encodeStrategyOutput({ ...base, weights: { Other: 1 } }, SYMBOLS, NAMES)).toThrow(
      /keys outside/,
    );
    const decision = { symbol: 'ZZZ', composite: 0, confidence: 1, signals: {} };
    expect(() => encodeStrategyOutput({ ...base, decisions: [decision] }, SYMBOLS, NAMES)).toThrow(
      /ZZZ cannot be encoded/,
    );
    expect(() =>
      encodeStrategyOutput(
        { ...base, decisions: [{ ...decision, symbol: 'AAA', targetShares: 5 }] },
        SYMBOLS,
        NAMES,
      ),
    ).toThrow(/AAA cannot be encoded/);
  });
});
