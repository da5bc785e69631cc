/** The emulator's notion of now: a fixed simulated instant (moved by hand) or the wall clock. */
export class EmulatorClock {
  private fixedMs: number | undefined;

  /** @param fixedMs A simulated instant, or undefined for the wall clock. */
  constructor(fixedMs?: number) {
    this.fixedMs = fixedMs;
  }

  now(): number {
    return this.fixedMs ?? Date.now();
  }

  get mode(): 'fixed' | 'wall' {
    return this.fixedMs === undefined ? 'wall' : 'fixed';
  }

  /** Freezes the clock at an instant. */
  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('clock time must be a valid instant');
    this.fixedMs = ms;
  }

  /** Moves a fixed clock forward (or back, when negative). */
  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  /** Follows the wall clock from now on. */
  useWallClock(): void {
    this.fixedMs = undefined;
  }
}
