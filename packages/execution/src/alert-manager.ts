import {
  silentLogger,
  type Alert,
  type AlertLevel,
  type AlertSink,
  type Logger,
} from '@quantpipe/core';

/** Options of {@link AlertManager}. */
export interface AlertManagerOptions {
  /** Every alert is logged (INFO → info, WARNING → warn, CRITICAL → error). */
  readonly logger?: Logger;
  /** Further sinks: the alerts table, a webhook, a test's array. */
  readonly sinks?: readonly AlertSink[];
  /** Milliseconds since the epoch for alerts raised without a timestamp. Default Date.now. */
  readonly now?: () => number;
}

/**
 * The spec's AlertManager: INFO / WARNING / CRITICAL alerts, logged and fanned out to sinks.
 * A failing sink never stops the engine: the failure is logged and the other sinks still get
 * the alert. It is itself an {@link AlertSink}, so managers can be chained.
 */
export class AlertManager implements AlertSink {
  private readonly logger: Logger;
  private readonly sinks: AlertSink[];
  private readonly now: () => number;

  constructor(options: AlertManagerOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.sinks = [...(options.sinks ?? [])];
    this.now = options.now ?? Date.now;
  }

  /** Adds a sink. */
  addSink(sink: AlertSink): void {
    this.sinks.push(sink);
  }

  /** Delivers an alert to the log and every sink; resolves when all sinks are done. */
  async alert(alert: Alert): Promise<void> {
    const log = { alert: { level: alert.level, title: alert.title, context: alert.context } };
    if (alert.level === 'CRITICAL') this.logger.error(log, `${alert.title}: ${alert.message}`);
    else if (alert.level === 'WARNING') this.logger.warn(log, `${alert.title}: ${alert.message}`);
    else this.logger.info(log, `${alert.title}: ${alert.message}`);
    await Promise.all(
      this.sinks.map(async (sink) => {
        try {
          await sink.alert(alert);
        } catch (error) {
          this.logger.error(
            { err: error instanceof Error ? error.message : String(error), title: alert.title },
            'alert sink failed',
          );
        }
      }),
    );
  }

  /** Shorthand: `raise('CRITICAL', 'MAX DRAWDOWN BREACHED', 'Drawdown: -16.00%')`. */
  raise(
    level: AlertLevel,
    title: string,
    message: string,
    context?: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    return this.alert({
      level,
      title,
      message,
      timestamp: new Date(this.now()).toISOString(),
      ...(context ? { context } : {}),
    });
  }
}

/** Options of {@link WebhookAlertSink}. */
export interface WebhookAlertSinkOptions {
  /** Where to POST the alert as JSON. */
  readonly url: string;
  /** Only alerts at or above this level are posted. Default 'WARNING'. */
  readonly minLevel?: AlertLevel;
  /** Request timeout. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  readonly fetch?: typeof fetch;
}

const LEVEL_RANK: Record<AlertLevel, number> = { INFO: 0, WARNING: 1, CRITICAL: 2 };

/** Posts alerts as JSON (`{ level, title, message, timestamp, context }`) to a webhook URL. */
export class WebhookAlertSink implements AlertSink {
  private readonly options: Required<WebhookAlertSinkOptions>;

  constructor(options: WebhookAlertSinkOptions) {
    this.options = { minLevel: 'WARNING', timeoutMs: 5000, fetch: globalThis.fetch, ...options };
  }

  async alert(alert: Alert): Promise<void> {
    if (LEVEL_RANK[alert.level] < LEVEL_RANK[this.options.minLevel]) return;
    const response = await this.options.fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
  }
}

/** Collects alerts in an array (tests, backtest reports). */
export class MemoryAlertSink implements AlertSink {
  /** Alerts received, oldest first. */
  readonly alerts: Alert[] = [];

  alert(alert: Alert): void {
    this.alerts.push(alert);
  }
}
