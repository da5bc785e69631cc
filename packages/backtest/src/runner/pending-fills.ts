import type { AccountingAudit } from './accounting-audit';
import type { FillFigures } from '../result/fill-figures';

/** Numbers kept per fill: side, quantity, price, reference price, commission. */
const FIELDS = 5;

/**
 * A cycle's fills, held until the cycle's hedge is booked and then handed to the accounting
 * audit in order (as a backtest records a cycle's report). Columns that grow by doubling, so a
 * cycle allocates nothing once the largest cycle has been seen.
 */
export class PendingFills {
  private count = 0;
  private symbols = new Int32Array(0);
  private numbers = new Float64Array(0);

  /** Holds a fill of `quantity` shares of `symbol` (`side` +1 buy, -1 sell), priced by `fill`. */
  push(symbol: number, side: number, quantity: number, fill: FillFigures): void {
    const i = this.count++;
    if (i >= this.symbols.length) {
      const size = Math.max(16, 2 * i);
      const symbols = new Int32Array(size);
      symbols.set(this.symbols);
      this.symbols = symbols;
      const numbers = new Float64Array(size * FIELDS);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.symbols[i] = symbol;
    const x = this.numbers;
    const at = i * FIELDS;
    x[at] = side;
    x[at + 1] = quantity;
    x[at + 2] = fill.priceUsd;
    x[at + 3] = fill.referencePriceUsd;
    x[at + 4] = fill.commissionUsd;
  }

  /** Records the held fills into `audit`, oldest first, and forgets them. */
  flushTo(audit: AccountingAudit): void {
    const x = this.numbers;
    for (let i = 0; i < this.count; i++) {
      const at = i * FIELDS;
      audit.recordExecution(
        this.symbols[i] as number,
        x[at] as number,
        x[at + 1] as number,
        x[at + 2] as number,
        x[at + 3] as number,
        x[at + 4] as number,
      );
    }
    this.count = 0;
  }
}
