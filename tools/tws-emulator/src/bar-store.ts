import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, type Bar } from '@quantpipe/core';
import { generateSyntheticMarket, type SyntheticMarketOptions } from '@quantpipe/data-adapters';

/** Bars the emulator serves, by symbol: daily bars dated `YYYY-MM-DD`, hourly ISO UTC. */
export interface BarStore {
  readonly daily: ReadonlyMap<string, readonly Bar[]>;
  readonly hourly: ReadonlyMap<string, readonly Bar[]>;
}

/** Whether the store knows a symbol (at any bar size). */
export function hasSymbol(store: BarStore, symbol: string): boolean {
  return store.daily.has(symbol) || store.hourly.has(symbol);
}

/**
 * The price market orders fill at: the close of the latest bar the store has for the symbol
 * (the later of its last daily and last hourly bar).
 */
export function latestClose(store: BarStore, symbol: string): number | undefined {
  const d = store.daily.get(symbol);
  const h = store.hourly.get(symbol);
  const lastDaily = d && d.length > 0 ? d[d.length - 1] : undefined;
  const lastHourly = h && h.length > 0 ? h[h.length - 1] : undefined;
  if (!lastDaily) return lastHourly?.close;
  if (!lastHourly) return lastDaily.close;
  // A daily bar covers its whole session: it is later than an hourly bar of the same date.
  return lastHourly.timestamp.slice(0, 10) > lastDaily.timestamp
    ? lastHourly.close
    : lastDaily.close;
}

/** Bars of the project's deterministic synthetic market (market index named `SPY` unless told). */
export function syntheticBarStore(options: SyntheticMarketOptions = {}): BarStore {
  const market = generateSyntheticMarket({ marketSymbol: 'SPY', ...options, includeHourly: true });
  return {
    daily: new Map(Object.entries(market.daily)),
    hourly: new Map(Object.entries(market.hourly ?? {})),
  };
}

const HEADER = 'timestamp,open,high,low,close,volume';

function parseCsv(path: string, symbol: string, daily: boolean): Bar[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if ((lines[0] ?? '').trim() !== HEADER) {
    throw new DataError(`${path}: expected header "${HEADER}"`);
  }
  const bars: Bar[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const cells = line.split(',');
    if (cells.length !== 6) throw new DataError(`${path}:${i + 1}: expected 6 columns`);
    const [open, high, low, close, volume] = cells.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (![open, high, low, close, volume].every(Number.isFinite)) {
      throw new DataError(`${path}:${i + 1}: non-numeric value`);
    }
    const raw = cells[0] as string;
    const t = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
    if (Number.isNaN(t)) throw new DataError(`${path}:${i + 1}: bad timestamp ${raw}`);
    const timestamp = daily ? raw.slice(0, 10) : new Date(t).toISOString().slice(0, 19) + 'Z';
    bars.push({ symbol, timestamp, open, high, low, close, volume });
  }
  bars.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  return bars;
}

/** Loads `<SYMBOL>_1d.csv` and `<SYMBOL>_1h.csv` files from a folder. */
export function csvBarStore(dir: string): BarStore {
  const daily = new Map<string, Bar[]>();
  const hourly = new Map<string, Bar[]>();
  for (const name of readdirSync(dir)) {
    const m = /^([A-Za-z0-9.^-]+)_(1d|1h)\.csv$/.exec(name);
    if (!m) continue;
    const symbol = m[1] as string;
    const isDaily = m[2] === '1d';
    (isDaily ? daily : hourly).set(symbol, parseCsv(join(dir, name), symbol, isDaily));
  }
  if (daily.size === 0 && hourly.size === 0) {
    throw new DataError(`${dir}: no <SYMBOL>_1d.csv or <SYMBOL>_1h.csv files`);
  }
  return { daily, hourly };
}
