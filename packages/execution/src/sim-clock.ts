import { ValidationError, type Clock } from '@quantpipe/core';

/**
 * A simulated {@link Clock}: time moves only when told to. `sleep` advances the simulated time
 * by the requested amount and resolves at once, so a 30 s fill timeout costs nothing in a
 * backtest or a test.
 */
export class SimClock implements Clock {
  private nowMs: number;

  /** @param start epoch milliseconds or an ISO-8601 instant. */
  constructor(start: number | string) {
    this.nowMs = SimClock.toMs('start', start);
  }

  private static toMs(argument: string, value: number | string): number {
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) {
      throw new ValidationError(
        argument,
        `expected epoch ms or an ISO-8601 instant, got ${String(value)}`,
      );
    }
    return ms;
  }

  now(): number {
    return this.nowMs;
  }

  /** The current simulated instant as ISO-8601 UTC. */
  nowIso(): string {
    return new Date(this.nowMs).toISOString();
  }

  /** Moves the clock to an instant; going backwards is refused (a StateError-free ValidationError). */
  set(instant: number | string): void {
    const ms = SimClock.toMs('instant', instant);
    if (ms < this.nowMs) {
      throw new ValidationError(
        'instant',
        `cannot move a clock backwards (${new Date(ms).toISOString()} < ${this.nowIso()})`,
      );
    }
    this.nowMs = ms;
  }

  /** Moves the clock forward by `ms` (>= 0). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new ValidationError('ms', `expected a finite number >= 0, got ${String(ms)}`);
    this.nowMs += ms;
  }

  /** Advances simulated time by `ms` and resolves immediately. */
  async sleep(ms: number): Promise<void> {
    this.advance(Math.max(0, ms));
  }
}
