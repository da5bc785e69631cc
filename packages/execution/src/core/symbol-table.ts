/**
 * Symbols as dense indices, so per-symbol state lives in typed arrays: the universe first, in
 * its configured order, then any other symbol met later (a position the broker holds outside
 * the universe), appended in the order it was met. Indices never change once given; the
 * capacity grows by doubling and every column sized by {@link SymbolTable.capacity} must be
 * grown with it (see `grownFloat64`).
 */
export class SymbolTable {
  private readonly indexOf = new Map<string, number>();
  private readonly names: string[] = [];
  private sortedCache: Int32Array | undefined;
  /** Length the per-symbol columns must have; grows when a symbol is added beyond it. */
  capacity: number;

  constructor(symbols: readonly string[]) {
    this.capacity = Math.max(8, symbols.length);
    for (const s of symbols) this.add(s);
  }

  /** Number of symbols known. */
  get size(): number {
    return this.names.length;
  }

  /** The index of `symbol`, or -1. */
  find(symbol: string): number {
    return this.indexOf.get(symbol) ?? -1;
  }

  /** The index of `symbol`, adding it when new. */
  add(symbol: string): number {
    const known = this.indexOf.get(symbol);
    if (known !== undefined) return known;
    const index = this.names.length;
    this.names.push(symbol);
    this.indexOf.set(symbol, index);
    this.sortedCache = undefined;
    if (index >= this.capacity) this.capacity *= 2;
    return index;
  }

  /** The symbol at `index`. */
  name(index: number): string {
    return this.names[index] as string;
  }

  /**
   * Every index in the order of the symbols' names (code-unit order, as `Array.sort` of the
   * names): the order venues list positions in.
   */
  byName(): Int32Array {
    if (this.sortedCache === undefined) {
      const order = this.names.map((_, i) => i);
      order.sort((a, b) => {
        const x = this.names[a] as string;
        const y = this.names[b] as string;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      this.sortedCache = Int32Array.from(order);
    }
    return this.sortedCache;
  }
}

/** `column` with room for `capacity` entries (the same array when it has them), `fill` beyond. */
export function grownFloat64(column: Float64Array, capacity: number, fill = 0): Float64Array {
  if (column.length >= capacity) return column;
  const out = new Float64Array(capacity).fill(fill);
  out.set(column);
  return out;
}
