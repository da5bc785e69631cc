import { BrokerError, QuantpipeError } from './errors';

/** Options of {@link retry}. Defaults follow the spec's `safe_api_call` (3 attempts, 2^n s). */
export interface RetryOptions {
  /** Total attempts, including the first. Default 3. */
  readonly maxAttempts?: number;
  /** Delay before the 2nd attempt; doubles each time. Default 1000 ms (spec: 2**attempt s). */
  readonly baseDelayMs?: number;
  /** Upper bound of one delay. Default 30 000 ms. */
  readonly maxDelayMs?: number;
  /**
   * Random share of each delay, 0..1: the delay is drawn from [d·(1-jitter), d]. Jitter keeps
   * many clients from retrying in lock step. Default 0.5.
   */
  readonly jitter?: number;
  /** Which errors are worth retrying. Default: {@link isRetryableError}. */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait, e.g. to log. */
  readonly onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
  /** Injected for tests and simulated clocks. Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected for tests. Default: Math.random. */
  readonly random?: () => number;
}

/**
 * Retryable by default: broker errors that say so (rate limit, connection, timeout, 5xx), and
 * errors that are not ours (network failures thrown by client libraries). Our own typed errors
 * (validation, config, rejected orders, ...) are final.
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof BrokerError) return error.retryable;
  if (error instanceof QuantpipeError) return false;
  return true;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` until it succeeds or the attempts are used up, waiting with exponential backoff
 * and jitter between attempts. A {@link BrokerError} with `retryAfterMs` (HTTP Retry-After)
 * waits at least that long. The last error is rethrown unchanged.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const shouldRetry = options.shouldRetry ?? isRetryableError;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !shouldRetry(error, attempt)) throw error;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      let delayMs = backoff * (1 - jitter * random());
      if (error instanceof BrokerError && error.retryAfterMs !== undefined) {
        delayMs = Math.max(delayMs, error.retryAfterMs);
      }
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs);
    }
  }
}

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** At most this many calls ... */
  readonly maxCalls: number;
  /** ... in any window of this many milliseconds. */
  readonly windowMs: number;
  /** Milliseconds since the epoch. Default: Date.now. */
  readonly now?: () => number;
  /** Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Sliding-window rate limiter: `acquire()` resolves when one more call fits in the window
 * (e.g. Alpaca's 200 requests a minute, IB's 60 historical requests in 10 minutes).
 * Calls are served in order.
 */
export class RateLimiter {
  private readonly stamps: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.maxCalls >= 1) || !(options.windowMs > 0)) {
      throw new RangeError('RateLimiter needs maxCalls >= 1 and windowMs > 0');
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Waits for a free slot, then takes it. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Milliseconds until a slot frees up (0 when one is free now). */
  waitTimeMs(): number {
    const now = this.now();
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= now - this.options.windowMs)
      this.stamps.shift();
    if (this.stamps.length < this.options.maxCalls) return 0;
    return (this.stamps[0] as number) + this.options.windowMs - now;
  }

  private async take(): Promise<void> {
    for (let wait = this.waitTimeMs(); wait > 0; wait = this.waitTimeMs()) await this.sleep(wait);
    this.stamps.push(this.now());
  }
}
