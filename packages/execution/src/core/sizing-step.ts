import { StateError, ValidationError, type JsonValue, type Logger } from '@quantpipe/core';
import {
  AdaptiveDecay,
  decayStepInto,
  resolveSizingConfig,
  sizeSharesInto,
  type AdaptiveDecayState,
  type DecayStepOutput,
  type SizingColumns,
  type SizingConfig,
} from '@quantpipe/sizing';
import type { EngineConfig } from '../engine-config';
import { sessionOrdinalOfWeekdayOrdinal } from '../session-time';
import { TARGET_SHARES, TARGET_WEIGHT, type CycleDecisions } from './cycle-decisions';
import type { MarketFigures } from './market-figures';
import { signalStrength } from './no-trade-band';
import type { SymbolTable } from './symbol-table';

/** What {@link SizingStep} needs of the engine configuration. */
export type SizingStepConfig = Pick<
  EngineConfig,
  | 'position_decay'
  | 'decay_halflife'
  | 'buffer_zone'
  | 'max_position_size'
  | 'min_leverage'
  | 'max_leverage'
  | 'max_adv_pct'
>;

/** `JSON.stringify`'s number: non-finite is null, -0 is 0. */
function jsonNumber(value: number): number | null {
  return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
}

/**
 * The cycle's sizing: each decision's composite goes through the spec's AdaptivePositionSizer
 * (5.2: exponential decay with a buffer zone, one step per cycle and symbol), then the
 * liquidity-aware sizing (5.1) turns the composites into whole shares; explicit share targets
 * and fractions of equity pass through. Synchronous and allocation-free per cycle; the decay
 * state is journaled by the driver ({@link SizingStep.decayState}).
 */
export class SizingStep {
  private readonly sizing: SizingConfig;
  private decayPosition: Float64Array;
  private decayAge: Float64Array;
  private decayHeld: Uint8Array;
  /** Per symbol: the session ordinal of its last decay step (NaN: unknown). */
  private decaySession: Float64Array;
  /** The session ordinal of the cycle being sized (NaN: none given). */
  private session = Number.NaN;
  /** Symbols with decay state, in the order they got it (the journaled order). */
  private readonly decayOrder: number[] = [];
  private readonly stepOut: DecayStepOutput = { position: 0, age: 0 };
  /** Per decision: 1 when the decision is sized this cycle (its symbol has market figures). */
  usable: Uint8Array;
  /** Per decision: the target in whole shares (0 for an unusable one). */
  targets: Float64Array;
  private sizedShares: Float64Array;
  private sizedAt: Int32Array;
  private readonly columns: {
    count: number;
    compositeSignal: Float64Array;
    confidence: Float64Array;
    priceUsd: Float64Array;
    adv20: Float64Array;
    describe: (i: number) => string;
  };
  private seen: Int32Array;
  private cycleMark = 0;

  constructor(
    private readonly config: SizingStepConfig,
    private readonly symbols: SymbolTable,
  ) {
    this.sizing = resolveSizingConfig({
      max_position_size: config.max_position_size,
      min_leverage: config.min_leverage,
      max_leverage: config.max_leverage,
      max_adv_pct: config.max_adv_pct,
    });
    const capacity = symbols.capacity;
    this.decayPosition = new Float64Array(capacity);
    this.decayAge = new Float64Array(capacity);
    this.decayHeld = new Uint8Array(capacity);
    this.decaySession = new Float64Array(capacity).fill(Number.NaN);
    this.seen = new Int32Array(capacity);
    this.usable = new Uint8Array(capacity);
    this.targets = new Float64Array(capacity);
    this.sizedShares = new Float64Array(capacity);
    this.sizedAt = new Int32Array(capacity);
    const sizedSymbol = new Int32Array(capacity);
    this.columns = {
      count: 0,
      compositeSignal: new Float64Array(capacity),
      confidence: new Float64Array(capacity),
      priceUsd: new Float64Array(capacity),
      adv20: new Float64Array(capacity),
      describe: (i) => this.symbols.name(sizedSymbol[i] as number),
    };
    this.sizedSymbol = sizedSymbol;
  }

  private sizedSymbol: Int32Array;

  private ensure(decisions: number): void {
    const capacity = Math.max(this.symbols.capacity, decisions);
    if (this.targets.length >= capacity) return;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const out = make(capacity);
      out.set(a);
      return out;
    };
    this.decayPosition = grow(this.decayPosition, (n) => new Float64Array(n));
    this.decayAge = grow(this.decayAge, (n) => new Float64Array(n));
    this.decayHeld = grow(this.decayHeld, (n) => new Uint8Array(n));
    this.decaySession = grow(this.decaySession, (n) => new Float64Array(n).fill(Number.NaN));
    this.seen = grow(this.seen, (n) => new Int32Array(n));
    this.usable = new Uint8Array(capacity);
    this.targets = new Float64Array(capacity);
    this.sizedShares = new Float64Array(capacity);
    this.sizedAt = new Int32Array(capacity);
    const sizedSymbol = new Int32Array(capacity);
    this.sizedSymbol = sizedSymbol;
    const c = this.columns;
    c.compositeSignal = new Float64Array(capacity);
    c.confidence = new Float64Array(capacity);
    c.priceUsd = new Float64Array(capacity);
    c.adv20 = new Float64Array(capacity);
    c.describe = (i) => this.symbols.name(sizedSymbol[i] as number);
  }

  /** Whether any symbol has decay state. */
  get hasDecayState(): boolean {
    return this.decayOrder.length > 0;
  }

  /**
   * The composite after one decay step of symbol `index`. A non-finite composite passes
   * through unchanged (the sizing rejects it) and leaves the decay state as it was.
   */
  private decayed(index: number, composite: number): number {
    if (!this.config.position_decay || !Number.isFinite(composite)) return composite;
    if (this.decayHeld[index] !== 1) {
      this.decayHeld[index] = 1;
      this.decayPosition[index] = 0;
      this.decayAge[index] = 0;
      this.decayOrder.push(index);
    }
    const out = this.stepOut;
    // The half-life is in sessions: a kept position ages by the sessions since its last step
    // (0 within one session, so hourly cycles do not age it 7 times a day).
    const last = this.decaySession[index] as number;
    const session = this.session;
    const ageStep = session === session && last === last ? Math.max(0, session - last) : 1;
    this.decaySession[index] = session;
    decayStepInto(
      out,
      composite,
      this.decayPosition[index] as number,
      this.decayAge[index] as number,
      this.config.decay_halflife,
      this.config.buffer_zone,
      ageStep,
    );
    this.decayPosition[index] = out.position;
    this.decayAge[index] = out.age;
    return out.position;
  }

  /**
   * Sizes the cycle's decisions: a decision whose symbol has no market figures this cycle is
   * left out (it had too little history, say), unless the symbol has no bars at all, which is a
   * {@link StateError} (the strategy decided on data the engine does not have).
   *
   * @param hasBars whether the engine holds bars of symbol `index`.
   */
  size(
    decisions: CycleDecisions,
    figures: MarketFigures,
    hasBars: (index: number) => boolean,
    equityUsd: number,
    session = Number.NaN,
  ): void {
    this.session = session;
    this.ensure(decisions.count);
    const cols = this.columns;
    let sized = 0;
    for (let i = 0; i < decisions.count; i++) {
      const index = decisions.symbol[i] as number;
      const has = figures.has[index] === 1;
      if (!has && hasBars(index)) {
        this.usable[i] = 0;
        this.targets[i] = 0;
        continue;
      }
      if (!has)
        throw new StateError(`strategy decided on ${this.symbols.name(index)}, which has no bars`);
      this.usable[i] = 1;
      const kind = decisions.targetKind[i] as number;
      if (kind === TARGET_SHARES) {
        this.targets[i] = decisions.targetValue[i] as number;
        this.sizedAt[i] = -1;
      } else if (kind === TARGET_WEIGHT) {
        // As TargetWeightsStrategy: trunc(equity × weight / last close), never -0.
        this.targets[i] =
          Math.trunc(
            (equityUsd * (decisions.targetValue[i] as number)) /
              (figures.priceUsd[index] as number),
          ) || 0;
        this.sizedAt[i] = -1;
      } else {
        cols.compositeSignal[sized] = this.decayed(index, decisions.composite[i] as number);
        cols.confidence[sized] = decisions.confidence[i] as number;
        cols.priceUsd[sized] = figures.priceUsd[index] as number;
        cols.adv20[sized] = figures.adv[index] as number;
        this.sizedSymbol[sized] = index;
        this.sizedAt[i] = sized;
        sized++;
      }
    }
    cols.count = sized;
    if (sized > 0 && equityUsd > 0) {
      this.refuseDuplicates(sized);
      sizeSharesInto(cols as SizingColumns, equityUsd, this.sizing, this.sizedShares);
    } else {
      for (let k = 0; k < sized; k++) this.sizedShares[k] = 0;
    }
    for (let i = 0; i < decisions.count; i++) {
      const at = this.sizedAt[i] as number;
      if (this.usable[i] === 1 && at >= 0) this.targets[i] = this.sizedShares[at] as number;
    }
  }

  /**
   * The signal strength decision `i` of the last {@link SizingStep.size} was sized from
   * ({@link signalStrength} of the composite after its decay step), or, for an explicit target,
   * of the composite the strategy reported with it.
   */
  strengthOf(decisions: CycleDecisions, i: number): number {
    const at = this.sizedAt[i] as number;
    return at >= 0
      ? signalStrength(
          this.columns.compositeSignal[at] as number,
          this.columns.confidence[at] as number,
        )
      : signalStrength(decisions.composite[i] as number, decisions.confidence[i] as number);
  }

  /** The sizing sizes each symbol once (as `computeTargetShares` refuses duplicates). */
  private refuseDuplicates(sized: number): void {
    const mark = ++this.cycleMark;
    for (let k = 0; k < sized; k++) {
      const index = this.sizedSymbol[k] as number;
      if (this.seen[index] === mark)
        throw new ValidationError(
          `entries[${k}].symbol`,
          `duplicate symbol ${this.symbols.name(index)}`,
        );
      this.seen[index] = mark;
    }
  }

  /**
   * The decay state as columns (`{ symbols, currentPosition, positionAge }`): it changes every
   * cycle, and arrays of numbers serialise several times faster than an object per symbol.
   */
  decayState(): JsonValue {
    const symbols: string[] = [];
    const currentPosition: JsonValue[] = [];
    const positionAge: JsonValue[] = [];
    const lastExchangeSession: JsonValue[] = [];
    for (const index of this.decayOrder) {
      symbols.push(this.symbols.name(index));
      currentPosition.push(jsonNumber(this.decayPosition[index] as number));
      positionAge.push(jsonNumber(this.decayAge[index] as number));
      lastExchangeSession.push(jsonNumber(this.decaySession[index] as number));
    }
    return { symbols, currentPosition, positionAge, lastExchangeSession };
  }

  /** Restores {@link SizingStep.decayState}, or the earlier form `{ [symbol]: state }`. */
  restoreDecay(raw: JsonValue | undefined, logger: Logger): void {
    for (const index of this.decayOrder) {
      this.decayHeld[index] = 0;
      this.decaySession[index] = Number.NaN;
    }
    this.decayOrder.length = 0;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const entries: [string, JsonValue | undefined][] = [];
    const { symbols, currentPosition, positionAge, lastExchangeSession, lastSession } = raw;
    const sessions = new Map<string, number>();
    if (Array.isArray(symbols) && Array.isArray(currentPosition) && Array.isArray(positionAge)) {
      // `lastSession` is the weekday ordinal earlier versions saved: converted, so a restart
      // after an upgrade ages each kept position by the exchange sessions since its last step.
      const saved = Array.isArray(lastExchangeSession) ? lastExchangeSession : lastSession;
      const convert = !Array.isArray(lastExchangeSession);
      if (Array.isArray(saved))
        symbols.forEach((symbol, i) => {
          const at = saved[i];
          if (typeof at === 'number')
            sessions.set(String(symbol), convert ? sessionOrdinalOfWeekdayOrdinal(at) : at);
        });
      symbols.forEach((symbol, i) =>
        entries.push([
          String(symbol),
          { currentPosition: currentPosition[i] ?? null, positionAge: positionAge[i] ?? null },
        ]),
      );
    } else entries.push(...Object.entries(raw));
    for (const [symbol, state] of entries) {
      try {
        // Validates the saved state as the live class does.
        const decay = new AdaptiveDecay(
          { halfLifeDays: this.config.decay_halflife, bufferZone: this.config.buffer_zone },
          state as unknown as AdaptiveDecayState,
        ).toJSON();
        const index = this.symbols.add(symbol);
        this.ensure(0);
        if (this.decayHeld[index] !== 1) this.decayOrder.push(index);
        this.decayHeld[index] = 1;
        this.decayPosition[index] = decay.currentPosition;
        this.decayAge[index] = decay.positionAge;
        this.decaySession[index] = sessions.get(symbol) ?? Number.NaN;
      } catch (error) {
        logger.warn(
          { symbol, err: String(error) },
          'position decay state unreadable; starting flat',
        );
      }
    }
  }
}
