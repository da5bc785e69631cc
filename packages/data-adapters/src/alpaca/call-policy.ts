import {
  BrokerError,
  QuantpipeError,
  RateLimiter,
  retry,
  silentLogger,
  type Logger,
  type RetryOptions,
} from '@quantpipe/core';
import { toAlpacaError } from './alpaca-errors';

/** Retry, rate-limit and timeout settings shared by the Alpaca adapters. */
export interface AlpacaCallPolicyOptions {
  /** Retry/backoff. Default: 5 attempts, 500 ms base delay doubling, 30 s cap, jitter 0.5. */
  readonly retry?: RetryOptions;
  /** A limiter shared with other adapters of the same account. Default: a new one. */
  readonly rateLimiter?: RateLimiter;
  /** Requests a minute when no limiter is given. Default 200 (Alpaca's limit). */
  readonly requestsPerMinute?: number;
  /** One HTTP request (one page) may take this long before it counts as a timeout. Default 30 000 ms. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * Runs calls to Alpaca under the policy: each HTTP request takes a rate-limiter slot and a
 * timeout; failures become typed {@link BrokerError}s; retryable ones (rate limit, 5xx,
 * connection, timeout) are retried with backoff, honouring Retry-After.
 */
export class AlpacaCallPolicy {
  readonly limiter: RateLimiter;
  private readonly retryOptions: RetryOptions;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(options: AlpacaCallPolicyOptions = {}) {
    this.limiter =
      options.rateLimiter ??
      new RateLimiter({ maxCalls: options.requestsPerMinute ?? 200, windowMs: 60_000 });
    this.retryOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** Waits for a rate-limiter slot (one per HTTP request). */
  acquire(): Promise<void> {
    return this.limiter.acquire();
  }

  /** Rejects with a `timeout` BrokerError when `promise` takes longer than the policy allows. */
  withTimeout<T>(promise: Promise<T>, operation: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new BrokerError('timeout', `alpaca ${operation} timed out after ${this.timeoutMs} ms`, {
              venue: 'alpaca',
              context: { operation },
            }),
          ),
        this.timeoutMs,
      );
      timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Runs `attempt` with retries. `attempt` gets the attempt number; for a single request use
   * {@link AlpacaCallPolicy.request}, which also takes the limiter slot and the timeout.
   */
  run<T>(operation: string, attempt: (n: number) => Promise<T>): Promise<T> {
    return retry(
      async (n) => {
        try {
          return await attempt(n);
        } catch (error) {
          // Our own typed errors (bad data, validation) are final and pass through unchanged.
          throw error instanceof QuantpipeError ? error : toAlpacaError(error, operation);
        }
      },
      {
        ...this.retryOptions,
        onRetry: (info) => {
          const e = info.error instanceof BrokerError ? info.error : undefined;
          this.logger.warn(
            {
              venue: 'alpaca',
              operation,
              attempt: info.attempt,
              kind: e?.kind,
              status: e?.status,
              delayMs: Math.round(info.delayMs),
            },
            `alpaca ${operation} failed (${e?.kind ?? 'error'}); retrying`,
          );
          this.retryOptions.onRetry?.(info);
        },
      },
    );
  }

  /** One HTTP request under the full policy: limiter slot, timeout, typed errors, retries. */
  request<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.run(operation, async () => {
      await this.acquire();
      return this.withTimeout(call(), operation);
    });
  }
}
