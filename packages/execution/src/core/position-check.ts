/** A symbol whose position at the broker is not what the engine expects after a cycle. */
export interface PositionMismatch {
  readonly symbol: string;
  /** Signed shares expected: the position before the cycle plus this cycle's fills. */
  readonly expectedShares: number;
  /** Signed shares the broker reports after the cycle. */
  readonly actualShares: number;
}

/**
 * The post-cycle position check: for every symbol held before, filled this cycle or held
 * after, the position before the cycle plus the signed shares filled must be what the venue
 * reports after it. Keys are the engine's own symbol names, so a venue that lists a position
 * under another spelling shows up as two mismatches instead of an order re-sent every cycle.
 * Symbols in the order of first appearance (before, fills, after).
 */
export function positionMismatches(
  before: Readonly<Record<string, number>>,
  filledShares: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): PositionMismatch[] {
  const out: PositionMismatch[] = [];
  const seen = new Set<string>();
  for (const map of [before, filledShares, after])
    for (const symbol of Object.keys(map)) {
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      const expectedShares = (before[symbol] ?? 0) + (filledShares[symbol] ?? 0);
      const actualShares = after[symbol] ?? 0;
      if (expectedShares !== actualShares) out.push({ symbol, expectedShares, actualShares });
    }
  return out;
}
