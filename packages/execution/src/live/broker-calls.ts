import { BrokerError, retry, type Clock, type Logger } from '@quantpipe/core';

/**
 * Broker calls with the spec's `safe_api_call` policy (3 attempts, exponential backoff on the
 * engine's clock), and the one place that notices a lost connection: after a connection or
 * timeout error the engine reconciles before it trades again.
 */
export class BrokerCalls {
  /** Set by a connection or timeout error; the driver reconciles and clears it. */
  connectionTrouble = false;

  constructor(
    private readonly clock: Clock,
    private readonly baseDelayMs: number,
    private readonly logger: Logger,
  ) {}

  /** A lost connection means a reconnect: reconcile before the next cycle trades. */
  noteTrouble(error: unknown): void {
    if (error instanceof BrokerError && (error.kind === 'connection' || error.kind === 'timeout'))
      this.connectionTrouble = true;
  }

  /** `fn` retried (3 attempts); each retry is logged with `what`. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    // The first attempt runs bare: nearly every call succeeds at once, and a backtest makes
    // several per order. A failure continues in `retry` exactly as if it had run the attempt.
    return firstAttempt(fn).catch((error: unknown) =>
      retry(
        afterFailedFirstAttempt(error, () => fn()),
        {
          maxAttempts: 3,
          baseDelayMs: this.baseDelayMs,
          sleep: (ms) => this.clock.sleep(ms),
          onRetry: ({ error: e, attempt, delayMs }) => {
            this.noteTrouble(e);
            this.logger.warn(
              { err: e instanceof Error ? e.message : String(e), attempt, delayMs, what },
              'broker call failed, retrying',
            );
          },
        },
      ),
    );
  }

  /**
   * `submit(attempt)` retried as an order submission: attempt 1 runs bare; later attempts are
   * given their number (so a submitter can look for the order before sending it again).
   */
  submit<T>(submit: (attempt: number) => Promise<T>): Promise<T> {
    return firstAttempt(() => submit(1)).catch((error: unknown) =>
      retry(afterFailedFirstAttempt(error, submit), {
        maxAttempts: 3,
        baseDelayMs: this.baseDelayMs,
        sleep: (ms) => this.clock.sleep(ms),
        onRetry: ({ error: e }) => this.noteTrouble(e),
      }),
    );
  }
}

/** `fn()` as a promise, also when `fn` throws instead of rejecting. */
function firstAttempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * For `retry` after a first attempt made outside it: attempt 1 fails again with the same
 * error (so `retry` decides, waits and logs as usual), later attempts call `fn`.
 */
function afterFailedFirstAttempt<T>(
  error: unknown,
  fn: (attempt: number) => Promise<T>,
): (attempt: number) => Promise<T> {
  return (attempt) => (attempt === 1 ? Promise.reject(error) : fn(attempt));
}
