/**
 * The recent past of one series, or of an aligned pair, for the streaming windows. Values are
 * appended one bar at a time and the last `keepBars` stay readable at local indices
 * `[end - keepBars, end)`, so a window's step runs over it exactly as over a whole series:
 * `step(state, history.x, i, i + history.base)` reads `x[i - w]` at local index `i`.
 *
 * Storage starts small, doubles up to `keepBars + slack` as bars arrive (a long window
 * allocates only as data comes) and is then compacted by one copy each `slack` bars.
 */
export class SeriesHistory {
  /** Past values that stay readable. */
  readonly keepBars: number;
  /** Global index of local index 0. */
  base = 0;
  /** Local index of the next value. */
  end = 0;
  /** The series (or the pair's first member). */
  x: Float64Array;
  /** The pair's second member (empty for a single series). */
  y: Float64Array;
  private readonly paired: boolean;
  private readonly maxCapacity: number;

  /**
   * @param keepBars how many past values must stay readable (a window's length, or more).
   * @param paired whether a second, aligned series is kept (`appendPair`).
   */
  constructor(keepBars: number, paired = false) {
    this.keepBars = keepBars;
    this.paired = paired;
    this.maxCapacity = keepBars + Math.max(keepBars, 16);
    const capacity = Math.min(this.maxCapacity, 64);
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(paired ? capacity : 0);
  }

  /** Appends one value; returns its local index. */
  append(value: number): number {
    if (this.end === this.x.length) this.makeRoom();
    this.x[this.end] = value;
    return this.end++;
  }

  /** Appends one pair; returns its local index. */
  appendPair(a: number, b: number): number {
    const i = this.append(a);
    this.y[i] = b;
    return i;
  }

  private makeRoom(): void {
    const capacity = this.x.length;
    if (capacity < this.maxCapacity) {
      const larger = Math.min(2 * capacity, this.maxCapacity);
      this.x = grown(this.x, larger);
      if (this.paired) this.y = grown(this.y, larger);
      return;
    }
    // full: move the last keepBars values to the front
    const from = this.end - this.keepBars;
    this.x.copyWithin(0, from, this.end);
    if (this.paired) this.y.copyWithin(0, from, this.end);
    this.base += from;
    this.end = this.keepBars;
  }
}

function grown(values: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(values);
  return out;
}
