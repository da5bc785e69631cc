import fc from 'fast-check';
import { StateError, ValidationError } from '@quantpipe/core';
import golden from './__fixtures__/golden-sizing.json';
import { AdaptiveDecay, adaptiveDecayPositions } from './index';

describe('adaptiveDecayPositions against the seed reference', () => {
  it.each(golden.decay_positions.map((c) => [`${c.symbol} ${c.signal}`, c] as const))(
    '%s: exact ages, positions within tolerance',
    (_name, c) => {
      const input = c.input_signal as number[];
      const r = adaptiveDecayPositions(input);
      expect(r.ages).toEqual(c.position_ages);
      expect(r.positions).toHaveLength(c.positions.length);
      r.positions.forEach((p, i) => {
        const ref = c.positions[i] as number;
        expect(Math.abs(p - ref)).toBeLessThanOrEqual(1e-9 + 1e-7 * Math.abs(ref));
      });
      // The reference exercises the buffer: some ages are > 0.
      expect(Math.max(...r.ages)).toBeGreaterThan(0);
    },
  );
});

describe('AdaptiveDecay (stateful)', () => {
  it('resumes from its JSON state exactly as an uninterrupted run', () => {
    const input = golden.decay_positions[1]?.input_signal as number[];
    const whole = adaptiveDecayPositions(input);
    const first = new AdaptiveDecay();
    const cut = 150;
    for (let i = 1; i < cut; i++) first.step(input[i] as number);
    const saved = JSON.parse(JSON.stringify(first)) as ReturnType<AdaptiveDecay['toJSON']>;
    const resumed = new AdaptiveDecay({}, saved);
    for (let i = cut; i < input.length; i++) {
      const out = resumed.step(input[i] as number);
      expect(out.position).toBe(whole.positions[i]);
      expect(out.age).toBe(whole.ages[i]);
    }
  });

  it('keeps positions within [-1, 1] and ages non-negative integers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { maxLength: 200 }),
        (xs) => {
          const r = adaptiveDecayPositions(xs);
          r.positions.forEach((p) => expect(Math.abs(p)).toBeLessThanOrEqual(1));
          r.ages.forEach((a) => expect(Number.isSafeInteger(a) && a >= 0).toBe(true));
        },
      ),
    );
  });

  it('rejects bad input with typed errors', () => {
    expect(() => adaptiveDecayPositions([0, 1, NaN])).toThrow(ValidationError);
    expect(() => adaptiveDecayPositions([0, 1, NaN])).toThrow(/signal\[2\]/);
    expect(() => adaptiveDecayPositions([0, 1], { halfLifeDays: 0 })).toThrow(/halfLifeDays/);
    expect(() => new AdaptiveDecay({}, { currentPosition: NaN, positionAge: 0 })).toThrow(
      StateError,
    );
    expect(() => new AdaptiveDecay({}, { currentPosition: 0.2, positionAge: 1.5 })).toThrow(
      StateError,
    );
    const d = new AdaptiveDecay();
    d.step(0.5);
    expect(() => d.step(Infinity)).toThrow(ValidationError);
    expect(d.toJSON()).toEqual({ currentPosition: 0.5, positionAge: 0 });
  });
});
