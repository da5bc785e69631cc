import type { Logger } from '@quantpipe/core';
import type { TradingDatabase } from '@quantpipe/storage';

/**
 * Writes the run's heartbeat (wall clock) every `everyMs`, each valid for `validMs`: when the
 * process dies, `trader status` sees the heartbeat expire and reports the run as lost instead of
 * `running`. A failed write is logged, never fatal.
 */
export class RunHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: TradingDatabase,
    private readonly runId: string,
    private readonly validMs: number,
    private readonly logger: Logger,
  ) {}

  /** The heartbeat instants for now: `{ at, expiresAt }`. */
  beat(nowMs = Date.now()): { at: string; expiresAt: string } {
    return {
      at: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + this.validMs).toISOString(),
    };
  }

  start(): void {
    const everyMs = Math.max(50, Math.floor(this.validMs / 3));
    this.timer = setInterval(() => {
      this.inFlight = this.db.recordHeartbeat(this.runId, this.beat()).catch((error: unknown) => {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'heartbeat not recorded',
        );
      });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}
