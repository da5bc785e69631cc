import type { CycleStatus } from '../cycle-report';

/**
 * A cycle's final status once its orders are done, for both drivers: `halted` when the kill
 * switch is tripped; `idle` when a cycle planned to trade sent no order (so a summary never
 * says `traded` for a cycle that did nothing); else the planned status.
 */
export function finalCycleStatus(
  planned: CycleStatus,
  tripped: boolean,
  ordersSent: number,
): CycleStatus {
  if (tripped) return 'halted';
  if (planned === 'traded' && ordersSent === 0) return 'idle';
  return planned;
}

/**
 * Why an `idle` cycle sent nothing: nothing to trade, every trade inside the no-trade band
 * (`tradesBanded` of them), or every leg skipped or refused. Other statuses keep `reason`.
 */
export function finalCycleReason(
  status: CycleStatus,
  reason: string | undefined,
  legsPlanned: number,
  legsSkipped: number,
  tradesBanded = 0,
): string | undefined {
  if (status !== 'idle' || reason !== undefined) return reason;
  if (legsPlanned === 0)
    return tradesBanded > 0
      ? `no orders: ${tradesBanded} trade(s) inside the no-trade band, the rest at their targets`
      : 'no orders: every position is at its target';
  return `no order sent: ${legsSkipped} of ${legsPlanned} planned skipped, ${legsPlanned - legsSkipped} refused`;
}
