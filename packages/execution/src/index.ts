/**
 * @packageDocumentation
 * The trading engine (rebalance, order transitions, buying power, reconciliation), the simulated broker and alerts. Backtests and live trading run this same code.
 */
export {};
