import { grown } from './grown';
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
  private numbers: Float64Array;
  /** Per row: cycle, symbol index, instant index, side (0 buy, 1 sell). */
  private refs: Int32Array;
  /** Per row: the leg (0 adjust, 1 close, 2 open) its client order id is made from, or -1. */
  private legs: Int32Array;
  /** Client order ids given as strings (rows recorded with {@link TradeLog.append}). */
  private readonly ids = new Map<number, string>();
  private readonly symbols: string[] = [];
  private readonly symbolIndex = new Map<string, number>();
  private readonly timestamps: string[] = [];

  /** @param capacity trades to make room for up front. */
  constructor(capacity = 0) {
    this.numbers = new Float64Array(capacity * NUMBERS);
    this.refs = new Int32Array(capacity * 4);
    this.legs = new Int32Array(capacity);
  }

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
    if (runId === this.runId) this.legs[row] = LEGS[leg];
    else {
      this.legs[row] = -1;
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
    this.legs[row] = -1;
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
    if (this.rows > this.legs.length) {
      this.numbers = grown(this.numbers, this.rows, NUMBERS);
      this.refs = grown(this.refs, this.rows, 4);
      this.legs = grown(this.legs, this.rows);
    }
    const at = row * NUMBERS;
    this.numbers[at] = quantity;
    this.numbers[at + 1] = priceUsd;
    this.numbers[at + 2] = referencePriceUsd;
    this.numbers[at + 3] = commissionUsd;
    this.numbers[at + 4] = slippageUsd;
    let symbol = this.symbolIndex.get(symbolName);
    if (symbol === undefined) {
      symbol = this.symbols.length;
      this.symbols.push(symbolName);
      this.symbolIndex.set(symbolName, symbol);
    }
    // A step's fills share their instant: a new one is added only when it changes.
    if (this.timestamps[this.timestamps.length - 1] !== timestamp) this.timestamps.push(timestamp);
    const ref = row * 4;
    this.refs[ref] = cycle;
    this.refs[ref + 1] = symbol;
    this.refs[ref + 2] = this.timestamps.length - 1;
    this.refs[ref + 3] = side === 'buy' ? 0 : 1;
    return row;
  }

  /** Trade `row` (0-based, in recording order). */
  at(row: number): TradeRecord {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows)
      throw new RangeError(`trade ${row} of ${this.rows}`);
    const at = row * NUMBERS;
    const ref = row * 4;
    return {
      timestamp: this.timestamps[this.refs[ref + 2] as number] as string,
      cycle: this.refs[ref] as number,
      symbol: this.symbols[this.refs[ref + 1] as number] as string,
      side: this.refs[ref + 3] === 0 ? 'buy' : 'sell',
      quantity: this.numbers[at] as number,
      priceUsd: this.numbers[at + 1] as number,
      referencePriceUsd: this.numbers[at + 2] as number,
      commissionUsd: this.numbers[at + 3] as number,
      slippageUsd: this.numbers[at + 4] as number,
      clientOrderId: this.clientOrderIdOf(row),
    };
  }

  private clientOrderIdOf(row: number): string {
    const leg = this.legs[row] as number;
    if (leg < 0) return this.ids.get(row) as string;
    const ref = row * 4;
    return clientOrderIdFor(
      this.runId as string,
      this.refs[ref] as number,
      this.symbols[this.refs[ref + 1] as number] as string,
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
