import fc from 'fast-check';
import { StateError, ValidationError } from '@quantpipe/core';
import { AdaptiveDecay, computeTargetShares } from '@quantpipe/sizing';
import { ListLogger } from '../live/testing/fakes';
import { CycleDecisions, TARGET_SHARES, TARGET_SIZED, TARGET_WEIGHT } from './cycle-decisions';
import { MarketFigures } from './market-figures';
import { SizingStep, type SizingStepConfig } from './sizing-step';
import { SymbolTable } from './symbol-table';
import { sessionOrdinal } from '../session-time';

const config: SizingStepConfig = {
  position_decay: true,
  decay_halflife: 10,
  buffer_zone: 0.15,
  max_position_size: 0.2,
  min_leverage: 1,
  max_leverage: 3,
  max_adv_pct: 0.1,
};
const sizingConfig = {
  max_position_size: config.max_position_size,
  min_leverage: config.min_leverage,
  max_leverage: config.max_leverage,
  max_adv_pct: config.max_adv_pct,
};
const UNIVERSE = ['AAA', 'BBB', 'CCC', 'DDD'];

function setup(cfg: Partial<SizingStepConfig> = {}, universe = UNIVERSE) {
  const table = new SymbolTable(universe);
  const step = new SizingStep({ ...config, ...cfg }, table);
  const figures = new MarketFigures(table.capacity);
  const decisions = new CycleDecisions(table.capacity);
  return { table, step, figures, decisions };
}

const always = () => true;

interface Row {
  readonly symbol: number;
  readonly composite: number;
  readonly confidence: number;
  readonly priceUsd: number;
  readonly adv: number;
}

const row: fc.Arbitrary<Row> = fc.record({
  symbol: fc.integer({ min: 0, max: UNIVERSE.length - 1 }),
  composite: fc.double({ min: -3, max: 3, noNaN: true }),
  confidence: fc.double({ min: 0, max: 1.5, noNaN: true }),
  priceUsd: fc.double({ min: 1, max: 500, noNaN: true }),
  adv: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 5e6, noNaN: true })),
});
const cycle = fc.uniqueArray(row, { selector: (r) => r.symbol, maxLength: UNIVERSE.length });

describe('SizingStep', () => {
  it('sizes each cycle as computeTargetShares does on the decayed composites', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cycle, fc.double({ min: 1e4, max: 5e6, noNaN: true })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.boolean(),
        (cycles, decayOn) => {
          const { step, figures, decisions } = setup({ position_decay: decayOn });
          const decay = new Map<string, AdaptiveDecay>();
          for (const [rows, equityUsd] of cycles) {
            figures.clear();
            decisions.reset(rows.length);
            const entries = rows.map((r) => {
              const symbol = UNIVERSE[r.symbol] as string;
              figures.set(r.symbol, { priceUsd: r.priceUsd, adv: r.adv, volatility: 0.3 });
              decisions.push(r.symbol, r.composite, r.confidence, TARGET_SIZED, 0);
              let d = decay.get(symbol);
              if (d === undefined) {
                d = new AdaptiveDecay({ halfLifeDays: 10, bufferZone: 0.15 });
                decay.set(symbol, d);
              }
              const composite = decayOn ? d.step(r.composite).position : r.composite;
              return {
                symbol,
                compositeSignal: composite,
                confidence: r.confidence,
                price: r.priceUsd,
                adv20: r.adv,
              };
            });
            step.size(decisions, figures, always, equityUsd);
            const expected = computeTargetShares(entries, equityUsd, sizingConfig);
            rows.forEach((r, i) => {
              expect(step.usable[i]).toBe(1);
              expect(step.targets[i]).toBe(expected[UNIVERSE[r.symbol] as string]);
            });
          }
          expect(step.hasDecayState).toBe(decayOn && cycles.some(([rows]) => rows.length > 0));
        },
      ),
    );
  });

  it('leaves out a decision without figures when the symbol has bars, and refuses one without bars', () => {
    const { table, step, figures, decisions } = setup();
    figures.set(0, { priceUsd: 50, adv: 1e6, volatility: 0.2 });
    decisions.push(0, 0.5, 1, TARGET_SIZED, 0);
    decisions.push(1, 0.9, 1, TARGET_SIZED, 0); // BBB: bars, but too few for figures
    step.size(decisions, figures, (i) => i === 1 || i === 0, 100_000);
    expect([step.usable[0], step.usable[1]]).toEqual([1, 0]);
    expect(step.targets[1]).toBe(0);
    expect(step.targets[0]).toBe(
      computeTargetShares(
        [{ symbol: 'AAA', compositeSignal: 0.5, price: 50, adv20: 1e6, confidence: 1 }],
        100_000,
        sizingConfig,
      )['AAA'],
    );
    // BBB was not decayed: only AAA has decay state.
    expect(step.decayState()).toEqual({
      symbols: ['AAA'],
      currentPosition: [0.5],
      positionAge: [0],
      lastExchangeSession: [null],
    });

    decisions.reset(1);
    decisions.push(table.add('GHOST'), 0.1, 1, TARGET_SIZED, 0);
    expect(() => step.size(decisions, figures, () => false, 100_000)).toThrow(StateError);
    expect(() => step.size(decisions, figures, () => false, 100_000)).toThrow(
      'strategy decided on GHOST, which has no bars',
    );
  });

  it('passes explicit share targets through and turns weights into whole shares of equity', () => {
    const { step, figures, decisions } = setup();
    figures.set(0, { priceUsd: 40, adv: 1e6, volatility: 0.2 });
    figures.set(1, { priceUsd: 30, adv: 1e6, volatility: 0.2 });
    figures.set(2, { priceUsd: 25, adv: 1e6, volatility: 0.2 });
    decisions.push(0, 0.7, 1, TARGET_SHARES, -120);
    decisions.push(1, 0, 1, TARGET_WEIGHT, 0.25); // 100 000 × 0.25 / 30 = 833.3
    decisions.push(2, 0, 1, TARGET_WEIGHT, -1e-9); // trunc(−0.000004) is −0: written as 0
    step.size(decisions, figures, always, 100_000);
    expect(step.targets[0]).toBe(-120);
    expect(step.targets[1]).toBe(833);
    expect(Object.is(step.targets[2], 0)).toBe(true);
    expect(step.hasDecayState).toBe(false); // only engine-sized decisions decay
  });

  it('sizes nothing without equity, and refuses a symbol sized twice', () => {
    const { step, figures, decisions } = setup();
    figures.set(0, { priceUsd: 40, adv: 1e6, volatility: 0.2 });
    decisions.push(0, 0.9, 1, TARGET_SIZED, 0);
    step.size(decisions, figures, always, 0);
    expect(step.targets[0]).toBe(0);
    step.size(decisions, figures, always, -5_000);
    expect(step.targets[0]).toBe(0);
    decisions.push(0, 0.4, 1, TARGET_SIZED, 0);
    expect(() => step.size(decisions, figures, always, 100_000)).toThrow(ValidationError);
    expect(() => step.size(decisions, figures, always, 100_000)).toThrow(/duplicate symbol AAA/);
  });

  it('a non-finite composite is refused by the sizing and leaves the decay state as it was', () => {
    const { step, figures, decisions } = setup();
    figures.set(0, { priceUsd: 40, adv: 1e6, volatility: 0.2 });
    decisions.push(0, 0.6, 1, TARGET_SIZED, 0);
    step.size(decisions, figures, always, 100_000);
    const before = step.decayState();
    decisions.reset(1);
    decisions.push(0, Number.NaN, 1, TARGET_SIZED, 0);
    expect(() => step.size(decisions, figures, always, 100_000)).toThrow(/compositeSignal/);
    expect(step.decayState()).toEqual(before);
  });

  it('journals the decay state as columns in the order symbols got it, and restores it', () => {
    const { step, figures, decisions } = setup();
    for (let s = 0; s < 3; s++) figures.set(s, { priceUsd: 20, adv: 1e6, volatility: 0.2 });
    const run = (target: SizingStep, composites: [number, number][]) => {
      decisions.reset(composites.length);
      for (const [s, c] of composites) decisions.push(s, c, 1, TARGET_SIZED, 0);
      target.size(decisions, figures, always, 250_000);
      return composites.map((_, i) => target.targets[i]);
    };
    run(step, [
      [2, 0.8],
      [0, -0.5],
    ]);
    run(step, [
      [0, -0.52],
      [1, 0.3],
    ]);
    const saved = JSON.parse(JSON.stringify(step.decayState()));
    // CCC 0.8 (age 0); AAA −0.5 kept at −0.52 (within the buffer, age 1); BBB 0.3.
    expect(saved).toEqual({
      symbols: ['CCC', 'AAA', 'BBB'],
      currentPosition: [0.8, -0.5, 0.3],
      positionAge: [0, 1, 0],
      lastExchangeSession: [null, null, null],
    });
    const restored = setup().step;
    restored.restoreDecay(saved, new ListLogger());
    expect(restored.decayState()).toEqual(saved);
    const next: [number, number][] = [
      [0, -0.1],
      [2, 0.79],
      [1, 0.31],
    ];
    expect(run(restored, next)).toEqual(run(step, next));
    expect(restored.decayState()).toEqual(step.decayState());
  });

  it('restores the weekday ordinals earlier versions saved as exchange-session ordinals', () => {
    const { step } = setup();
    step.restoreDecay(
      { symbols: ['AAA'], currentPosition: [0.4], positionAge: [3], lastSession: [14129] },
      new ListLogger(),
    );
    // 14129 weekdays from 1970-01-05 is 2024-03-01, exchange session 13903.
    expect(step.decayState()).toEqual({
      symbols: ['AAA'],
      currentPosition: [0.4],
      positionAge: [3],
      lastExchangeSession: [sessionOrdinal('2024-03-01')],
    });
  });

  it('restores the earlier per-symbol form, adds unknown symbols, and skips unreadable entries', () => {
    const { table, step } = setup();
    const logger = new ListLogger();
    step.restoreDecay(
      {
        BBB: { currentPosition: 0.4, positionAge: 2 },
        NEW: { currentPosition: -0.2, positionAge: 0 },
        CCC: { currentPosition: 0.1, positionAge: -1 },
        DDD: { currentPosition: null, positionAge: 0 },
      },
      logger,
    );
    expect(step.decayState()).toEqual({
      symbols: ['BBB', 'NEW'],
      currentPosition: [0.4, -0.2],
      positionAge: [2, 0],
      lastExchangeSession: [null, null],
    });
    expect(table.find('NEW')).toBe(4);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.obj['symbol'])).toEqual([
      'CCC',
      'DDD',
    ]);
    expect(logger.messages('warn')).toEqual([
      'position decay state unreadable; starting flat',
      'position decay state unreadable; starting flat',
    ]);
    // A non-finite position journaled as null (columns) is unreadable too.
    step.restoreDecay({ symbols: ['AAA'], currentPosition: [null], positionAge: [0] }, logger);
    expect(step.hasDecayState).toBe(false);
  });

  it('restoring nothing (or something that is not an object) starts every symbol flat', () => {
    const { step, figures, decisions } = setup();
    figures.set(0, { priceUsd: 20, adv: 1e6, volatility: 0.2 });
    decisions.push(0, 0.9, 1, TARGET_SIZED, 0);
    step.size(decisions, figures, always, 100_000);
    expect(step.hasDecayState).toBe(true);
    step.restoreDecay(undefined, new ListLogger());
    expect(step.hasDecayState).toBe(false);
    step.size(decisions, figures, always, 100_000);
    step.restoreDecay([1, 2], new ListLogger());
    expect(step.decayState()).toEqual({
      symbols: [],
      currentPosition: [],
      positionAge: [],
      lastExchangeSession: [],
    });
    // Flat again: the next step starts from no position (0.9, age 0).
    step.size(decisions, figures, always, 100_000);
    expect(step.decayState()).toEqual({
      symbols: ['AAA'],
      currentPosition: [0.9],
      positionAge: [0],
      lastExchangeSession: [null],
    });
  });

  it('the decay half-life is in sessions: cycles within one session do not age a kept position', () => {
    const { step, figures, decisions } = setup({ decay_halflife: 10, buffer_zone: 0.15 });
    figures.set(0, { priceUsd: 20, adv: 1e6, volatility: 0.2 });
    const cycle = (session: number, composite: number) => {
      decisions.reset(1);
      decisions.push(0, composite, 1, TARGET_SIZED, 0);
      step.size(decisions, figures, always, 100_000, session);
      return step.decayState() as { positionAge: number[]; lastExchangeSession: number[] };
    };
    cycle(100, 0.8);
    // Seven hourly cycles of the next session: the position is kept and ages once.
    for (let h = 0; h < 7; h++) cycle(101, 0.8);
    expect(cycle(101, 0.8).positionAge).toEqual([1]);
    // Two sessions later (a symbol left out meanwhile): it ages by both.
    const later = cycle(103, 0.8);
    expect(later.positionAge).toEqual([3]);
    expect(later.lastExchangeSession).toEqual([103]);
    // The state carries the sessions across a restart.
    const restored = setup({ decay_halflife: 10, buffer_zone: 0.15 }).step;
    restored.restoreDecay(JSON.parse(JSON.stringify(step.decayState())), new ListLogger());
    expect(restored.decayState()).toEqual(step.decayState());
  });

  it('grows with the symbol table: symbols added beyond its first capacity are sized', () => {
    const { table, step, decisions } = setup({ position_decay: true }, ['AAA']);
    const many = Array.from({ length: 20 }, (_, i) => table.add(`S${i}`));
    const figures = new MarketFigures(table.capacity);
    decisions.reset(many.length);
    for (const s of many) {
      figures.set(s, { priceUsd: 10 + s, adv: 1e6, volatility: 0.2 });
      decisions.push(s, 0.05 * (s % 5) - 0.1, 1, TARGET_SIZED, 0);
    }
    step.size(decisions, figures, always, 1_000_000);
    const expected = computeTargetShares(
      many.map((s) => ({
        symbol: table.name(s),
        compositeSignal: 0.05 * (s % 5) - 0.1,
        price: 10 + s,
        adv20: 1e6,
        confidence: 1,
      })),
      1_000_000,
      sizingConfig,
    );
    many.forEach((s, i) => expect(step.targets[i]).toBe(expected[table.name(s)]));
    expect((step.decayState() as { symbols: string[] }).symbols).toHaveLength(20);
  });
});
