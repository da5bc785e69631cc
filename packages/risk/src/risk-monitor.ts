import {
  RiskBreachError,
  StateError,
  ValidationError,
  isIsoDate,
  isIsoUtcTimestamp,
  sessionDateOf,
  silentLogger,
} from '@quantpipe/core';
import type { Account, AlertSink, JsonObject, Logger, Position } from '@quantpipe/core';
import { deliverAlert } from './deliver-alert';
import type { KillSwitch } from './kill-switch';
import { isExposureIncreasing } from './order-exposure';
import type { Holdings, ProposedOrder } from './order-exposure';
import { resolveRiskLimits } from './risk-limits';
import type { LossBreachAction, RiskLimits, RiskLimitsInput } from './risk-limits';

/** The limits the monitor checks. */
export type RiskLimitName = 'daily_loss' | 'drawdown' | 'leverage';

/** Severity of a breach: loss limits are CRITICAL, leverage is a WARNING (as the spec's alerts). */
export type BreachSeverity = 'WARNING' | 'CRITICAL';

/** One breached limit. */
export interface RiskBreach {
  readonly limit: RiskLimitName;
  /** The measured value (a fraction for daily_loss and drawdown, a multiple for leverage). */
  readonly value: number;
  /** The configured limit it crossed. */
  readonly threshold: number;
  readonly severity: BreachSeverity;
  /** The spec's alert headline, e.g. "MAX DRAWDOWN BREACHED". */
  readonly title: string;
  readonly message: string;
}

/** Where the daily P&L came from (first available wins). */
export type DailyPnlSource = 'account_daily_pnl' | 'last_equity' | 'session_start';

/** The figures a check measured. Money in USD. */
export interface RiskMetrics {
  readonly portfolioValueUsd: number;
  readonly equityUsd: number;
  readonly dailyPnlUsd: number;
  readonly dailyPnlSource: DailyPnlSource;
  /** `dailyPnlUsd / dailyPeakUsd`. */
  readonly dailyPnlPct: number;
  /** Highest portfolio value seen in the current session. */
  readonly dailyPeakUsd: number;
  /** Highest portfolio value ever seen. */
  readonly overallPeakUsd: number;
  /** `(portfolioValue - overallPeak) / overallPeak`, <= 0. */
  readonly drawdown: number;
  /** Sum of |market value| over positions. */
  readonly grossExposureUsd: number;
  /** `grossExposure / equity`; Infinity when equity <= 0 with open exposure. */
  readonly leverage: number;
}

/** What the engine should do now. */
export type RiskAction = 'none' | LossBreachAction;

/** The structured outcome of {@link RiskMonitor.check}. */
export interface RiskVerdict {
  /** No breach and the kill switch (if wired) is not tripped. */
  readonly ok: boolean;
  readonly breaches: RiskBreach[];
  /** Any breach (or a tripped kill switch) blocks orders that add exposure. */
  readonly blocksNewExposure: boolean;
  /** A daily-loss or drawdown breach with `onLossBreach` 'flatten' or 'reduce'. */
  readonly requiresReduction: boolean;
  /** 'flatten' / 'reduce' / 'block' after a loss breach, 'block' for leverage only, else 'none'. */
  readonly action: RiskAction;
  /** Whether the wired kill switch is tripped after this check. */
  readonly killSwitchTripped: boolean;
  /** Exchange session date (America/New_York) of the snapshot. */
  readonly sessionDate: string;
  /** The snapshot's time (ISO-8601 UTC instant, or a session date for daily data). */
  readonly timestamp: string;
  readonly metrics: RiskMetrics;
}

/**
 * A snapshot as plain numbers for {@link RiskMonitor.checkSnapshot} (an engine keeps one and
 * refills it before every order). Money in USD.
 */
export interface RiskSnapshot {
  readonly portfolioValueUsd: number;
  readonly equityUsd: number;
  /** Sum of |market value| over positions. */
  readonly grossExposureUsd: number;
  /** The venue's own daily P&L, or NaN when it reports none. */
  readonly dailyPnlUsd: number;
  /** Equity at the previous close, or NaN when the venue reports none. */
  readonly lastEquityUsd: number;
}

const BREACH_DAILY_LOSS = 1;
const BREACH_DRAWDOWN = 2;
const BREACH_LEVERAGE = 4;

/** Result of {@link RiskMonitor.allowsOrder}. */
export interface OrderDecision {
  readonly allowed: boolean;
  readonly exposureIncreasing: boolean;
  /** Why it was blocked; null when allowed. */
  readonly reason: string | null;
}

/** The monitor's persisted state (plain JSON, journaled by the engine). */
export interface RiskMonitorState {
  readonly version: 1;
  readonly overallPeakUsd: number | null;
  readonly dailyPeakUsd: number | null;
  /** Session date of the daily peak. */
  readonly sessionDate: string | null;
  /** Equity of the session's first snapshot (fallback for the daily P&L). */
  readonly sessionStartEquityUsd: number | null;
  /** Time of the last check, null before the first. */
  readonly lastCheckAt: string | null;
  readonly blocksNewExposure: boolean;
  readonly requiresReduction: boolean;
}

/** Options of {@link RiskMonitor}. */
export interface RiskMonitorOptions {
  /** Receives one alert per breach (level = severity). */
  readonly alertSink?: AlertSink;
  /** Tripped automatically by a CRITICAL breach. */
  readonly killSwitch?: KillSwitch;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Milliseconds since the epoch, used when a snapshot has no time. Default Date.now. */
  readonly now?: () => number;
}

/** Options of {@link RiskMonitor.check}. */
export interface RiskCheckOptions {
  /**
   * Time of the snapshot: an ISO-8601 UTC instant or a session date (`YYYY-MM-DD`, for daily
   * backtests). Default: `account.timestamp`, else the injected clock.
   */
  readonly asOf?: string;
  /**
   * The exchange session date (America/New_York) of `asOf`, when the caller knows it: the
   * instant is then not parsed (an engine checks once per cycle and before every order).
   */
  readonly sessionDate?: string;
}

/** Options of {@link RiskMonitor.allowsOrder}. */
export interface AllowsOrderOptions {
  /**
   * The order is part of the reduction a loss breach requested. While the kill switch is
   * tripped, only such orders pass, and only if they reduce exposure and a reduction is required.
   */
  readonly liquidation?: boolean;
}

/** Positions as core `Position`s: an array or a map by symbol (the spec's dict). */
export type PositionSnapshot =
  | readonly Pick<Position, 'symbol' | 'marketValueUsd'>[]
  | Readonly<Record<string, Pick<Position, 'symbol' | 'marketValueUsd'>>>;

/** `n / d`, defined for a non-positive denominator: -Infinity for a loss, else 0 (conservative). */
function ratio(n: number, d: number): number {
  if (d > 0) return n / d;
  return n < 0 ? -Infinity : 0;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

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
 * - **drawdown** `(portfolioValue - overallPeak) / overallPeak` against `max_drawdown` (strictly below).
 * - **leverage** `sum |marketValueUsd| / equityUsd` against `max_leverage` (strictly above). The seed
 *   reports 0 when equity <= 0; here open exposure on non-positive equity is Infinity (a breach).
 *
 * Unlike the seed, which returns False at the first breach, every limit is evaluated and all
 * breaches are reported. Each breach sends an alert; a CRITICAL one (daily loss, drawdown) trips
 * the wired {@link KillSwitch}. Any breach blocks new exposure ({@link RiskMonitor.allowsOrder});
 * a loss breach also requests `onLossBreach` ('flatten' by default, 'reduce' or 'block').
 */
export class RiskMonitor {
  /** The resolved limits. */
  readonly limits: RiskLimits;
  private readonly alertSink: AlertSink | undefined;
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
    grossExposureUsd: 0,
    leverage: 0,
  };

  /** Validates `limits` (spec defaults for the missing ones); throws a ConfigError naming a bad key. */
  constructor(limits: RiskLimitsInput = {}, options: RiskMonitorOptions = {}) {
    this.limits = Object.freeze(resolveRiskLimits(limits));
    this.alertSink = options.alertSink;
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
    if (mask === 0 && this.killSwitch?.isTripped !== true) {
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
    if (this.sessionDate !== sessionDate || this.dailyPeakUsd === null) {
      this.sessionDate = sessionDate;
      this.dailyPeakUsd = portfolioValueUsd;
      this.sessionStartEquityUsd = equityUsd;
    } else {
      this.dailyPeakUsd = Math.max(this.dailyPeakUsd, portfolioValueUsd);
    }
    this.overallPeakUsd =
      this.overallPeakUsd === null
        ? portfolioValueUsd
        : Math.max(this.overallPeakUsd, portfolioValueUsd);

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
    m.leverage = equityUsd > 0 ? grossExposureUsd / equityUsd : grossExposureUsd > 0 ? Infinity : 0;
    const { maxDailyLoss, maxDrawdown, maxLeverage } = this.limits;
    return (
      (m.dailyPnlPct < maxDailyLoss ? BREACH_DAILY_LOSS : 0) |
      (m.drawdown < maxDrawdown ? BREACH_DRAWDOWN : 0) |
      (m.leverage > maxLeverage ? BREACH_LEVERAGE : 0)
    );
  }

  /** The verdict of the last {@link RiskMonitor.measure}: breaches, alerts, kill switch, flags. */
  private conclude(mask: number, timestamp: string, sessionDate: string): RiskVerdict {
    const m = this.measured;
    const { maxDailyLoss, maxDrawdown, maxLeverage, onLossBreach } = this.limits;
    const breaches: RiskBreach[] = [];
    if (mask & BREACH_DAILY_LOSS) {
      breaches.push({
        limit: 'daily_loss',
        value: m.dailyPnlPct,
        threshold: maxDailyLoss,
        severity: 'CRITICAL',
        title: 'DAILY LOSS LIMIT BREACHED',
        message: `Daily P&L: ${pct(m.dailyPnlPct)} (limit ${pct(maxDailyLoss)})`,
      });
    }
    if (mask & BREACH_DRAWDOWN) {
      breaches.push({
        limit: 'drawdown',
        value: m.drawdown,
        threshold: maxDrawdown,
        severity: 'CRITICAL',
        title: 'MAX DRAWDOWN BREACHED',
        message: `Drawdown: ${pct(m.drawdown)} (limit ${pct(maxDrawdown)})`,
      });
    }
    if (mask & BREACH_LEVERAGE) {
      breaches.push({
        limit: 'leverage',
        value: m.leverage,
        threshold: maxLeverage,
        severity: 'WARNING',
        title: 'LEVERAGE EXCEEDED',
        message: `Leverage: ${m.leverage.toFixed(2)}x (limit ${maxLeverage.toFixed(2)}x)`,
      });
    }

    const lossBreach = (mask & (BREACH_DAILY_LOSS | BREACH_DRAWDOWN)) !== 0;
    for (const b of breaches) {
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
    if (lossBreach && this.killSwitch !== undefined) {
      const first = breaches.find((b) => b.severity === 'CRITICAL') as RiskBreach;
      const at = timestamp.length === 10 ? `${timestamp}T00:00:00.000Z` : timestamp;
      this.killSwitch.trip(`${first.title}: ${first.message}`, { at, source: 'risk_monitor' });
    }
    const killSwitchTripped = this.killSwitch?.isTripped ?? false;
    const requiresReduction = lossBreach && onLossBreach !== 'block';
    const blocksNewExposure = breaches.length > 0 || killSwitchTripped;
    this.blocksExposure = blocksNewExposure;
    this.reductionRequired = requiresReduction;
    this.lastCheckAt = timestamp;
    return {
      ok: breaches.length === 0 && !killSwitchTripped,
      breaches,
      blocksNewExposure,
      requiresReduction,
      action: lossBreach ? onLossBreach : breaches.length > 0 ? 'block' : 'none',
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
        grossExposureUsd: m.grossExposureUsd,
        leverage: m.leverage,
      },
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
   * Accepts the losses taken so far: the overall and daily peaks (and the session's starting
   * equity) restart from `portfolioValueUsd`, and the breach flags clear. Call it together with
   * an explicit kill-switch reset after a drawdown or daily-loss breach. Without it the next
   * check measures against the old peak and trips again at once, so trading could never resume.
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
    this.overallPeakUsd = value;
    this.dailyPeakUsd = value;
    this.sessionStartEquityUsd = value;
    this.blocksExposure = false;
    this.reductionRequired = false;
    this.logger.warn(
      { portfolioValueUsd: value, sessionDate: this.sessionDate },
      'risk monitor: losses acknowledged, peaks re-based',
    );
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
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new StateError('risk monitor state: expected an object');
    }
    const v = value as JsonObject;
    if (v['version'] !== 1) throw new StateError('risk monitor state: unknown version');
    const num = (key: string): number | null => {
      const x = v[key];
      if (x === null) return null;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new StateError(`risk monitor state: ${key} must be a finite number or null`);
      }
      return x;
    };
    const str = (key: string): string | null => {
      const x = v[key];
      if (x === null || typeof x === 'string') return x;
      throw new StateError(`risk monitor state: ${key} must be a string or null`);
    };
    const bool = (key: string): boolean => {
      const x = v[key];
      if (typeof x !== 'boolean')
        throw new StateError(`risk monitor state: ${key} must be a boolean`);
      return x;
    };
    const m = new RiskMonitor(limits, options);
    m.overallPeakUsd = num('overallPeakUsd');
    m.dailyPeakUsd = num('dailyPeakUsd');
    m.sessionStartEquityUsd = num('sessionStartEquityUsd');
    m.sessionDate = str('sessionDate');
    m.lastCheckAt = str('lastCheckAt');
    m.blocksExposure = bool('blocksNewExposure');
    m.reductionRequired = bool('requiresReduction');
    if (m.sessionDate !== null && !isIsoDate(m.sessionDate)) {
      throw new StateError('risk monitor state: sessionDate must be YYYY-MM-DD');
    }
    if (
      (m.dailyPeakUsd === null) !== (m.sessionDate === null) ||
      (m.sessionStartEquityUsd === null) !== (m.sessionDate === null) ||
      (m.overallPeakUsd === null) !== (m.sessionDate === null)
    ) {
      throw new StateError(
        'risk monitor state: overallPeakUsd, dailyPeakUsd, sessionStartEquityUsd and sessionDate are all set or all null',
      );
    }
    return m;
  }
}
