import { z } from 'zod';
import type { CommissionModel } from './sim-account';

/**
 * The keys of a simulated venue (pipeline config 9.2 and the account's own): the starting cash,
 * the cost assumption, and the account a real broker would give — cash or Reg-T margin, margin
 * interest and short-borrow fees, and the commission model. The trader (broker `sim`) and the
 * backtest take them alike; {@link simAccountOf} turns them into the venue's options.
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
  account_type: z
    .enum(['margin', 'cash'])
    .default('margin')
    .describe(
      'The simulated account: margin (buying power margin_multiplier × equity, shorts allowed) or cash (buying power = equity, no shorts).',
    ),
  margin_multiplier: z
    .number()
    .min(1)
    .max(4)
    .default(2)
    .describe(
      "A margin account's buying power as a multiple of equity (minus the gross exposure held): 2 is Reg-T overnight, as Alpaca's and IBKR's margin accounts; in [1, 4].",
    ),
  margin_interest_rate: z
    .number()
    .min(0)
    .max(0.5)
    .default(0.06)
    .describe(
      'Annual interest on the cash debit of a margin account, accrued daily (calendar days, actual/360) and charged at each session, in [0, 0.5].',
    ),
  short_borrow_rate: z
    .number()
    .min(0)
    .max(1)
    .default(0.003)
    .describe(
      'Annual fee on the market value of short positions (easy-to-borrow names), accrued daily as the interest, in [0, 1].',
    ),
  commission_model: z
    .enum(['per_share', 'percent', 'zero'])
    .default('per_share')
    .describe(
      'Commissions: per_share (commission_per_share_usd, at least commission_min_usd, at most commission_max_pct of the notional: IBKR fixed), percent (commission_pct of the notional) or zero (Alpaca).',
    ),
  commission_per_share_usd: z
    .number()
    .min(0)
    .max(1)
    .default(0.005)
    .describe('Commission per share (per_share model), in USD, in [0, 1].'),
  commission_min_usd: z
    .number()
    .min(0)
    .max(100)
    .default(1)
    .describe('Minimum commission per order (per_share model), in USD, in [0, 100].'),
  commission_max_pct: z
    .number()
    .min(0)
    .max(1)
    .default(0.01)
    .describe(
      'Maximum commission per order as a fraction of its notional (per_share model), in [0, 1].',
    ),
  commission_pct: z
    .number()
    .min(0)
    .max(0.05)
    .default(0.0005)
    .describe('Commission as a fraction of the notional (percent model), in [0, 0.05].'),
};

/** The simulation keys after defaults. */
export type SimulationConfig = z.output<z.ZodObject<typeof simulationKeys>>;

/** The account part of a simulated venue's options (see `SimVenueOptions`). */
export interface SimAccount {
  readonly allowShort: boolean;
  readonly marginMultiplier: number;
  readonly marginInterestRate: number;
  readonly shortBorrowRate: number;
  readonly commission: CommissionModel;
}

/** The venue options the simulation keys stand for. */
export function simAccountOf(config: SimulationConfig): SimAccount {
  const cash = config.account_type === 'cash';
  const commission: CommissionModel =
    config.commission_model === 'zero'
      ? { kind: 'zero' }
      : config.commission_model === 'percent'
        ? { kind: 'percent', shareOfNotional: config.commission_pct }
        : {
            kind: 'per_share',
            perShareUsd: config.commission_per_share_usd,
            minUsd: config.commission_min_usd,
            maxShareOfNotional: config.commission_max_pct,
          };
  return {
    allowShort: !cash,
    marginMultiplier: cash ? 1 : config.margin_multiplier,
    // A cash account has no debit to charge; a short it cannot hold.
    marginInterestRate: cash ? 0 : config.margin_interest_rate,
    shortBorrowRate: cash ? 0 : config.short_borrow_rate,
    commission,
  };
}
