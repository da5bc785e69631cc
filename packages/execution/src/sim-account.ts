import { ValidationError } from '@quantpipe/core';

/**
 * How a simulated venue charges commissions on a fill of `shares` at `priceUsd`:
 * - `per_share`: `perShareUsd × shares`, at least `minUsd`, at most `maxShareOfNotional` of the
 *   fill's notional (IBKR's fixed pricing: $0.005 a share, $1 minimum, 1 % maximum);
 * - `percent`: `shareOfNotional × shares × priceUsd`;
 * - `zero`: nothing (Alpaca).
 */
export type CommissionModel =
  | { readonly kind: 'zero' }
  | {
      readonly kind: 'per_share';
      readonly perShareUsd: number;
      readonly minUsd: number;
      /** Cap as a fraction of the notional; Infinity for none. */
      readonly maxShareOfNotional: number;
    }
  | { readonly kind: 'percent'; readonly shareOfNotional: number };

/** The commission of one fill under `model` (USD, >= 0). */
export function commissionOf(model: CommissionModel, shares: number, priceUsd: number): number {
  if (model.kind === 'zero') return 0;
  const notionalUsd = shares * priceUsd;
  if (model.kind === 'percent') return model.shareOfNotional * notionalUsd;
  const fee = Math.max(model.minUsd, model.perShareUsd * shares);
  return Math.min(fee, model.maxShareOfNotional * notionalUsd);
}

/** Throws a ValidationError naming the field when a commission model has a bad number. */
export function assertCommissionModel(model: CommissionModel): void {
  const bad = (field: string, value: number) => {
    throw new ValidationError(`commission.${field}`, `expected >= 0, got ${String(value)}`);
  };
  if (model.kind === 'percent' && !(model.shareOfNotional >= 0))
    bad('shareOfNotional', model.shareOfNotional);
  if (model.kind === 'per_share') {
    if (!(model.perShareUsd >= 0)) bad('perShareUsd', model.perShareUsd);
    if (!(model.minUsd >= 0)) bad('minUsd', model.minUsd);
    if (!(model.maxShareOfNotional >= 0)) bad('maxShareOfNotional', model.maxShareOfNotional);
  }
}

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/**
 * Calendar days from session `from` to session `to` (`YYYY-MM-DD`), the days a debit or a short
 * is carried over; 0 when `to` is not later.
 */
export function calendarDaysBetween(from: string, to: string): number {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
  return days > 0 ? days : 0;
}

/**
 * Financing of `days` calendar days on an actual/360 basis (as US brokers accrue): margin
 * interest on the cash debit and the borrow fee on the short market value, annual rates.
 */
export function financingOf(annualRate: number, balanceUsd: number, days: number): number {
  return balanceUsd > 0 && annualRate > 0 ? (balanceUsd * annualRate * days) / 360 : 0;
}
