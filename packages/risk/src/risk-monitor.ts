import {
  RiskBreachError,
  StateError,
  ValidationError,
  isIsoDate,
  isIsoUtcTimestamp,
  sessionDateOf,
  silentLogger,
} from '@quantpipe/core';
import type { Account, AlertSink, Logger, Position } from '@quantpipe/core';
import { deliverAlert } from './deliver-alert';
import { cooldownEnded, scaleInFraction } from './drawdown-halt';
import type { KillSwitch } from './kill-switch';
import { isExposureIncreasing } from './order-exposure';
import type { Holdings, ProposedOrder } from './order-exposure';
import { resolveRiskLimits } from './risk-limits';
import type { RiskLimits, RiskLimitsInput } from './risk-limits';
import { parseRiskMonitorState, type RiskMonitorState } from './risk-monitor-state';
import {
  BREACH_DAILY_LOSS,
  BREACH_DRAWDOWN,
  BREACH_LEVERAGE,
  EPISODE_BREACHES,
  bitOf,
  breachMessage,
  breachesOf,
  pct,
} from './risk-breaches';
import type {
  AllowsOrderOptions,
  OrderDecision,
  PositionSnapshot,
  RiskBreach,
  RiskCheckOptions,
  RiskMetrics,
  RiskMonitorOptions,
  RiskSnapshot,
  RiskVerdict,
} from './risk-verdict';

export type * from './risk-verdict';
export type { RiskMonitorState, AlertedLimit } from './risk-monitor-state';

/** `n / d`, defined for a non-positive denominator: -Infinity for a loss, else 0 (conservative). */
function ratio(n: number, d: number): number {
  if (d > 0) return n / d;
  return n < 0 ? -Infinity : 0;
}

function finite(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(argument, `expected a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * The spec's real-time risk monitor (6.2), fixed and made explicit. Each {@link RiskMonitor.check}
 * of an account snapshot and its positions measures:
 *
 * - **daily loss** `dailyPnlUsd / dailyPeakUsd` against `max_daily_loss` (breach when strictly below).
 *   The daily P&L is `account.dailyPnlUsd` when the venue reports it, else
 *   `equityUsd - lastEquityUsd` (the previous close), else `equityUsd` minus the equity of the
 *   session's first snapshot. The daily peak is the highest portfolio value of the current
 *   session and **resets at each new session** (America/New_York date): the seed sets it once and
 *   never resets it, which is a bug.
 * - **drawdown** from the high-water mark (the highest portfolio value ever seen, never re-based)
 *   against `max_drawdown` (strictly below). The limit is measured from the drawdown reference,
 *   which is the high-water mark until a resume re-bases it (the end of a cooldown, or an
 *   operator's {@link RiskMonitor.acknowledgeLosses}, each alerted) and rises with new highs.
 * - **leverage** `sum |marketValueUsd| / equityUsd` against `max_leverage` (strictly above). The seed
 *   reports 0 when equity <= 0; here open exposure on non-positive equity is Infinity (a breach).
 *
 * Unlike the seed, which returns False at the first breach, every limit is evaluated and all
 * breaches are reported. A breach is alerted once per episode (when it starts, and when it clears;
 * see {@link RiskMonitorOptions.alertRepeats}; a drawdown breach once per halt); a CRITICAL
 * one (daily loss, drawdown) trips the wired {@link KillSwitch}, a drawdown breach naming itself
 * first. Any breach blocks new exposure ({@link RiskMonitor.allowsOrder}). A drawdown breach
 * starts a halt and requests `onLossBreach` ('flatten' by default, 'reduce' once, or 'block'); a
 * daily-loss breach only halts (the engine releases it at the next session). A halt ends by an
 * operator's resume, or with `kill_switch_reset: cooldown` at the first check of the session
 * `cooldown_sessions` after it began: the switch is released, the drawdown reference re-based to
 * the value then, and {@link RiskVerdict.exposureScale} scales the book back in.
 */
export class RiskMonitor {
  /** The resolved limits. */
  readonly limits: RiskLimits;
  private readonly alertSink: AlertSink | undefined;
  private readonly alertEveryCheck: boolean;
  /** The daily-loss and leverage breaches alerted and not yet cleared (BREACH_* bits). */
  private alertedMask = 0;
  private readonly killSwitch: KillSwitch | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;
  private overallPeakUsd: number | null = null;
  private dailyPeakUsd: number | null = null;
  private sessionDate: string | null = null;
  private sessionStartEquityUsd: number | null = null;
  private lastCheckAt: string | null = null;
  private blocksExposure = false;
  private reductionRequired = false;
  private drawdownReferenceUsd: number | null = null;
  /** Sessions checked so far (a session's number is the count after its first check). */
  private sessionCount = 0;
  private haltedSinceSession: number | null = null;
  private resumedAtSession: number | null = null;
  /** The last measure ended a halt. */
  private resumedNow = false;
  /** The alert of that resume (sent by the check's conclusion, which knows its time). */
  private resumeAlert = '';
  private exposureScale = 1;
  /** The last `asOf` validated and its session date. */
  private lastParsed: { readonly timestamp: string; readonly sessionDate: string } | undefined;
  /** The figures of the last measured snapshot (reused: a check before every order). */
  private readonly measured: { -readonly [K in keyof RiskMetrics]: RiskMetrics[K] } = {
    portfolioValueUsd: 0,
    equityUsd: 0,
    dailyPnlUsd: 0,
    dailyPnlSource: 'session_start',
    dailyPnlPct: 0,
    dailyPeakUsd: 0,
    overallPeakUsd: 0,
    drawdown: 0,
    drawdownReferenceUsd: 0,
    limitDrawdown: 0,
    grossExposureUsd: 0,
    leverage: 0,
  };

  /** Validates `limits` (spec defaults for the missing ones); throws a ConfigError naming a bad key. */
  constructor(limits: RiskLimitsInput = {}, options: RiskMonitorOptions = {}) {
    this.limits = Object.freeze(resolveRiskLimits(limits));
    this.alertSink = options.alertSink;
    const repeats = options.alertRepeats ?? 'episode';
    if (repeats !== 'episode' && repeats !== 'every_check')
      throw new ValidationError(
        'alertRepeats',
        `expected 'episode' or 'every_check', got ${String(repeats)}`,
      );
    this.alertEveryCheck = repeats === 'every_check';
    this.killSwitch = options.killSwitch;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  /**
   * Checks one snapshot, updates the peaks, alerts, trips the kill switch if needed. The gross
   * exposure is summed from `positions`, or taken from `account.grossExposureUsd` when
   * `positions` is omitted (a ValidationError if the account has none).
   */
  check(
    account: Account,
    positions?: PositionSnapshot,
    options: RiskCheckOptions = {},
  ): RiskVerdict {
    const portfolioValueUsd = finite('account.portfolioValueUsd', account.portfolioValueUsd);
    const equityUsd = finite('account.equityUsd', account.equityUsd);
    const timestamp = options.asOf ?? account.timestamp ?? new Date(this.now()).toISOString();
    const sessionDate = this.sessionOf(timestamp, options.sessionDate);
    let grossExposureUsd = 0;
    if (positions === undefined) {
      if (account.grossExposureUsd === undefined) {
        throw new ValidationError(
          'positions',
          'required when the account does not report grossExposureUsd',
        );
      }
      grossExposureUsd = Math.abs(finite('account.grossExposureUsd', account.grossExposureUsd));
    } else {
      const list = Array.isArray(positions)
        ? (positions as readonly Pick<Position, 'symbol' | 'marketValueUsd'>[])
        : Object.values(
            positions as Readonly<Record<string, Pick<Position, 'symbol' | 'marketValueUsd'>>>,
          );
      for (const p of list) {
        const value = p.marketValueUsd;
        // The argument name is built only for the error (this loop runs before every order).
        if (typeof value !== 'number' || !Number.isFinite(value))
          finite(`positions.${p.symbol}.marketValueUsd`, value);
        grossExposureUsd += Math.abs(value);
      }
    }
    const dailyPnl =
      account.dailyPnlUsd !== undefined
        ? finite('account.dailyPnlUsd', account.dailyPnlUsd)
        : undefined;
    const lastEquity =
      account.lastEquityUsd !== undefined
        ? finite('account.lastEquityUsd', account.lastEquityUsd)
        : undefined;
    const mask = this.measure(
      portfolioValueUsd,
      equityUsd,
      grossExposureUsd,
      dailyPnl,
      lastEquity,
      sessionDate,
    );
    return this.conclude(mask, timestamp, sessionDate);
  }

  /**
   * {@link RiskMonitor.check} for a snapshot given as plain numbers, for engines that check
   * before every order: when no limit is breached and the kill switch is not tripped it returns
   * `undefined` and builds nothing (the monitor's state changes exactly as with `check`);
   * otherwise it returns the verdict `check` would (with its alerts and kill-switch trip).
   * `snapshot.dailyPnlUsd` and `snapshot.lastEquityUsd` are NaN when the venue reports none.
   */
  checkSnapshot(
    snapshot: RiskSnapshot,
    asOf: string,
    sessionDate?: string,
  ): RiskVerdict | undefined {
    const s = snapshot;
    if (!Number.isFinite(s.portfolioValueUsd))
      finite('snapshot.portfolioValueUsd', s.portfolioValueUsd);
    if (!Number.isFinite(s.equityUsd)) finite('snapshot.equityUsd', s.equityUsd);
    if (!Number.isFinite(s.grossExposureUsd))
      finite('snapshot.grossExposureUsd', s.grossExposureUsd);
    if (s.dailyPnlUsd === Infinity || s.dailyPnlUsd === -Infinity)
      finite('snapshot.dailyPnlUsd', s.dailyPnlUsd);
    if (s.lastEquityUsd === Infinity || s.lastEquityUsd === -Infinity)
      finite('snapshot.lastEquityUsd', s.lastEquityUsd);
    const session = this.sessionOf(asOf, sessionDate);
    const mask = this.measure(
      s.portfolioValueUsd,
      s.equityUsd,
      Math.abs(s.grossExposureUsd),
      s.dailyPnlUsd === s.dailyPnlUsd ? s.dailyPnlUsd : undefined,
      s.lastEquityUsd === s.lastEquityUsd ? s.lastEquityUsd : undefined,
      session,
    );
    if (mask === 0 && this.killSwitch?.isTripped !== true && !this.resumedNow) {
      this.blocksExposure = false;
      this.reductionRequired = false;
      this.lastCheckAt = asOf;
      return undefined;
    }
    return this.conclude(mask, asOf, session);
  }

  /**
   * The session date of a snapshot time, validated (each instant is parsed once; `known` is the
   * caller's, when it has it).
   */
  private sessionOf(timestamp: string, known: string | undefined): string {
    // Engines check before every order at one instant: parse each instant once.
    let parsed = this.lastParsed;
    if (known !== undefined && (parsed === undefined || timestamp !== parsed.timestamp)) {
      parsed = { timestamp, sessionDate: known };
      this.lastParsed = parsed;
    }
    if (parsed === undefined || timestamp !== parsed.timestamp) {
      if (!isIsoDate(timestamp) && !isIsoUtcTimestamp(timestamp)) {
        throw new ValidationError(
          'asOf',
          `expected an ISO date or UTC instant, got ${JSON.stringify(timestamp)}`,
        );
      }
      parsed = { timestamp, sessionDate: sessionDateOf(timestamp) };
      this.lastParsed = parsed;
    }
    const sessionDate = parsed.sessionDate;
    if (this.sessionDate !== null && sessionDate < this.sessionDate) {
      throw new StateError(
        `risk snapshot of session ${sessionDate} is older than the current session ${this.sessionDate}`,
      );
    }
    return sessionDate;
  }

  /**
   * Updates the peaks from one snapshot and measures it into `this.measured`; returns which
   * limits it breaches (BREACH_* bits). Allocates nothing.
   */
  private measure(
    portfolioValueUsd: number,
    equityUsd: number,
    grossExposureUsd: number,
    venueDailyPnlUsd: number | undefined,
    lastEquityUsd: number | undefined,
    sessionDate: string,
  ): number {
    // Peaks: a new session starts its daily peak afresh (the seed's bug fixed).
    this.resumedNow = false;
    if (this.sessionDate !== sessionDate || this.dailyPeakUsd === null) {
      this.sessionDate = sessionDate;
      this.dailyPeakUsd = portfolioValueUsd;
      this.sessionStartEquityUsd = equityUsd;
      this.sessionCount++;
      if (cooldownEnded(this.limits, this.sessionCount, this.haltedSinceSession))
        this.resume(portfolioValueUsd);
      this.exposureScale = scaleInFraction(
        this.limits.scaleInSessions,
        this.sessionCount,
        this.resumedAtSession,
      );
      if (this.exposureScale === 1) this.resumedAtSession = null;
    } else {
      this.dailyPeakUsd = Math.max(this.dailyPeakUsd, portfolioValueUsd);
    }
    this.overallPeakUsd =
      this.overallPeakUsd === null
        ? portfolioValueUsd
        : Math.max(this.overallPeakUsd, portfolioValueUsd);
    this.drawdownReferenceUsd =
      this.drawdownReferenceUsd === null
        ? portfolioValueUsd
        : Math.max(this.drawdownReferenceUsd, portfolioValueUsd);

    const m = this.measured;
    if (venueDailyPnlUsd !== undefined) {
      m.dailyPnlUsd = venueDailyPnlUsd;
      m.dailyPnlSource = 'account_daily_pnl';
    } else if (lastEquityUsd !== undefined) {
      m.dailyPnlUsd = equityUsd - lastEquityUsd;
      m.dailyPnlSource = 'last_equity';
    } else {
      m.dailyPnlUsd = equityUsd - (this.sessionStartEquityUsd as number);
      m.dailyPnlSource = 'session_start';
    }
    m.portfolioValueUsd = portfolioValueUsd;
    m.equityUsd = equityUsd;
    m.grossExposureUsd = grossExposureUsd;
    m.dailyPeakUsd = this.dailyPeakUsd;
    m.overallPeakUsd = this.overallPeakUsd;
    m.dailyPnlPct = ratio(m.dailyPnlUsd, m.dailyPeakUsd);
    m.drawdown = ratio(portfolioValueUsd - m.overallPeakUsd, m.overallPeakUsd);
    m.drawdownReferenceUsd = this.drawdownReferenceUsd;
    m.limitDrawdown = ratio(portfolioValueUsd - m.drawdownReferenceUsd, m.drawdownReferenceUsd);
    m.leverage = equityUsd > 0 ? grossExposureUsd / equityUsd : grossExposureUsd > 0 ? Infinity : 0;
    const { maxDailyLoss, maxDrawdown, maxLeverage } = this.limits;
    return (
      (m.dailyPnlPct < maxDailyLoss ? BREACH_DAILY_LOSS : 0) |
      (m.limitDrawdown < maxDrawdown ? BREACH_DRAWDOWN : 0) |
      (m.leverage > maxLeverage ? BREACH_LEVERAGE : 0)
    );
  }

  /**
   * Ends a drawdown halt at the end of its cooldown: the drawdown reference restarts from
   * `portfolioValueUsd` (the high-water mark is kept), a kill switch this monitor tripped is
   * released, exposure starts scaling back in, and an alert says so.
   */
  private resume(portfolioValueUsd: number): void {
    const halted = this.sessionCount - (this.haltedSinceSession as number);
    this.haltedSinceSession = null;
    this.resumedAtSession = this.sessionCount;
    this.resumedNow = true;
    const markUsd = this.overallPeakUsd as number;
    this.drawdownReferenceUsd = portfolioValueUsd;
    const ks = this.killSwitch;
    if (ks?.isTripped && ks.source === 'risk_monitor') ks.reset();
    const { scaleInSessions } = this.limits;
    this.resumeAlert = `drawdown halt ended after ${halted} sessions (kill_switch_reset: cooldown): the drawdown limit is measured from ${portfolioValueUsd.toFixed(2)} (high-water mark ${markUsd.toFixed(2)}, ${pct(ratio(portfolioValueUsd - markUsd, markUsd))}), exposure scaled back in over ${scaleInSessions} sessions`;
    this.logger.warn({ portfolioValueUsd, highWaterMarkUsd: markUsd, halted }, 'trading resumed');
  }

  /** The verdict of the last {@link RiskMonitor.measure}: breaches, alerts, kill switch, flags. */
  private conclude(mask: number, timestamp: string, sessionDate: string): RiskVerdict {
    const m = this.measured;
    const { onLossBreach } = this.limits;
    const breaches = breachesOf(mask, m, this.limits);
    const drawdownBreach = (mask & BREACH_DRAWDOWN) !== 0;

    const lossBreach = (mask & (BREACH_DAILY_LOSS | BREACH_DRAWDOWN)) !== 0;
    if (this.resumedNow && this.alertSink !== undefined)
      deliverAlert(
        this.alertSink,
        { level: 'WARNING', title: 'TRADING RESUMED', message: this.resumeAlert, timestamp },
        this.logger,
      );
    // A halt's first drawdown breach is alerted; the same breach at later checks is not news.
    const firstOfHalt = drawdownBreach && this.haltedSinceSession === null;
    if (firstOfHalt) this.haltedSinceSession = this.sessionCount;
    for (const b of breaches) {
      if (b.limit === 'drawdown' ? !firstOfHalt : this.alertedBefore(bitOf(b.limit))) continue;
      this.logger.warn({ limit: b.limit, value: b.value, threshold: b.threshold }, b.title);
      if (this.alertSink !== undefined) {
        deliverAlert(
          this.alertSink,
          {
            level: b.severity,
            title: b.title,
            message: b.message,
            timestamp,
            context: { limit: b.limit, value: b.value, threshold: b.threshold },
          },
          this.logger,
        );
      }
    }
    this.alertCleared(mask, timestamp);
    if (lossBreach && this.killSwitch !== undefined) {
      const first = breaches.find((b) => b.severity === 'CRITICAL') as RiskBreach;
      const at = timestamp.length === 10 ? `${timestamp}T00:00:00.000Z` : timestamp;
      this.killSwitch.trip(`${first.title}: ${first.message}`, { at, source: 'risk_monitor' });
    }
    const killSwitchTripped = this.killSwitch?.isTripped ?? false;
    const requiresReduction =
      drawdownBreach && (onLossBreach === 'flatten' || (onLossBreach === 'reduce' && firstOfHalt));
    const blocksNewExposure = breaches.length > 0 || killSwitchTripped;
    this.blocksExposure = blocksNewExposure;
    this.reductionRequired = requiresReduction;
    this.lastCheckAt = timestamp;
    return {
      ok: breaches.length === 0 && !killSwitchTripped,
      breaches,
      blocksNewExposure,
      requiresReduction,
      action: drawdownBreach ? onLossBreach : breaches.length > 0 ? 'block' : 'none',
      killSwitchTripped,
      sessionDate,
      timestamp,
      metrics: {
        portfolioValueUsd: m.portfolioValueUsd,
        equityUsd: m.equityUsd,
        dailyPnlUsd: m.dailyPnlUsd,
        dailyPnlSource: m.dailyPnlSource,
        dailyPnlPct: m.dailyPnlPct,
        dailyPeakUsd: m.dailyPeakUsd,
        overallPeakUsd: m.overallPeakUsd,
        drawdown: m.drawdown,
        drawdownReferenceUsd: m.drawdownReferenceUsd,
        limitDrawdown: m.limitDrawdown,
        grossExposureUsd: m.grossExposureUsd,
        leverage: m.leverage,
      },
      exposureScale: this.exposureScale,
      resumed: this.resumedNow,
    };
  }

  /**
   * Whether a proposed order may be sent, given the last check and the kill switch:
   * - kill switch tripped: blocked, except a `liquidation` order that reduces exposure while the
   *   last check requires a reduction;
   * - before the first check, or while any limit is breached: orders that add exposure
   *   ({@link isExposureIncreasing}) are blocked, reducing orders pass;
   * - otherwise allowed.
   */
  allowsOrder(
    order: ProposedOrder,
    holdings: Holdings,
    options: AllowsOrderOptions = {},
  ): OrderDecision {
    const exposureIncreasing = isExposureIncreasing(order, holdings);
    if (this.killSwitch?.isTripped) {
      if (options.liquidation === true && !exposureIncreasing && this.reductionRequired) {
        return { allowed: true, exposureIncreasing, reason: null };
      }
      return {
        allowed: false,
        exposureIncreasing,
        reason: `kill switch tripped: ${this.killSwitch.reason ?? ''}`,
      };
    }
    if (exposureIncreasing && this.lastCheckAt === null) {
      return { allowed: false, exposureIncreasing, reason: 'no risk check has been made yet' };
    }
    if (exposureIncreasing && this.blocksExposure) {
      return {
        allowed: false,
        exposureIncreasing,
        reason: 'a risk limit is breached: new exposure is blocked',
      };
    }
    return { allowed: true, exposureIncreasing, reason: null };
  }

  /** As {@link RiskMonitor.allowsOrder}, but throws a {@link RiskBreachError} when blocked. */
  assertAllowsOrder(
    order: ProposedOrder,
    holdings: Holdings,
    options: AllowsOrderOptions = {},
  ): void {
    const decision = this.allowsOrder(order, holdings, options);
    if (!decision.allowed) {
      throw new RiskBreachError(
        `${order.side} ${order.quantity} ${order.symbol} blocked: ${decision.reason}`,
        {
          context: { symbol: order.symbol, side: order.side, quantity: order.quantity },
        },
      );
    }
  }

  /**
   * Accepts the losses taken so far (an operator's resume): the drawdown reference and the
   * daily peak (and the session's starting equity) restart from `portfolioValueUsd`, the halt
   * ends at full size, and the breach flags clear; the high-water mark is kept, so the drawdown
   * reported stays measured from it. Call it together with an explicit kill-switch reset after
   * a drawdown or daily-loss breach. Without it the next check measures against the old
   * reference and trips again at once, so trading could never resume.
   * A daily loss that the venue reports directly (`account.dailyPnlUsd`) cannot be re-based:
   * it keeps blocking until the next session, which is the conservative reading of the limit.
   * Before the first check there is nothing to acknowledge and the call changes nothing.
   */
  acknowledgeLosses(portfolioValueUsd: number): void {
    const value = finite('portfolioValueUsd', portfolioValueUsd);
    if (value <= 0) {
      throw new ValidationError('portfolioValueUsd', `expected a value > 0, got ${value}`);
    }
    if (this.sessionDate === null) return;
    this.drawdownReferenceUsd = Math.min(value, this.overallPeakUsd as number);
    this.haltedSinceSession = null;
    this.resumedAtSession = null;
    this.exposureScale = 1;
    this.dailyPeakUsd = value;
    this.sessionStartEquityUsd = value;
    this.blocksExposure = false;
    this.reductionRequired = false;
    this.logger.warn(
      { portfolioValueUsd: value, sessionDate: this.sessionDate },
      'risk monitor: losses acknowledged, drawdown reference re-based',
    );
  }

  /** Whether this episode of the breach `bit` has been alerted (always false with 'every_check'). */
  private alertedBefore(bit: number): boolean {
    return !this.alertEveryCheck && (this.alertedMask & bit) !== 0;
  }

  /** Alerts the episodes that ended at this check and records the breaches now alerted. */
  private alertCleared(mask: number, timestamp: string): void {
    const m = this.measured;
    for (const e of EPISODE_BREACHES) {
      if ((this.alertedMask & e.bit) === 0 || (mask & e.bit) !== 0 || this.alertEveryCheck)
        continue;
      const message = breachMessage(e.limit, m, this.limits);
      this.logger.info({ limit: e.limit }, e.cleared);
      if (this.alertSink !== undefined)
        deliverAlert(
          this.alertSink,
          { level: 'INFO', title: e.cleared, message, timestamp },
          this.logger,
        );
    }
    this.alertedMask = mask & (BREACH_DAILY_LOSS | BREACH_LEVERAGE);
  }

  /** The state as plain JSON; {@link RiskMonitor.fromJSON} restores it exactly. */
  toJSON(): RiskMonitorState {
    return {
      version: 1,
      overallPeakUsd: this.overallPeakUsd,
      dailyPeakUsd: this.dailyPeakUsd,
      sessionDate: this.sessionDate,
      sessionStartEquityUsd: this.sessionStartEquityUsd,
      lastCheckAt: this.lastCheckAt,
      blocksNewExposure: this.blocksExposure,
      requiresReduction: this.reductionRequired,
      drawdownReferenceUsd: this.drawdownReferenceUsd,
      sessionCount: this.sessionCount,
      haltedSinceSession: this.haltedSinceSession,
      resumedAtSession: this.resumedAtSession,
      alertedLimits: EPISODE_BREACHES.filter((e) => (this.alertedMask & e.bit) !== 0).map(
        (e) => e.limit,
      ),
    };
  }

  /**
   * Restores a monitor from {@link RiskMonitor.toJSON} output with the given limits and
   * options. Throws a {@link StateError} when the value is not a valid state.
   */
  static fromJSON(
    value: unknown,
    limits: RiskLimitsInput = {},
    options: RiskMonitorOptions = {},
  ): RiskMonitor {
    const state = parseRiskMonitorState(value);
    const m = new RiskMonitor(limits, options);
    m.overallPeakUsd = state.overallPeakUsd;
    m.dailyPeakUsd = state.dailyPeakUsd;
    m.sessionStartEquityUsd = state.sessionStartEquityUsd;
    m.sessionDate = state.sessionDate;
    m.lastCheckAt = state.lastCheckAt;
    m.blocksExposure = state.blocksNewExposure;
    m.reductionRequired = state.requiresReduction;
    m.drawdownReferenceUsd = state.drawdownReferenceUsd;
    m.sessionCount = state.sessionCount;
    m.haltedSinceSession = state.haltedSinceSession;
    m.resumedAtSession = state.resumedAtSession;
    for (const e of EPISODE_BREACHES)
      if (state.alertedLimits.includes(e.limit)) m.alertedMask |= e.bit;
    m.exposureScale = scaleInFraction(m.limits.scaleInSessions, m.sessionCount, m.resumedAtSession);
    return m;
  }
}
