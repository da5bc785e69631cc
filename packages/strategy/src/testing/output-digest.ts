// Test-only: a digest of strategy outputs that tells apart any two outputs differing in one
// bit of one number (NaN, -0 and absent keys included).
import { createHash } from 'node:crypto';
import type { StrategyOutput } from '@quantpipe/core';

const bits = new Float64Array(1);
const bytes = new Uint8Array(bits.buffer);

function put(hash: ReturnType<typeof createHash>, value: number): void {
  bits[0] = value;
  hash.update(bytes);
}

function putRecord(
  hash: ReturnType<typeof createHash>,
  record: Readonly<Record<string, number>> | undefined,
): void {
  for (const [key, value] of Object.entries(record ?? {})) {
    hash.update(key);
    put(hash, value);
  }
  hash.update('|');
}

/** SHA-256 over every number, key and flag of the outputs, in order. */
export function digestOutputs(outputs: readonly StrategyOutput[]): string {
  const hash = createHash('sha256');
  for (const out of outputs) {
    for (const d of out.decisions) {
      hash.update(d.symbol);
      put(hash, d.composite);
      put(hash, d.confidence);
      putRecord(hash, d.signals);
    }
    putRecord(hash, out.weights);
    for (const [symbol, w] of Object.entries(out.weightsBySymbol ?? {})) {
      hash.update(symbol);
      putRecord(hash, w);
    }
    putRecord(hash, out.health);
    putRecord(hash, out.ic);
    hash.update(out.hybrid ? 'H' : 'D');
    hash.update((out.notes ?? []).join('\n'));
    hash.update('#');
  }
  return hash.digest('hex');
}
