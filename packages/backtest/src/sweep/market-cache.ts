import type { MarketData } from '@quantpipe/core';
import { CsvHistory } from '@quantpipe/data-adapters';
import type { BacktestConfig } from '../config/backtest-config';
import type { LoadedMarket } from '../data/loaded-market';
import { loadMarket, settleMarket, type OpenedMarket } from '../data/open-market';

/** Markets kept at most (loaded and settled each); the oldest is dropped first. */
const MAX_ENTRIES = 16;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  return value;
}

/** What the bars loaded for a config depend on (not the traded period, for synthetic data). */
function loadKey(config: BacktestConfig): string {
  const common = [config.source, config.symbols, config.benchmark ?? null, config.hybrid];
  if (config.source === 'synthetic') return JSON.stringify([...common, config.synthetic]);
  // External sources load from `start` less the warm-up to `end`.
  return JSON.stringify([
    ...common,
    config.csv_dir ?? null,
    config.cache_url ?? null,
    config.alpaca_data_url ?? null,
    config.alpaca_feed,
    config.start ?? null,
    config.end ?? null,
    config.warmup_sessions,
  ]);
}

/** What an opened market depends on: its bars, its period and the data checks. */
function openKey(config: BacktestConfig): string {
  return JSON.stringify([
    loadKey(config),
    config.start ?? null,
    config.end ?? null,
    config.warmup_sessions,
    config.max_price_jump,
    config.implausible_bars,
  ]);
}

/**
 * Opened markets of one worker, for its jobs: the synthetic generator is deterministic, so a
 * market is generated once and settled once per traded period; a CSV folder is read once
 * (one `CsvHistory` per folder). A job gets exactly the market `openMarket` would give it.
 */
export class MarketCache {
  readonly #loaded = new Map<string, Promise<LoadedMarket>>();
  readonly #opened = new Map<string, OpenedMarket>();
  readonly #csv = new Map<string, MarketData>();

  /** The market of `config`, from the cache when an earlier job had the same. */
  async open(config: BacktestConfig): Promise<OpenedMarket> {
    const key = openKey(config);
    const hit = this.#opened.get(key);
    if (hit) return hit;
    const lk = loadKey(config);
    let loading = this.#loaded.get(lk);
    if (!loading) {
      loading = loadMarket(config, { csv: (dir) => this.#csvSource(dir) });
      remember(this.#loaded, lk, loading);
      // A failed load is not kept: the next job tries again.
      loading.catch(() => this.#loaded.delete(lk));
    }
    const opened = settleMarket(config, await loading);
    return remember(this.#opened, key, opened);
  }

  #csvSource(directory: string): MarketData {
    return this.#csv.get(directory) ?? remember(this.#csv, directory, new CsvHistory(directory));
  }
}
