/**
 * The recent past of one series, or of an aligned pair, for the streaming windows. Values are
 * appended one bar at a time; the newest, at local index `i`, and the `keepBars` before it stay
 * readable at local indices `[i - keepBars, i]`, so a window's run goes over
 * it exactly as over a whole series: `run(state, history.x, i, i + 1, history.base, ...)` reads
 * `x[i - w]`, and global index = local index + `base`.
 *
 * Each value is stored twice, at `p` and `p + capacity` of a buffer of twice the capacity
 * (`p` cycling through `[0, capacity)`): the newest `capacity` values then always lie
 * contiguous before local index `p + capacity`, with no wrap-around and no compaction. Storage
 * starts small and doubles up to `keepBars + 1` while the first values arrive, so a long window
 * allocates only as data comes.
 */
export class SeriesHistory {
  /** Past values that stay readable. */
  readonly keepBars: number;
  /** Global index of local index 0 (for the newest value). */
  base = 0;
  /** The series (or the pair's first member). */
  x: Float64Array;
  /** The pair's second member (empty for a single series). */
  y: Float64Array;
  private readonly paired: boolean;
  private readonly maxCapacity: number;
  private capacity: number;
  /** Position of the next value in `[0, capacity)`. */
  private p = 0;
  /** Values appended so far. */
  private count = 0;

  /**
   * @param keepBars how many past values must stay readable (a window's length, or more).
   * @param paired whether a second, aligned series is kept (`appendPair`).
   */
  constructor(keepBars: number, paired = false) {
    this.keepBars = keepBars;
    this.paired = paired;
    this.maxCapacity = keepBars + 1;
    this.capacity = Math.min(this.maxCapacity, 64);
    this.x = new Float64Array(2 * this.capacity);
    this.y = new Float64Array(paired ? 2 * this.capacity : 0);
  }

  /** Appends one value; returns its local index. */
  append(value: number): number {
    if (this.count === this.capacity && this.capacity < this.maxCapacity) this.grow();
    const p = this.p;
    const i = p + this.capacity;
    this.x[p] = value;
    this.x[i] = value;
    this.p = p + 1 === this.capacity ? 0 : p + 1;
    this.base = this.count++ - i;
    return i;
  }

  /** Appends one pair; returns its local index. */
  appendPair(a: number, b: number): number {
    const i = this.append(a);
    this.y[i] = b;
    this.y[i - this.capacity] = b;
    return i;
  }

  /** Doubles the capacity (up to `keepBars + 1`) before the first wrap: values stay in order. */
  private grow(): void {
    const old = this.capacity;
    const capacity = Math.min(2 * old, this.maxCapacity);
    this.x = regrown(this.x, old, capacity);
    if (this.paired) this.y = regrown(this.y, old, capacity);
    this.capacity = capacity;
    this.p = old;
  }
}

/** The first `count` values of `values`, twice: at 0 and at `capacity` of a new buffer. */
function regrown(values: Float64Array, count: number, capacity: number): Float64Array {
  const out = new Float64Array(2 * capacity);
  const head = values.subarray(0, count);
  out.set(head, 0);
  out.set(head, capacity);
  return out;
}
