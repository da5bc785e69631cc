import { ValidationError, assertPositive } from '@quantpipe/core';
import { resolveSizingConfig, type SizingConfig } from './sizing-config';
import { sizeSharesInto, type SizingTotals, type SizingTraceSink } from './size-shares';

/** One symbol to size: its composite signal and the market inputs the spec fetches from the API. */
export interface SizingEntry {
  /** Ticker; must be unique within one call. */
  readonly symbol: string;
  /** Composite signal (any real number; `tanh(2 * signal)` maps it into [-1, 1]). */
  readonly compositeSignal: number;
  /** Last close in USD, > 0. */
  readonly price: number;
  /** Mean volume of the last 20 daily bars, in shares, >= 0. */
  readonly adv20: number;
  /** Multiplier on the signal strength (the spec's `<symbol>_confidence`), >= 0; default 1. */
  readonly confidence?: number;
}

/** Which constraint determined a symbol's target. */
export type SizingBinding = 'none' | 'liquidity' | 'position' | 'leverage';

/** Every intermediate value of one symbol's sizing, in the spec's order. */
export interface SymbolSizingTrace {
  /** `tanh(compositeSignal * 2)`. */
  readonly signalStrength: number;
  /** Confidence used (1 when not given). */
  readonly confidence: number;
  /** `signalStrength * confidence`. */
  readonly adjustedStrength: number;
  /** `min_leverage + (max_leverage - min_leverage) * |adjustedStrength|`. */
  readonly leverage: number;
  /** `sign(adjustedStrength) * leverage` (0 when the strength is 0). */
  readonly signedLeverage: number;
  /** `equityUsd * signedLeverage * max_position_size`. */
  readonly targetNotionalUsd: number;
  /** `trunc(targetNotionalUsd / price)`. */
  readonly rawShares: number;
  /** `trunc(adv20 * max_adv_pct)`. */
  readonly maxSharesLiquidity: number;
  /** `trunc(equityUsd * max_position_size * max_leverage / price)`. */
  readonly maxSharesPortfolio: number;
  /** `min(maxSharesPortfolio, maxSharesLiquidity)`. */
  readonly maxShares: number;
  /** `clip(rawShares, -maxShares, maxShares)`. */
  readonly sharesBeforeScale: number;
  /** The spec's warning condition: `|rawShares| > maxSharesLiquidity`. */
  readonly liquidityBinding: boolean;
  /** Which cap clipped the raw shares, if any (`liquidity` when both caps are equal). */
  readonly clippedBy: 'liquidity' | 'position' | null;
  /** Final target after the portfolio leverage scaling. */
  readonly finalShares: number;
  /** The constraint that determined `finalShares` last. */
  readonly binding: SizingBinding;
}

/** Portfolio-level part of the trace. */
export interface PortfolioSizingTrace {
  /** `sum |sharesBeforeScale * price|` in USD. */
  readonly totalExposureUsd: number;
  /** `totalExposureUsd / equityUsd`. */
  readonly targetLeverage: number;
  /** Whether `targetLeverage > max_leverage` so every target was scaled. */
  readonly scaled: boolean;
  /** `max_leverage / targetLeverage` when scaled, else null. */
  readonly scaleFactor: number | null;
  /**
   * Shares removed after scaling because floating-point rounding left the scaled portfolio
   * above `max_leverage` (0 in all but pathological cases; the spec has no such step).
   */
  readonly repairShares: number;
}

/** Result of {@link computeTargetPositions}. */
export interface TargetPositions {
  /** Target share count per symbol (integers, truncated toward zero; never `-0`). */
  readonly targets: Record<string, number>;
  /** Per-symbol and portfolio intermediates. */
  readonly trace: {
    readonly symbols: Record<string, SymbolSizingTrace>;
    readonly portfolio: PortfolioSizingTrace;
  };
}

function validateEntry(entry: SizingEntry, index: number, seen: Set<string>): void {
  // The path is built only for an error: this runs for every symbol on every cycle.
  const at = (field: string): string => `entries[${index}].${field}`;
  if (typeof entry.symbol !== 'string' || entry.symbol.length === 0) {
    throw new ValidationError(at('symbol'), 'expected a non-empty string');
  }
  if (seen.has(entry.symbol)) {
    throw new ValidationError(at('symbol'), `duplicate symbol ${entry.symbol}`);
  }
  seen.add(entry.symbol);
  if (typeof entry.compositeSignal !== 'number' || !Number.isFinite(entry.compositeSignal)) {
    throw new ValidationError(
      at('compositeSignal'),
      `${entry.symbol}: expected a finite signal, got ${String(entry.compositeSignal)}`,
    );
  }
  if (!(typeof entry.price === 'number' && Number.isFinite(entry.price) && entry.price > 0))
    assertPositive(`${at('price')} (${entry.symbol})`, entry.price);
  if (typeof entry.adv20 !== 'number' || !Number.isFinite(entry.adv20) || entry.adv20 < 0) {
    throw new ValidationError(
      at('adv20'),
      `${entry.symbol}: expected a finite volume >= 0, got ${String(entry.adv20)}`,
    );
  }
  const c = entry.confidence;
  if (c !== undefined && (typeof c !== 'number' || !Number.isFinite(c) || c < 0)) {
    throw new ValidationError(
      at('confidence'),
      `${entry.symbol}: expected a finite number >= 0, got ${String(c)}`,
    );
  }
}

/**
 * The spec's liquidity-aware sizing (section 5.1): tanh signal strength, confidence,
 * dynamic leverage, the `max_adv_pct` liquidity cap, the per-position cap
 * `equity * max_position_size * max_leverage / price`, then one portfolio scaling when the
 * gross leverage exceeds `max_leverage`.
 *
 * Floating-point operations are done in the seed's order, and every share count is truncated
 * toward zero as Python's `int()` does, so the share counts equal the seed's exactly.
 * One addition to the seed: if rounding makes the scaled portfolio still exceed
 * `max_leverage` (the seed would send it), single shares are removed from the largest
 * exposures until it does not (reported as `trace.portfolio.repairShares`).
 *
 * @param entries symbols to size, in the order exposures are summed.
 * @param equityUsd account equity, > 0.
 * @param config spec-named keys; missing keys take the spec's defaults.
 * @throws ValidationError for a non-finite signal, non-positive price or equity, negative
 *   volume or confidence, or a duplicate symbol; ConfigError for a bad config value.
 */
export function computeTargetPositions(
  entries: readonly SizingEntry[],
  equityUsd: number,
  config: Partial<SizingConfig> = {},
): TargetPositions {
  const symbols: Record<string, MutableTrace> = {};
  const sized = sizeTargets(entries, equityUsd, config, symbols);
  for (const entry of entries) {
    const trace = symbols[entry.symbol];
    if (trace === undefined) continue;
    const finalShares = sized.targets[entry.symbol] ?? 0;
    trace.finalShares = finalShares;
    if (finalShares !== trace.sharesBeforeScale) trace.binding = 'leverage';
  }
  return {
    targets: sized.targets,
    trace: {
      symbols,
      portfolio: {
        totalExposureUsd: sized.totalExposureUsd,
        targetLeverage: sized.targetLeverage,
        scaled: sized.scaleFactor !== null,
        scaleFactor: sized.scaleFactor,
        repairShares: sized.repairShares,
      },
    },
  };
}

/**
 * The share targets of {@link computeTargetPositions} (the same computation, the same numbers)
 * without the trace: for callers sizing every cycle that do not report the intermediates.
 */
export function computeTargetShares(
  entries: readonly SizingEntry[],
  equityUsd: number,
  config: Partial<SizingConfig> = {},
): Record<string, number> {
  return sizeTargets(entries, equityUsd, config, undefined).targets;
}

type MutableTrace = { -readonly [K in keyof SymbolSizingTrace]: SymbolSizingTrace[K] };

/** The sizing itself, through {@link sizeSharesInto}; writes each symbol's trace when asked. */
function sizeTargets(
  entries: readonly SizingEntry[],
  equityUsd: number,
  config: Partial<SizingConfig>,
  traces: Record<string, MutableTrace> | undefined,
): {
  targets: Record<string, number>;
  totalExposureUsd: number;
  targetLeverage: number;
  scaleFactor: number | null;
  repairShares: number;
} {
  assertPositive('equityUsd', equityUsd);
  if (!Array.isArray(entries)) throw new ValidationError('entries', 'expected an array of entries');
  const cfg = resolveSizingConfig(config);
  const seen = new Set<string>();
  entries.forEach((e, i) => validateEntry(e, i, seen));
  const n = entries.length;
  const columns = {
    count: n,
    compositeSignal: entries.map((e) => e.compositeSignal),
    confidence: entries.map((e) => e.confidence ?? 1.0),
    priceUsd: entries.map((e) => e.price),
    adv20: entries.map((e) => e.adv20),
    describe: (i: number) => `entries[${i}]`,
  };
  const shares = new Float64Array(n);
  const totals: SizingTotals = {
    totalExposureUsd: 0,
    targetLeverage: 0,
    scaleFactor: Number.NaN,
    repairShares: 0,
  };
  const trace: SizingTraceSink | undefined =
    traces === undefined
      ? undefined
      : (
          i,
          signalStrength,
          confidence,
          adjustedStrength,
          leverage,
          signedLeverage,
          targetNotionalUsd,
          rawShares,
          maxSharesLiquidity,
          maxSharesPortfolio,
          maxShares,
          sharesBeforeScale,
        ) => {
          let clippedBy: SymbolSizingTrace['clippedBy'] = null;
          if (Math.abs(rawShares) > maxShares) {
            clippedBy = maxSharesLiquidity <= maxSharesPortfolio ? 'liquidity' : 'position';
          }
          traces[(entries[i] as SizingEntry).symbol] = {
            signalStrength,
            confidence,
            adjustedStrength,
            leverage,
            signedLeverage,
            targetNotionalUsd,
            rawShares,
            maxSharesLiquidity,
            maxSharesPortfolio,
            maxShares,
            sharesBeforeScale,
            liquidityBinding: Math.abs(rawShares) > maxSharesLiquidity,
            clippedBy,
            finalShares: sharesBeforeScale,
            binding: clippedBy ?? 'none',
          };
        };
  sizeSharesInto(columns, equityUsd, cfg, shares, totals, trace);
  const targets: Record<string, number> = {};
  for (let i = 0; i < n; i++) targets[(entries[i] as SizingEntry).symbol] = shares[i] as number;
  return {
    targets,
    totalExposureUsd: totals.totalExposureUsd,
    targetLeverage: totals.targetLeverage,
    scaleFactor: Number.isNaN(totals.scaleFactor) ? null : totals.scaleFactor,
    repairShares: totals.repairShares,
  };
}
