/**
 * @packageDocumentation
 * Liquidity-aware target positions and adaptive position decay.
 */
export { DEFAULT_SIZING_CONFIG, resolveSizingConfig } from './sizing-config';
export type { SizingConfig } from './sizing-config';
export { computeTargetPositions, computeTargetShares } from './target-positions';
export type {
  SizingEntry,
  SizingBinding,
  SymbolSizingTrace,
  PortfolioSizingTrace,
  TargetPositions,
} from './target-positions';
export { AdaptiveDecay, adaptiveDecayPositions } from './adaptive-decay';
export type {
  AdaptiveDecayOptions,
  AdaptiveDecayState,
  AdaptiveDecayStep,
  DecayedPositions,
} from './adaptive-decay';
