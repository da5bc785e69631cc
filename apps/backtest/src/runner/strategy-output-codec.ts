import { StateError } from '@quantpipe/core';
import type { StrategyDecision, StrategyOutput } from '@quantpipe/execution';

/**
 * A {@link StrategyOutput} as numbers, to cross from the strategy worker without a structured
 * clone of a hundred small objects per cycle: one Float64Array (transferred) and the notes.
 * Keyed records become presence masks over a fixed list of signal names; missing and NaN
 * values stay distinct, so decoding gives back an equal output.
 *
 * Layout: [decisions D, hybrid, hasWeightsBySymbol] then weights, health and ic (each a mask
 * and K values), then per decision: symbol index, composite, confidence, signal mask, K
 * signals, and (with weightsBySymbol) weight mask and K weights.
 */
export interface EncodedStrategyOutput {
  readonly numbers: Float64Array;
  readonly notes: readonly string[] | null;
}

const HEADER = 3;

function recordSize(k: number): number {
  return 1 + k;
}

function writeRecord(
  out: Float64Array,
  at: number,
  record: Readonly<Record<string, number>>,
  names: readonly string[],
  what: string,
): number {
  let mask = 0;
  let seen = 0;
  for (let i = 0; i < names.length; i++) {
    const v = record[names[i] as string];
    if (v !== undefined) {
      mask |= 1 << i;
      seen++;
      out[at + 1 + i] = v;
    } else out[at + 1 + i] = NaN;
  }
  for (const _ in record) seen--;
  if (seen !== 0)
    throw new StateError(`${what}: keys outside ${names.join(', ')} cannot be encoded`);
  out[at] = mask;
  return at + recordSize(names.length);
}

function readRecord(
  numbers: Float64Array,
  at: number,
  names: readonly string[],
): Record<string, number> {
  const mask = numbers[at] as number;
  const out: Record<string, number> = {};
  for (let i = 0; i < names.length; i++)
    if (mask & (1 << i)) out[names[i] as string] = numbers[at + 1 + i] as number;
  return out;
}

function sameRecord(
  record: Readonly<Record<string, number>>,
  numbers: Float64Array,
  at: number,
  names: readonly string[],
): boolean {
  const mask = numbers[at] as number;
  let count = 0;
  for (let i = 0; i < names.length; i++) {
    const v = record[names[i] as string];
    if (mask & (1 << i)) {
      count++;
      if (!Object.is(v, numbers[at + 1 + i])) return false;
    } else if (v !== undefined) return false;
  }
  for (const _ in record) count--;
  return count === 0;
}

/** Encodes `output` for symbols among `symbols` and signals among `names` (at most 30). */
export function encodeStrategyOutput(
  output: StrategyOutput,
  symbols: readonly string[],
  names: readonly string[],
): EncodedStrategyOutput {
  const k = names.length;
  const indexOf = new Map(symbols.map((s, i) => [s, i]));
  const bySymbol = output.weightsBySymbol;
  const perDecision = 3 + recordSize(k) + (bySymbol ? recordSize(k) : 0);
  const d = output.decisions.length;
  const out = new Float64Array(HEADER + 3 * recordSize(k) + d * perDecision);
  out[0] = d;
  out[1] = output.hybrid ? 1 : 0;
  out[2] = bySymbol ? 1 : 0;
  let at = HEADER;
  at = writeRecord(out, at, output.weights, names, 'weights');
  at = writeRecord(out, at, output.health, names, 'health');
  at = writeRecord(out, at, output.ic, names, 'ic');
  for (const decision of output.decisions) {
    const index = indexOf.get(decision.symbol);
    if (index === undefined || decision.targetShares !== undefined)
      throw new StateError(`decision on ${decision.symbol} cannot be encoded`);
    out[at] = index;
    out[at + 1] = decision.composite;
    out[at + 2] = decision.confidence;
    at = writeRecord(out, at + 3, decision.signals, names, `signals of ${decision.symbol}`);
    if (bySymbol) {
      const weights = bySymbol[decision.symbol];
      if (!weights) throw new StateError(`no weights for ${decision.symbol}`);
      at = writeRecord(out, at, weights, names, `weights of ${decision.symbol}`);
    }
  }
  return { numbers: out, notes: output.notes ? [...output.notes] : null };
}

/**
 * Decodes what {@link encodeStrategyOutput} wrote. Per-symbol weights equal to the previous
 * cycle's are returned as the same object (`previousWeights`, updated in place), as the
 * strategy itself shares them between re-estimations.
 */
export function decodeStrategyOutput(
  encoded: EncodedStrategyOutput,
  symbols: readonly string[],
  names: readonly string[],
  previousWeights: Map<string, Readonly<Record<string, number>>>,
): StrategyOutput {
  const { numbers } = encoded;
  const k = names.length;
  const d = numbers[0] as number;
  const hasBySymbol = numbers[2] === 1;
  let at = HEADER;
  const weights = readRecord(numbers, at, names);
  at += recordSize(k);
  const health = readRecord(numbers, at, names);
  at += recordSize(k);
  const ic = readRecord(numbers, at, names);
  at += recordSize(k);
  const decisions = new Array<StrategyDecision>(d);
  const weightsBySymbol: Record<string, Readonly<Record<string, number>>> = {};
  for (let j = 0; j < d; j++) {
    const symbol = symbols[numbers[at] as number] as string;
    decisions[j] = {
      symbol,
      composite: numbers[at + 1] as number,
      confidence: numbers[at + 2] as number,
      signals: readRecord(numbers, at + 3, names),
    };
    at += 3 + recordSize(k);
    if (hasBySymbol) {
      const previous = previousWeights.get(symbol);
      if (previous && sameRecord(previous, numbers, at, names)) weightsBySymbol[symbol] = previous;
      else {
        const fresh = readRecord(numbers, at, names);
        previousWeights.set(symbol, fresh);
        weightsBySymbol[symbol] = fresh;
      }
      at += recordSize(k);
    }
  }
  return {
    decisions,
    weights,
    ...(hasBySymbol ? { weightsBySymbol } : {}),
    health,
    ic,
    hybrid: numbers[1] === 1,
    ...(encoded.notes ? { notes: encoded.notes } : {}),
  };
}
