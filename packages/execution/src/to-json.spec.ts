import fc from 'fast-check';
import { toJson } from './to-json';

describe('toJson', () => {
  it('property: equals a JSON.stringify/parse round trip with non-finite numbers as null', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.double(),
        fc.integer(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.constant(Number.NaN),
        fc.constant(Infinity),
        fc.constant(-0),
      ),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 5 }), (obj) => {
        const reference: unknown = JSON.parse(
          JSON.stringify(obj, (_k, v: unknown) =>
            typeof v === 'number' && !Number.isFinite(v) ? null : v,
          ),
        );
        expect(toJson(obj)).toEqual(reference);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
