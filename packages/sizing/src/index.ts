/**
 * @packageDocumentation
 * Liquidity-aware target positions and adaptive position decay.
 */
export {};
