import type { OpsSnapshot } from './ops-state';

/** The `/healthz` verdict. */
export interface HealthReport {
  readonly ok: boolean;
  readonly checks: {
    readonly schedule: { readonly ok: boolean; readonly detail: string };
    readonly broker: { readonly ok: boolean; readonly detail: string };
  };
}

/**
 * Healthy while the broker is reachable and the next cycle is not overdue: a cycle that should
 * have started more than `graceMs` ago (stuck in a cycle, or the loop died) is a failure.
 */
export function healthOf(snapshot: OpsSnapshot, nowMs: number, graceMs: number): HealthReport {
  let schedule: { ok: boolean; detail: string };
  if (snapshot.phase === 'stopped') schedule = { ok: false, detail: 'trader stopped' };
  else if (snapshot.nextCycleAt === null) schedule = { ok: true, detail: 'starting' };
  else {
    const dueMs = Date.parse(snapshot.nextCycleAt);
    const lateMs = nowMs - dueMs;
    schedule =
      lateMs > graceMs
        ? {
            ok: false,
            detail: `cycle due at ${snapshot.nextCycleAt} is ${Math.round(lateMs / 1000)} s overdue`,
          }
        : { ok: true, detail: `next cycle at ${snapshot.nextCycleAt}` };
  }
  const broker = snapshot.brokerConnected
    ? { ok: true, detail: `${snapshot.broker} reachable` }
    : {
        ok: false,
        detail: `${snapshot.broker} unreachable${snapshot.lastBrokerError ? `: ${snapshot.lastBrokerError.message}` : ''}`,
      };
  return { ok: schedule.ok && broker.ok, checks: { schedule, broker } };
}
