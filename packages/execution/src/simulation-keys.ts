import { z } from 'zod';

/**
 * The spec's keys for a simulated venue (pipeline config 9.2): the {@link SimBroker}'s starting
 * cash and cost assumption, as the trader (broker `sim`) and the backtest take them.
 */
export const simulationKeys = {
  initial_capital: z
    .number()
    .gt(0)
    .max(1e12)
    .default(1_000_000)
    .describe('Starting cash of a simulated account, in USD (spec 9.2), in (0, 1e12].'),
  costs_bps: z
    .number()
    .min(0)
    .max(1000)
    .default(5)
    .describe('Trading cost assumption, in basis points per fill (spec 9.2), in [0, 1000].'),
};
