import type { Broker, Clock } from '@quantpipe/core';

/**
 * Time as the broker sees it: the broker's clock timestamp plus the wall time elapsed since it
 * was read. Market hours and "now" then come from one source (the venue), which also lets the
 * trader run against an emulator whose clock is set to another date. Sleeping is real time.
 */
export class BrokerClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly broker: Broker) {}

  /** Re-reads the broker's clock. */
  async sync(): Promise<void> {
    const clock = await this.broker.getClock();
    const brokerMs = Date.parse(clock.timestamp);
    if (Number.isFinite(brokerMs)) this.offsetMs = brokerMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

/** Wall time shifted to start at a given instant (a simulated venue replaying past data). */
export class OffsetClock implements Clock {
  private readonly offsetMs: number;

  constructor(startMs: number) {
    this.offsetMs = startMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}
