/** Options of {@link PacingGuard}. Defaults are the service's published historical-data limits. */
export interface PacingOptions {
  /** An identical request within this many ms is a violation. Default 15 000. */
  readonly identicalWindowMs?: number;
  /** At most `maxRequests` requests ... Default 60. */
  readonly maxRequests?: number;
  /** ... in any window of this many ms. Default 600 000 (10 minutes). */
  readonly windowMs?: number;
}

/**
 * The historical-data pacing rules: no identical request within `identicalWindowMs`, at most
 * `maxRequests` requests in any `windowMs`. Only accepted requests count.
 */
export class PacingGuard {
  private readonly accepted: number[] = [];
  private readonly lastByKey = new Map<string, number>();
  readonly identicalWindowMs: number;
  readonly maxRequests: number;
  readonly windowMs: number;

  constructor(options: PacingOptions = {}) {
    this.identicalWindowMs = options.identicalWindowMs ?? 15_000;
    this.maxRequests = options.maxRequests ?? 60;
    this.windowMs = options.windowMs ?? 600_000;
  }

  /** Records the request if it is allowed; returns why not otherwise. */
  admit(key: string, nowMs: number): string | undefined {
    const last = this.lastByKey.get(key);
    if (last !== undefined && nowMs - last < this.identicalWindowMs) {
      return 'Historical Market Data Service error message:Pacing violation: identical request within 15 seconds';
    }
    while (this.accepted.length > 0 && (this.accepted[0] as number) <= nowMs - this.windowMs) {
      this.accepted.shift();
    }
    if (this.accepted.length >= this.maxRequests) {
      return 'Historical Market Data Service error message:Pacing violation: more than 60 requests within 10 minutes';
    }
    this.accepted.push(nowMs);
    this.lastByKey.set(key, nowMs);
    return undefined;
  }
}
