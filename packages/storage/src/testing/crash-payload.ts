import type { JsonValue } from '@quantpipe/core';

/**
 * The deterministic payload of entry `index` of a crash-test run. Sizes vary from a few
 * bytes to ~24 KB so that entries span several database pages and a kill can land in the
 * middle of writing one.
 */
export function crashPayload(runId: string, index: number): JsonValue {
  const size = (index * 7919) % 24_000;
  return {
    runId,
    index,
    price: index / 7 + 0.1,
    text: 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(size / 26)).slice(0, size),
  };
}
