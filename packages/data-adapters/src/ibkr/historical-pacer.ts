import { RateLimiter } from '@quantpipe/core';

/** Options of {@link HistoricalPacer}. */
export interface HistoricalPacerOptions {
  /**
   * Minimum gap between two identical requests. Default 16 000 ms: the service's 15 s plus a
   * second of margin for transit and the client's own send queue.
   */
  readonly identicalWindowMs?: number;
  /** At most this many requests ... Default 60. */
  readonly maxRequests?: number;
  /** ... in any window of this many ms. Default 600 000 (10 minutes). */
  readonly windowMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Client-side pacing of historical-data requests, so the service never has to answer with a
 * pacing violation (162): an identical request waits until `identicalWindowMs` has passed
 * since the previous one, and a sliding-window {@link RateLimiter} keeps at most `maxRequests`
 * in any `windowMs`. Requests are served in order.
 */
export class HistoricalPacer {
  private readonly lastSent = new Map<string, number>();
  private readonly limiter: RateLimiter;
  private readonly identicalWindowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: HistoricalPacerOptions = {}) {
    this.identicalWindowMs = options.identicalWindowMs ?? 16_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.limiter = new RateLimiter({
      maxCalls: options.maxRequests ?? 60,
      windowMs: options.windowMs ?? 600_000,
      now: this.now,
      sleep: this.sleep,
    });
  }

  /** Waits until a request with this identity may be sent, then records it as sent. */
  acquire(key: string): Promise<void> {
    const turn = this.queue.then(() => this.take(key));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(key: string): Promise<void> {
    const last = this.lastSent.get(key);
    if (last !== undefined) {
      const waitMs = last + this.identicalWindowMs - this.now();
      if (waitMs > 0) await this.sleep(waitMs);
    }
    await this.limiter.acquire();
    this.lastSent.set(key, this.now());
    // Forget identities that can no longer delay anything.
    if (this.lastSent.size > 1000) {
      const horizon = this.now() - this.identicalWindowMs;
      for (const [k, t] of this.lastSent) if (t < horizon) this.lastSent.delete(k);
    }
  }
}
