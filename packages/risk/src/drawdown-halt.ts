import type { RiskLimits } from './risk-limits';

/**
 * The automatic end of a drawdown halt (`kill_switch_reset`): with `cooldown`, a halt that began
 * at session number `haltedSinceSession` ends at the first check of session number
 * `haltedSinceSession + cooldown_sessions`; with `never` only an operator ends it.
 */
export function cooldownEnded(
  limits: Pick<RiskLimits, 'killSwitchReset' | 'cooldownSessions'>,
  sessionCount: number,
  haltedSinceSession: number | null,
): boolean {
  return (
    limits.killSwitchReset === 'cooldown' &&
    haltedSinceSession !== null &&
    sessionCount - haltedSinceSession >= limits.cooldownSessions
  );
}

/**
 * The fraction of its sized targets the book trades at in session number `sessionCount` after
 * a resume at session number `resumedAtSession`: `j / scaleInSessions` in the j-th session
 * (j = 1 at the resume), 1 from the `scaleInSessions`-th on and when there was no resume.
 */
export function scaleInFraction(
  scaleInSessions: number,
  sessionCount: number,
  resumedAtSession: number | null,
): number {
  if (resumedAtSession === null) return 1;
  const j = sessionCount - resumedAtSession + 1;
  return j >= scaleInSessions ? 1 : Math.max(0, j) / scaleInSessions;
}
