/** {@link bandKindOf}: the trade goes. */
export const BAND_NONE = 0;
/** {@link bandKindOf}: worth less than `min_trade_notional_usd`. */
export const BAND_NOTIONAL = 1;
/** {@link bandKindOf}: its expected edge does not exceed its estimated cost. */
export const BAND_COST_BENEFIT = 2;

/** Why a trade inside the no-trade band keeps the held position, by band kind. */
export const SKIP_BAND_NOTIONAL = 'no-trade band: trade worth less than min_trade_notional_usd';
export const SKIP_BAND_COST_BENEFIT =
  'no-trade band: expected edge does not exceed the estimated cost';

/** The skip reason of band kind `kind` ('' for {@link BAND_NONE}). */
export function bandReason(kind: number): string {
  return kind === BAND_NOTIONAL
    ? SKIP_BAND_NOTIONAL
    : kind === BAND_COST_BENEFIT
      ? SKIP_BAND_COST_BENEFIT
      : '';
}

/**
 * The spec's signal strength of a composite (5.1 steps 1–2): `tanh(2 × composite) ×
 * confidence`, in [-1, 1]; 0 for a non-finite input (no edge is claimed for it).
 */
export function signalStrength(composite: number, confidence: number): number {
  const s = Math.tanh(2 * composite) * confidence;
  return Number.isFinite(s) ? s : 0;
}

/**
 * The expected edge of a trade, in USD: its notional times the return the signal promises on
 * it over the holding horizon,
 *
 *     expectedEdgeUsd = |target − held| × priceUsd × |strength| × expectedEdgeBps / 10 000
 *
 * where `strength` is {@link signalStrength} of the composite the target was sized from and
 * `expectedEdgeBps` (the `expected_edge_bps` key) is the return of a full-strength signal
 * (|strength| = 1). A trade toward the target is credited the target's edge on the shares it
 * moves, whichever way they go.
 */
export function expectedEdgeUsd(
  deltaShares: number,
  priceUsd: number,
  strength: number,
  expectedEdgeBps: number,
): number {
  return Math.abs(deltaShares) * priceUsd * Math.abs(strength) * (expectedEdgeBps / 10_000);
}

/**
 * Which no-trade band, if any, keeps the held position instead of trading to `targetShares`:
 * {@link BAND_NOTIONAL} for a trade worth less than `minNotionalUsd`, else
 * {@link BAND_COST_BENEFIT} when the cost-benefit band is on (`expectedEdgeBps > 0`) and the
 * trade's expected edge does not exceed its estimated cost, else {@link BAND_NONE}. An exit to
 * zero always goes (never kept for its cost), as does a trade of nothing.
 */
export function bandKindOf(
  targetShares: number,
  currentShares: number,
  priceUsd: number,
  minNotionalUsd: number,
  expectedEdgeBps: number,
  edgeUsd: number,
  costUsd: number,
): number {
  if (targetShares === 0 || targetShares === currentShares) return BAND_NONE;
  if (Math.abs(targetShares - currentShares) * priceUsd < minNotionalUsd) return BAND_NOTIONAL;
  if (expectedEdgeBps > 0 && !(edgeUsd > costUsd)) return BAND_COST_BENEFIT;
  return BAND_NONE;
}
