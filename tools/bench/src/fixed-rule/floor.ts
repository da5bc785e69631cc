import { ruleTargetShares, INVESTED, smaRule } from './sma-rule';

/** A market as plain columns: per symbol open and close, one entry per session. */
export interface FloorMarket {
  readonly open: readonly Float64Array[];
  readonly close: readonly Float64Array[];
  /** Sessions in every series. */
  readonly sessions: number;
}

/** What a run of the fixed rule did. */
export interface RuleRun {
  readonly trades: number;
  readonly finalEquityUsd: number;
  /** FNV-1a over (session, symbol, signed shares, price) of every trade, in order. */
  readonly tradesHash: string;
}

/** FNV-1a 32-bit over numbers, for comparing trade lists without keeping them. */
export class TradeHash {
  private h = 0x811c9dc5;
  add(x: number): void {
    const s = String(x);
    for (let i = 0; i < s.length; i++) {
      this.h ^= s.charCodeAt(i);
      this.h = Math.imul(this.h, 0x01000193) >>> 0;
    }
    this.h ^= 44;
    this.h = Math.imul(this.h, 0x01000193) >>> 0;
  }
  digest(): string {
    return this.h.toString(16).padStart(8, '0');
  }
}

/**
 * The floor of the engine benchmark: the fixed rule traded by a plain typed-array loop, with no
 * engine. At each session t from `first` the book is valued at the closes, targets are
 * `trunc(equity × 0.9/N / close)` while SMA 20 > SMA 60, and orders fill at session t+1's open,
 * sells before buys, `commissionPerShareUsd` a share. The last session is only marked.
 */
export function runFloor(
  market: FloorMarket,
  first: number,
  initialCashUsd: number,
  commissionPerShareUsd: number,
): RuleRun {
  const n = market.close.length;
  const rules = market.close.map((c) => smaRule(c));
  const held = new Float64Array(n);
  const delta = new Float64Array(n);
  const weight = INVESTED / n;
  let cash = initialCashUsd;
  let trades = 0;
  const hash = new TradeHash();
  const last = market.sessions - 1;
  for (let t = first; t < last; t++) {
    let equity = cash;
    for (let s = 0; s < n; s++)
      equity += (held[s] as number) * ((market.close[s] as Float64Array)[t] as number);
    for (let s = 0; s < n; s++) {
      const close = (market.close[s] as Float64Array)[t] as number;
      const target = ruleTargetShares((rules[s] as Uint8Array)[t] === 1, equity, weight, close);
      delta[s] = target - (held[s] as number);
    }
    // Sells first, then buys, at the next session's open.
    for (let pass = 0; pass < 2; pass++) {
      for (let s = 0; s < n; s++) {
        const d = delta[s] as number;
        if (d === 0 || (pass === 0) !== d < 0) continue;
        const open = (market.open[s] as Float64Array)[t + 1] as number;
        const shares = Math.abs(d);
        cash -= Math.sign(d) * shares * open + commissionPerShareUsd * shares;
        held[s] = (held[s] as number) + d;
        trades++;
        hash.add(t + 1);
        hash.add(s);
        hash.add(d);
        hash.add(open);
      }
    }
  }
  let equity = cash;
  for (let s = 0; s < n; s++)
    equity += (held[s] as number) * ((market.close[s] as Float64Array)[last] as number);
  return { trades, finalEquityUsd: equity, tradesHash: hash.digest() };
}
