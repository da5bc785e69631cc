import {
  BrokerError,
  TimeoutError,
  isQuantpipeError,
  newYorkLocalToUtcMs,
  type AlertLevel,
  type Bar,
} from '@quantpipe/core';
import type { TraderMetrics } from './metrics';

/** Raises an alert (the trader's AlertManager: log, alerts table, webhook). */
export type RaiseAlert = (
  level: AlertLevel,
  title: string,
  message: string,
  context?: Readonly<Record<string, unknown>>,
) => Promise<void>;

/** Options of {@link VenueMonitor}. */
export interface VenueMonitorOptions {
  readonly venue: string;
  readonly raise: RaiseAlert;
  readonly metrics?: TraderMetrics;
  readonly now: () => number;
  /** At most one `BROKER RETRYING` alert per this interval. Default 60 s. */
  readonly retryAlertIntervalMs?: number;
  /** Told when the broker becomes unreachable or reachable again (the live state, /healthz). */
  readonly onStatus?: (
    connected: boolean,
    lastError: { kind: string; message: string; at: string } | undefined,
  ) => void;
}

/** The error kind of a failed call, for `trader_broker_errors_total`. */
export function errorKindOf(error: unknown): string {
  if (error instanceof BrokerError) return error.kind;
  if (error instanceof TimeoutError) return 'timeout';
  if (isQuantpipeError(error)) return error.code.replace(/^E_/, '').toLowerCase();
  return 'unknown';
}

function isConnectionError(error: unknown): boolean {
  const kind = errorKindOf(error);
  return kind === 'connection' || kind === 'timeout';
}

/** End of a bar: a daily bar's session close (16:00 New York), else its stamp. */
function barEndMs(bar: Bar): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bar.timestamp)) {
    const [y, m, d] = bar.timestamp.split('-').map(Number) as [number, number, number];
    return newYorkLocalToUtcMs(y, m, d, 16, 0, 0);
  }
  return Date.parse(bar.timestamp);
}

function newestBarMs(value: unknown): number | undefined {
  let newest: number | undefined;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
      return;
    }
    if (v && typeof v === 'object' && 'timestamp' in v && 'close' in v) {
      const t = barEndMs(v as Bar);
      if (Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
    }
  };
  visit(value);
  return newest;
}

/**
 * Watches the venue's calls: counts failures by kind and retries, tracks whether the broker is
 * reachable, and raises `BROKER DISCONNECTED` / `BROKER RECONNECTED` / `BROKER RETRYING`
 * alerts. Broker and market data are wrapped in proxies, so every method (optional ones too)
 * keeps its behaviour; only the outcome is observed.
 */
export class VenueMonitor {
  private connectedState = true;
  private lastRetryAlertMs = Number.NEGATIVE_INFINITY;
  private newestBar: number | undefined;
  private lastErrorValue: { kind: string; message: string; at: string } | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: VenueMonitorOptions) {}

  /** Whether the last call reached the broker (true until a connection failure). */
  get connected(): boolean {
    return this.connectedState;
  }

  /** The last failed call. */
  get lastError(): { kind: string; message: string; at: string } | undefined {
    return this.lastErrorValue;
  }

  /** Seconds since the end of the newest bar seen, or undefined before any. */
  dataStalenessSeconds(nowMs = this.options.now()): number | undefined {
    return this.newestBar === undefined ? undefined : Math.max(0, (nowMs - this.newestBar) / 1000);
  }

  /** Settles once the alerts raised so far are delivered. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** The adapters' `retry.onRetry` hook. */
  onRetry = (info: { error: unknown; attempt: number; delayMs: number }): void => {
    this.options.metrics?.retries.inc();
    if (isConnectionError(info.error)) this.markDown(info.error);
    const now = this.options.now();
    if (now - this.lastRetryAlertMs >= (this.options.retryAlertIntervalMs ?? 60_000)) {
      this.lastRetryAlertMs = now;
      this.fire(
        'WARNING',
        'BROKER RETRYING',
        `${this.options.venue}: attempt ${info.attempt} failed (${errorMessage(info.error)}); retrying in ${Math.round(info.delayMs)} ms`,
        {
          venue: this.options.venue,
          attempt: info.attempt,
          kind: errorKindOf(info.error),
        },
      );
    }
  };

  /** The broker, observed. */
  wrapBroker<T extends object>(broker: T): T {
    return this.wrap(broker, false);
  }

  /** The market data, observed (also its bars' age). */
  wrapMarketData<T extends object>(marketData: T): T {
    return this.wrap(marketData, true);
  }

  private wrap<T extends object>(target: T, isData: boolean): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(obj, args);
          } catch (error) {
            this.onFailure(error);
            throw error;
          }
          if (result instanceof Promise) {
            return result.then(
              (resolved: unknown) => {
                this.onSuccess();
                if (isData) this.onBars(resolved);
                return resolved;
              },
              (error: unknown) => {
                this.onFailure(error);
                throw error;
              },
            );
          }
          return result;
        };
      },
    });
  }

  private onBars(value: unknown): void {
    const newest = newestBarMs(value);
    if (newest !== undefined && (this.newestBar === undefined || newest > this.newestBar))
      this.newestBar = newest;
    const staleness = this.dataStalenessSeconds();
    if (staleness !== undefined) this.options.metrics?.dataStaleness.set(staleness);
  }

  private onSuccess(): void {
    if (this.connectedState) return;
    this.connectedState = true;
    this.options.metrics?.reconnects.inc();
    this.options.metrics?.brokerUp.set(1);
    this.options.onStatus?.(true, this.lastErrorValue);
    this.fire('WARNING', 'BROKER RECONNECTED', `${this.options.venue}: reachable again`, {
      venue: this.options.venue,
    });
  }

  private onFailure(error: unknown): void {
    const kind = errorKindOf(error);
    this.options.metrics?.brokerErrors.inc({ kind });
    this.lastErrorValue = {
      kind,
      message: errorMessage(error),
      at: new Date(this.options.now()).toISOString(),
    };
    if (isConnectionError(error)) this.markDown(error);
  }

  private markDown(error: unknown): void {
    if (!this.connectedState) return;
    this.connectedState = false;
    this.options.metrics?.disconnects.inc();
    this.options.metrics?.brokerUp.set(0);
    this.options.onStatus?.(
      false,
      this.lastErrorValue ?? {
        kind: errorKindOf(error),
        message: errorMessage(error),
        at: new Date(this.options.now()).toISOString(),
      },
    );
    this.fire('WARNING', 'BROKER DISCONNECTED', `${this.options.venue}: ${errorMessage(error)}`, {
      venue: this.options.venue,
      kind: errorKindOf(error),
    });
  }

  private fire(
    level: AlertLevel,
    title: string,
    message: string,
    context: Readonly<Record<string, unknown>>,
  ): void {
    const delivery = this.options.raise(level, title, message, context).catch(() => undefined);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
