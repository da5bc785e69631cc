import type { DecisionSchedule } from '@quantpipe/core';
import { crossSectionalNormalizeInto } from '@quantpipe/weighting';
import type { CompositeMarket, DailyCloseSeries } from './composite-market';
import {
  HYBRID_HOURLY_BARS,
  HYBRID_MIN_HOURLY_BARS,
  SIGNALS,
  hybridComposite,
} from './composite-steps';
import {
  resolveCompositeStrategyConfig,
  type CompositeStrategyConfig,
} from './composite-strategy-config';
import type { CompositeDecisionTable, CompositeSymbolFigures } from './precompute-composite';

/**
 * The 70/30 hybrid of symbol `s` at decision `d` on top of its daily composite `daily`, as the
 * stream computes it from the hourly bars visible then; undefined where it does not apply.
 */
export function hybridAtDecision(
  market: CompositeMarket,
  schedule: DecisionSchedule,
  s: number,
  d: number,
  daily: number,
): { composite: number; confidence: number } | undefined {
  const hourly = market.hourly?.[s];
  if (hourly === undefined || schedule.hourlyUsed?.[d] !== 1) return undefined;
  const n = market.symbols.length;
  const cell = d * n + s;
  const first = schedule.dailyFirst[s] as number;
  const t = Math.max(first, schedule.dailyEnd[cell] as number) - 1;
  const hFirst = schedule.hourlyFirst?.[s] as number;
  const hEnd = Math.max(hFirst, schedule.hourlyEnd?.[cell] as number);
  if (hEnd - hFirst < HYBRID_MIN_HOURLY_BARS) return undefined;
  const from = Math.max(hFirst, hEnd - HYBRID_HOURLY_BARS);
  return hybridComposite(
    daily,
    (market.daily[s] as DailyCloseSeries).timestamps[t] as string,
    hourly.high.subarray(from, hEnd),
    hourly.low.subarray(from, hEnd),
    hourly.close.subarray(from, hEnd),
    hourly.timestamps.slice(from, hEnd),
  );
}

/**
 * Finishes a table of a cross-sectional normalisation (`cross_sectional_z` or
 * `cross_sectional_rank`) once every symbol's columns are written: per decision and signal,
 * the raw values of the decided symbols (in symbol order, as the stream) are replaced by
 * their normalised values; the composite is the sum of the effective weights (left in
 * `contributions` by {@link precomputeCompositeSymbol}) times those values, then the hybrid.
 * Sets the symbols' hybrid flags in `figures`. A no-op for the other normalisations.
 */
export function normaliseCrossSection(
  config: Partial<CompositeStrategyConfig>,
  table: CompositeDecisionTable,
  figures: readonly CompositeSymbolFigures[],
  market: CompositeMarket,
  schedule: DecisionSchedule,
): CompositeDecisionTable {
  const cfg = resolveCompositeStrategyConfig(config);
  const mode = cfg.signal_normalization;
  if (mode !== 'cross_sectional_z' && mode !== 'cross_sectional_rank') return table;
  const n = table.symbols.length;
  const K = SIGNALS;
  const hybridOf: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(n);
  for (const f of figures) hybridOf[f.symbolIndex] = f.hybrid;
  const members = new Int32Array(n);
  const raw = new Float64Array(n);
  const normalised = new Float64Array(n);
  const order = new Int32Array(n);
  for (let d = 0; d < table.decisions; d++) {
    let m = 0;
    for (let s = 0; s < n; s++) if (table.decided[d * n + s] === 1) members[m++] = s;
    if (m === 0) continue;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < m; j++)
        raw[j] = table.signals[(d * n + (members[j] as number)) * K + k] as number;
      crossSectionalNormalizeInto(mode, raw.subarray(0, m), normalised, order);
      for (let j = 0; j < m; j++)
        table.signals[(d * n + (members[j] as number)) * K + k] = normalised[j] as number;
    }
    for (let j = 0; j < m; j++) {
      const s = members[j] as number;
      const cell = d * n + s;
      let daily = 0;
      for (let k = 0; k < K; k++) {
        const at = cell * K + k;
        const term = (table.contributions[at] as number) * (table.signals[at] as number);
        table.contributions[at] = term;
        daily += term;
      }
      const h = hybridAtDecision(market, schedule, s, d, daily);
      const flags = hybridOf[s];
      if (h && flags) flags[d] = 1;
      table.composite[cell] = h ? h.composite : daily;
      table.confidence[cell] = h ? h.confidence : 1;
    }
  }
  return table;
}
