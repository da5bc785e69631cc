/** The typed arrays a {@link ChunkedColumn} can be made of. */
export type ColumnArray = Float64Array | Int32Array | Int8Array | Uint8Array;

/** Rows per chunk, as a power of two: 8,192 rows (64 KB of doubles a chunk). */
const SHIFT = 13;
const ROWS = 1 << SHIFT;
const MASK = ROWS - 1;

/**
 * A column of a log that grows by appending rows, held in fixed chunks of 8,192 rows of
 * `stride` values: a new chunk is added when a row needs one and nothing is ever copied.
 * Doubling one array instead copies every row once more per doubling, and a run of a hundred
 * symbols then allocates more for the copies than for its rows; that memory, held outside the
 * JavaScript heap, is what starts full collections while a backtest runs. A chunk stays under
 * the system allocator's mapping threshold, so the memory of one run is reused by the next.
 */
export class ChunkedColumn<T extends ColumnArray> {
  private readonly chunks: T[] = [];

  /**
   * @param make the typed array constructor of the column's values.
   * @param stride values per row (a row's values are `k` in `[0, stride)`).
   */
  constructor(
    private readonly make: new (length: number) => T,
    private readonly stride = 1,
  ) {}

  /** Sets value `k` of `row`, adding chunks up to the row's. */
  set(row: number, value: number, k = 0): void {
    const c = row >>> SHIFT;
    while (c >= this.chunks.length) this.chunks.push(new this.make(ROWS * this.stride));
    (this.chunks[c] as T)[(row & MASK) * this.stride + k] = value;
  }

  /** Value `k` of `row` (a row set before). */
  get(row: number, k = 0): number {
    return (this.chunks[row >>> SHIFT] as T)[(row & MASK) * this.stride + k] as number;
  }
}
