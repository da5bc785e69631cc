/** Alert severity, as the spec's AlertManager. */
export type AlertLevel = 'INFO' | 'WARNING' | 'CRITICAL';

export interface Alert {
  readonly level: AlertLevel;
  /** Short headline, e.g. "MAX DRAWDOWN BREACHED". */
  readonly title: string;
  readonly message: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  /** Structured details (never secrets). */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Where alerts go (log, database, webhook, a test's array). */
export interface AlertSink {
  alert(alert: Alert): void | Promise<void>;
}
