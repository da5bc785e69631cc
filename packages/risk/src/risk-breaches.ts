import type { RiskLimits } from './risk-limits';
import type { AlertedLimit } from './risk-monitor-state';
import type { RiskBreach, RiskMetrics } from './risk-verdict';

/** A check's breaches as bits: one per limit, so a check allocates nothing to find them. */
export const BREACH_DAILY_LOSS = 1;
export const BREACH_DRAWDOWN = 2;
export const BREACH_LEVERAGE = 4;

/** The breaches alerted once per episode (a drawdown breach's episode is its halt). */
export const EPISODE_BREACHES: readonly {
  readonly bit: number;
  readonly limit: AlertedLimit;
  readonly cleared: string;
}[] = [
  { bit: BREACH_DAILY_LOSS, limit: 'daily_loss', cleared: 'DAILY LOSS BACK WITHIN LIMIT' },
  { bit: BREACH_LEVERAGE, limit: 'leverage', cleared: 'LEVERAGE BACK WITHIN LIMIT' },
];

export const bitOf = (limit: RiskBreach['limit']): number =>
  limit === 'daily_loss'
    ? BREACH_DAILY_LOSS
    : limit === 'leverage'
      ? BREACH_LEVERAGE
      : BREACH_DRAWDOWN;

export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The alert text of a limit's measured value against its threshold. */
export function breachMessage(
  limit: RiskBreach['limit'],
  m: RiskMetrics,
  limits: RiskLimits,
): string {
  if (limit === 'leverage') {
    return `Leverage: ${m.leverage.toFixed(2)}x (limit ${limits.maxLeverage.toFixed(2)}x)`;
  }
  if (limit === 'daily_loss') {
    return `Daily P&L: ${pct(m.dailyPnlPct)} (limit ${pct(limits.maxDailyLoss)})`;
  }
  return m.drawdownReferenceUsd < m.overallPeakUsd
    ? `Drawdown: ${pct(m.limitDrawdown)} from the resume level (${pct(m.drawdown)} from the high-water mark; limit ${pct(limits.maxDrawdown)})`
    : `Drawdown: ${pct(m.limitDrawdown)} (limit ${pct(limits.maxDrawdown)})`;
}

/**
 * The breaches of a check's `mask` (BREACH_* bits), a drawdown breach first: its halt outlasts
 * the session, so it is the one that names the kill switch's trip.
 */
export function breachesOf(mask: number, m: RiskMetrics, limits: RiskLimits): RiskBreach[] {
  const breaches: RiskBreach[] = [];
  if (mask & BREACH_DRAWDOWN) {
    breaches.push({
      limit: 'drawdown',
      value: m.limitDrawdown,
      threshold: limits.maxDrawdown,
      severity: 'CRITICAL',
      title: 'MAX DRAWDOWN BREACHED',
      message: breachMessage('drawdown', m, limits),
    });
  }
  if (mask & BREACH_DAILY_LOSS) {
    breaches.push({
      limit: 'daily_loss',
      value: m.dailyPnlPct,
      threshold: limits.maxDailyLoss,
      severity: 'CRITICAL',
      title: 'DAILY LOSS LIMIT BREACHED',
      message: breachMessage('daily_loss', m, limits),
    });
  }
  if (mask & BREACH_LEVERAGE) {
    breaches.push({
      limit: 'leverage',
      value: m.leverage,
      threshold: limits.maxLeverage,
      severity: 'WARNING',
      title: 'LEVERAGE EXCEEDED',
      message: breachMessage('leverage', m, limits),
    });
  }
  return breaches;
}
