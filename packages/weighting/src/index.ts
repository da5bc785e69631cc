/**
 * @packageDocumentation
 * Correlation-aware signal weights, risk budgets and the hybrid daily/hourly composite.
 */
export {};
