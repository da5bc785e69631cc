import { StateError, ValidationError, assertArrayLike } from '@quantpipe/core';

/** Options of the adaptive position decay (spec section 5.2). */
export interface AdaptiveDecayOptions {
  /** Half-life of the decay in bars (days for daily signals), > 0. Default 10. */
  readonly halfLifeDays?: number;
  /** Relative change below which the old position is kept, >= 0. Default 0.15. */
  readonly bufferZone?: number;
}

/** Persistable state of {@link AdaptiveDecay}: plain JSON. */
export interface AdaptiveDecayState {
  /** Position held after the last step (signal units, in [-1, 1]). */
  readonly currentPosition: number;
  /** Consecutive steps the position has been kept by the buffer. */
  readonly positionAge: number;
}

/** One decay step's output. */
export interface AdaptiveDecayStep {
  /** Position after this step. */
  readonly position: number;
  /** Age after this step. */
  readonly age: number;
}

function resolveOptions(options: AdaptiveDecayOptions): { halfLife: number; buffer: number } {
  const halfLife = options.halfLifeDays ?? 10;
  const buffer = options.bufferZone ?? 0.15;
  if (!Number.isFinite(halfLife) || halfLife <= 0) {
    throw new ValidationError('halfLifeDays', `expected a finite number > 0, got ${halfLife}`);
  }
  if (!Number.isFinite(buffer) || buffer < 0) {
    throw new ValidationError('bufferZone', `expected a finite number >= 0, got ${buffer}`);
  }
  return { halfLife, buffer };
}

/** Where {@link decayStepInto} writes a step's outcome (callers reuse one). */
export interface DecayStepOutput {
  /** Position after the step. */
  position: number;
  /** Age after the step. */
  age: number;
}

/**
 * The spec's decay step (5.2), as written, into `out` (allocates nothing). Quirks kept: the decay
 * uses the age from *before* the buffer decision, and inside the buffer the old position is kept
 * (not the decayed one). Inputs are trusted (see {@link AdaptiveDecay.step} for the checks).
 */
export function decayStepInto(
  out: DecayStepOutput,
  signal: number,
  currentPosition: number,
  positionAge: number,
  halfLife: number,
  buffer: number,
): void {
  const rawPosition = Math.sign(signal) * Math.min(Math.abs(signal), 1.0);
  const decayFactor = Math.pow(0.5, positionAge / halfLife);
  let position = rawPosition * decayFactor;
  let age = positionAge;
  if (currentPosition !== 0) {
    const pctChange = Math.abs(position - currentPosition) / Math.abs(currentPosition);
    if (pctChange < buffer) {
      position = currentPosition;
      age += 1;
    } else {
      age = 0;
    }
  } else {
    age = 0;
  }
  out.position = position === 0 ? 0 : position;
  out.age = age;
}

/**
 * Stateful adaptive decay for live use: one {@link AdaptiveDecay.step} per new signal value.
 * The state (position and age) serialises to JSON so an engine can persist it across restarts.
 * Unlike the batch {@link adaptiveDecayPositions}, every value given to `step` is used.
 */
export class AdaptiveDecay {
  private currentPosition: number;
  private positionAge: number;
  private readonly halfLife: number;
  private readonly buffer: number;

  /**
   * @param options half-life and buffer zone (spec defaults 10 and 0.15).
   * @param state state saved by {@link AdaptiveDecay.toJSON}; fresh (flat, age 0) when omitted.
   * @throws ValidationError for bad options; StateError for a malformed state.
   */
  constructor(options: AdaptiveDecayOptions = {}, state?: AdaptiveDecayState) {
    const { halfLife, buffer } = resolveOptions(options);
    this.halfLife = halfLife;
    this.buffer = buffer;
    if (state === undefined) {
      this.currentPosition = 0;
      this.positionAge = 0;
    } else {
      if (typeof state.currentPosition !== 'number' || !Number.isFinite(state.currentPosition)) {
        throw new StateError(
          `decay state: currentPosition is not finite: ${String(state.currentPosition)}`,
        );
      }
      if (!Number.isSafeInteger(state.positionAge) || state.positionAge < 0) {
        throw new StateError(
          `decay state: positionAge is not an integer >= 0: ${String(state.positionAge)}`,
        );
      }
      this.currentPosition = state.currentPosition;
      this.positionAge = state.positionAge;
    }
  }

  /**
   * Feeds the next signal value and returns the new position and age.
   * @throws ValidationError when `signal` is not finite (the state is left unchanged).
   */
  step(signal: number): AdaptiveDecayStep {
    if (typeof signal !== 'number' || !Number.isFinite(signal)) {
      throw new ValidationError('signal', `expected a finite number, got ${String(signal)}`);
    }
    const out = { position: 0, age: 0 };
    decayStepInto(out, signal, this.currentPosition, this.positionAge, this.halfLife, this.buffer);
    this.currentPosition = out.position;
    this.positionAge = out.age;
    return out;
  }

  /** Current state, safe to `JSON.stringify` and pass back to the constructor. */
  toJSON(): AdaptiveDecayState {
    return { currentPosition: this.currentPosition, positionAge: this.positionAge };
  }
}

/** Result of {@link adaptiveDecayPositions}. */
export interface DecayedPositions {
  /** Position per input value (signal units). */
  readonly positions: number[];
  /** Position age per input value (integers). */
  readonly ages: number[];
}

/**
 * The spec's `compute_positions_with_decay` over a whole series, starting flat.
 * Quirk kept: the first value is skipped (`positions[0] = 0`, `ages[0] = 0`), as the seed's
 * loop does; the decay uses the pre-buffer age; inside the buffer the old position is kept.
 * The spec's `returns` argument is unused by the seed and therefore not taken.
 *
 * @param signal signal values in time order (finite).
 * @throws ValidationError naming the index of a non-finite value, or for bad options.
 */
export function adaptiveDecayPositions(
  signal: ArrayLike<number>,
  options: AdaptiveDecayOptions = {},
): DecayedPositions {
  assertArrayLike('signal', signal);
  const decay = new AdaptiveDecay(options);
  const positions = new Array<number>(signal.length).fill(0);
  const ages = new Array<number>(signal.length).fill(0);
  for (let i = 1; i < signal.length; i++) {
    const value = signal[i] as number;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValidationError(`signal[${i}]`, `expected a finite number, got ${String(value)}`);
    }
    const out = decay.step(value);
    positions[i] = out.position;
    ages[i] = out.age;
  }
  return { positions, ages };
}
