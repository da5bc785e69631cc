import type { AlertSink, Logger, Position } from '@quantpipe/core';
import type { KillSwitch } from './kill-switch';
import type { LossBreachAction } from './risk-limits';

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
  /** `(portfolioValue - overallPeak) / overallPeak`, <= 0: the drawdown from the high-water mark. */
  readonly drawdown: number;
  /**
   * The peak the drawdown limit is measured from: the high-water mark, unless a resume (a
   * cooldown's end or an operator's acknowledgement) re-based it; it rises with new highs.
   */
  readonly drawdownReferenceUsd: number;
  /** `(portfolioValue - drawdownReference) / drawdownReference`, <= 0: what `max_drawdown` limits. */
  readonly limitDrawdown: number;
  /** Sum of |market value| over positions. */
  readonly grossExposureUsd: number;
  /** `grossExposure / equity`; Infinity when equity <= 0 with open exposure. */
  readonly leverage: number;
}

/** What the engine should do now. */
export type RiskAction = 'none' | LossBreachAction;

/** The structured outcome of `RiskMonitor.check`. */
export interface RiskVerdict {
  /** No breach and the kill switch (if wired) is not tripped. */
  readonly ok: boolean;
  readonly breaches: RiskBreach[];
  /** Any breach (or a tripped kill switch) blocks orders that add exposure. */
  readonly blocksNewExposure: boolean;
  /**
   * A drawdown breach with `onLossBreach` 'flatten' (every check while breached) or 'reduce'
   * (the first check of a halt only: the book is halved once). A daily-loss breach only halts.
   */
  readonly requiresReduction: boolean;
  /** 'flatten' / 'reduce' / 'block' after a drawdown breach, 'block' for a daily-loss or leverage breach only, else 'none'. */
  readonly action: RiskAction;
  /** Whether the wired kill switch is tripped after this check. */
  readonly killSwitchTripped: boolean;
  /** Exchange session date (America/New_York) of the snapshot. */
  readonly sessionDate: string;
  /** The snapshot's time (ISO-8601 UTC instant, or a session date for daily data). */
  readonly timestamp: string;
  readonly metrics: RiskMetrics;
  /**
   * The fraction of its sized targets the book may trade at: 1, or `j / scale_in_sessions` in
   * the j-th session after a resume (see `kill_switch_reset`).
   */
  readonly exposureScale: number;
  /** This check ended a drawdown halt (`kill_switch_reset: cooldown`). */
  readonly resumed: boolean;
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

/** Result of {@link RiskMonitor.allowsOrder}. */
export interface OrderDecision {
  readonly allowed: boolean;
  readonly exposureIncreasing: boolean;
  /** Why it was blocked; null when allowed. */
  readonly reason: string | null;
}

/** Options of {@link RiskMonitor}. */
export interface RiskMonitorOptions {
  /** Receives the breach alerts (level = severity), as {@link RiskMonitorOptions.alertRepeats} says. */
  readonly alertSink?: AlertSink;
  /**
   * How often a breach of the daily-loss or leverage limit is alerted. `'episode'` (default):
   * once when a check first finds the limit breached, and once (INFO, "... BACK WITHIN LIMIT")
   * when a later check finds it within the limit again; the checks in between (a check runs
   * before every order) alert nothing. `'every_check'`: the spec's alert at every check that
   * finds the breach. A drawdown breach is alerted once per halt in both modes; the halt's end
   * sends "TRADING RESUMED".
   */
  readonly alertRepeats?: AlertRepeats;
  /** Tripped automatically by a CRITICAL breach. */
  readonly killSwitch?: KillSwitch;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Milliseconds since the epoch, used when a snapshot has no time. Default Date.now. */
  readonly now?: () => number;
}

/** See {@link RiskMonitorOptions.alertRepeats}. */
export type AlertRepeats = 'episode' | 'every_check';

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
