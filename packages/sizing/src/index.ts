/**
 * @packageDocumentation
 * Liquidity-aware target positions and adaptive position decay.
 */
export {
  sizingConfigKeys,
  sizingConfigSchema,
  sizingConfigIssues,
  DEFAULT_SIZING_CONFIG,
  resolveSizingConfig,
} from './sizing-config';
export type { SizingConfig } from './sizing-config';
export { computeTargetPositions, computeTargetShares } from './target-positions';
export { sizeSharesInto } from './size-shares';
export type { SizingColumns, SizingTotals, SizingTraceSink } from './size-shares';
export type {
  SizingEntry,
  SizingBinding,
  SymbolSizingTrace,
  PortfolioSizingTrace,
  TargetPositions,
} from './target-positions';
export { AdaptiveDecay, adaptiveDecayPositions, decayStepInto } from './adaptive-decay';
export type {
  AdaptiveDecayOptions,
  AdaptiveDecayState,
  AdaptiveDecayStep,
  DecayedPositions,
  DecayStepOutput,
} from './adaptive-decay';
