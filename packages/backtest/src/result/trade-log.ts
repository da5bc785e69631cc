import { ChunkedColumn } from './chunked-column';
import type { OrderSide } from '@quantpipe/core';
import { clientOrderIdFor, type OrderLeg } from '@quantpipe/execution';
import type { TradeRecord } from './backtest-result';
import type { FillFigures } from './fill-figures';

const LEG_NAMES: readonly OrderLeg[] = ['adjust', 'close', 'open'];
const LEGS: Readonly<Record<OrderLeg, number>> = { adjust: 0, close: 1, open: 2 };

/** Numbers per trade: quantity, price, reference price, commission, slippage. */
const NUMBERS = 5;

/**
 * Every fill of a run as a trade, in order, stored as columns: a long run makes hundreds of
 * thousands, which as objects the young collector would copy while the run goes on. Strings
 * (symbols, instants, client order ids) are references to the ones the run already holds.
 * {@link TradeLog.at}, iteration and {@link TradeLog.toArray} give back equal records.
 */
export class TradeLog implements Iterable<TradeRecord> {
  private rows = 0;
  private readonly numbers = new ChunkedColumn(Float64Array, NUMBERS);
  /** Per row: cycle, symbol index, instant index, side (0 buy, 1 sell). */
  private readonly refs = new ChunkedColumn(Int32Array, 4);
  /** Per row: the leg (0 adjust, 1 close, 2 open) its client order id is made from, or -1. */
  private readonly legs = new ChunkedColumn(Int8Array);
  /** Client order ids given as strings (rows recorded with {@link TradeLog.append}). */
  private readonly ids = new Map<number, string>();
  private readonly symbols: string[] = [];
  private readonly symbolIndex = new Map<string, number>();
  private readonly timestamps: string[] = [];

  /** Trades recorded. */
  get length(): number {
    return this.rows;
  }

  /** A log holding `trades` (for tests and tools). */
  static of(trades: Iterable<TradeRecord>): TradeLog {
    const log = new TradeLog();
    for (const t of trades) log.append(t);
    return log;
  }

  /**
   * Records one fill of an engine order, priced by `fill` (its client order id is made only when
   * read, from the run id, the cycle, the symbol and the leg). `side`: +1 buy, -1 sell.
   */
  appendFill(
    timestamp: string,
    cycle: number,
    symbol: string,
    side: number,
    quantity: number,
    fill: Readonly<FillFigures>,
    runId: string,
    leg: OrderLeg,
  ): void {
    const row = this.write(
      timestamp,
      cycle,
      symbol,
      side === 1 ? 'buy' : 'sell',
      quantity,
      fill.priceUsd,
      fill.referencePriceUsd,
      fill.commissionUsd,
      fill.slippageUsd,
    );
    // Ids are made when read, from the run id of the log's first fill; a fill of another run
    // gets its id now (else reading it would give it the first run's).
    if (this.runId === undefined) this.runId = runId;
    if (runId === this.runId) this.legs.set(row, LEGS[leg]);
    else {
      this.legs.set(row, -1);
      this.ids.set(row, clientOrderIdFor(runId, cycle, symbol, leg));
    }
  }

  private runId: string | undefined;

  /** Records one trade (the record itself is not kept). */
  append(trade: TradeRecord): void {
    const row = this.write(
      trade.timestamp,
      trade.cycle,
      trade.symbol,
      trade.side,
      trade.quantity,
      trade.priceUsd,
      trade.referencePriceUsd,
      trade.commissionUsd,
      trade.slippageUsd,
    );
    this.legs.set(row, -1);
    this.ids.set(row, trade.clientOrderId);
  }

  private write(
    timestamp: string,
    cycle: number,
    symbolName: string,
    side: OrderSide,
    quantity: number,
    priceUsd: number,
    referencePriceUsd: number,
    commissionUsd: number,
    slippageUsd: number,
  ): number {
    const row = this.rows++;
    const numbers = this.numbers;
    numbers.set(row, quantity, 0);
    numbers.set(row, priceUsd, 1);
    numbers.set(row, referencePriceUsd, 2);
    numbers.set(row, commissionUsd, 3);
    numbers.set(row, slippageUsd, 4);
    let symbol = this.symbolIndex.get(symbolName);
    if (symbol === undefined) {
      symbol = this.symbols.length;
      this.symbols.push(symbolName);
      this.symbolIndex.set(symbolName, symbol);
    }
    // A step's fills share their instant: a new one is added only when it changes.
    if (this.timestamps[this.timestamps.length - 1] !== timestamp) this.timestamps.push(timestamp);
    const refs = this.refs;
    refs.set(row, cycle, 0);
    refs.set(row, symbol, 1);
    refs.set(row, this.timestamps.length - 1, 2);
    refs.set(row, side === 'buy' ? 0 : 1, 3);
    return row;
  }

  /** Trade `row` (0-based, in recording order). */
  at(row: number): TradeRecord {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows)
      throw new RangeError(`trade ${row} of ${this.rows}`);
    const { numbers, refs } = this;
    return {
      timestamp: this.timestamps[refs.get(row, 2)] as string,
      cycle: refs.get(row, 0),
      symbol: this.symbols[refs.get(row, 1)] as string,
      side: refs.get(row, 3) === 0 ? 'buy' : 'sell',
      quantity: numbers.get(row, 0),
      priceUsd: numbers.get(row, 1),
      referencePriceUsd: numbers.get(row, 2),
      commissionUsd: numbers.get(row, 3),
      slippageUsd: numbers.get(row, 4),
      clientOrderId: this.clientOrderIdOf(row),
    };
  }

  private clientOrderIdOf(row: number): string {
    const leg = this.legs.get(row);
    if (leg < 0) return this.ids.get(row) as string;
    return clientOrderIdFor(
      this.runId as string,
      this.refs.get(row, 0),
      this.symbols[this.refs.get(row, 1)] as string,
      LEG_NAMES[leg] as OrderLeg,
    );
  }

  *[Symbol.iterator](): Iterator<TradeRecord> {
    for (let row = 0; row < this.rows; row++) yield this.at(row);
  }

  /** Every trade as a record. */
  toArray(): TradeRecord[] {
    const out = new Array<TradeRecord>(this.rows);
    for (let row = 0; row < this.rows; row++) out[row] = this.at(row);
    return out;
  }
}
