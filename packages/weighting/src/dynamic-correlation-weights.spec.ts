import { ValidationError } from '@quantpipe/core';
import golden from './__fixtures__/golden-weighting.json';
import { dynamicCorrelationWeights, signalCorrelation, signalIcs } from './index';
import { isClose } from './testing/close';

const ORDER = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'] as const;
const withInputs = golden.dynamic_weights.find((d) => 'inputs' in d);
if (withInputs === undefined || !('inputs' in withInputs)) throw new Error('fixture lacks inputs');
const inputs = withInputs.inputs as {
  signals: Record<string, number[]>;
  returns: (number | null)[];
};
const returns = inputs.returns.map((x) => (x === null ? NaN : x));

describe('signalIcs / signalCorrelation against the seed reference', () => {
  it('reproduces signal_ics of the SYNA last-500 case', () => {
    const ics = signalIcs(inputs.signals, returns);
    expect(Object.keys(ics)).toEqual([...ORDER]);
    for (const name of ORDER)
      expect(isClose(ics[name] as number, withInputs.signal_ics[name])).toBe(true);
  });

  it('reproduces signal_corr of the SYNA last-500 case', () => {
    const corr = signalCorrelation(inputs.signals);
    expect(corr.rows).toBe(5);
    ORDER.forEach((a, i) =>
      ORDER.forEach((b, j) =>
        expect(isClose(corr.get(i, j), withInputs.signal_corr[a][b])).toBe(true),
      ),
    );
  });

  it('uses only complete pairs and the next return (shift(-1))', () => {
    // s[t] predicts r[t+1] perfectly except that the NaN pairs must be skipped.
    const s = [1, 2, NaN, 4, 5, 6];
    const r = [NaN, 10, 20, 30, NaN, 60, 70];
    expect(() => signalIcs({ s }, r)).toThrow(ValidationError);
    const ic = signalIcs({ s }, [0, 10, 20, 999, 40, NaN]);
    // pairs: (1,10) (2,20) (4,40); (5,NaN) and (NaN,999) skipped; 6 has no next return.
    expect(ic['s']).toBeCloseTo(1, 14);
    expect(Number.isNaN(signalIcs({ s: [1, 1, 1] }, [0, 1, 2])['s'])).toBe(true);
  });
});

describe('dynamicCorrelationWeights', () => {
  it('matches the global minimum of the SYNA last-500 case and beats or ties SLSQP', () => {
    const r = dynamicCorrelationWeights(inputs.signals, returns, withInputs.base_weights);
    expect(r.objective).toBeLessThanOrEqual(withInputs.objective_at_weights + 1e-12);
    for (const name of ORDER) {
      expect(
        Math.abs((r.weights[name] as number) - withInputs.global_minimum_weights[name]),
      ).toBeLessThanOrEqual(1e-6);
    }
    expect(r.constantSignals).toEqual([]);
  });

  it('turns a NaN IC into 0 and a constant column into zero correlation', () => {
    const n = 50;
    const a = Array.from({ length: n }, (_, i) => Math.sin(i));
    const b = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
    const flat = new Array<number>(n).fill(0);
    const rets = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) / 100);
    const r = dynamicCorrelationWeights({ a, b, flat }, rets);
    expect(r.ics['flat']).toBe(0);
    expect(r.constantSignals).toEqual(['flat']);
    expect(Number.isNaN(r.corr.get(0, 2))).toBe(true);
    const total = Object.values(r.weights).reduce((s, w) => s + w, 0);
    expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('rejects misaligned inputs', () => {
    expect(() => dynamicCorrelationWeights({ a: [1, 2, 3] }, [1, 2])).toThrow(/returns/);
    expect(() => signalIcs({ a: [1, 2, 3] }, [NaN, Infinity, 1])).toThrow(/returns\[1\]/);
    expect(() => signalCorrelation({ a: [1, -Infinity, 3] })).toThrow(/signals\.a\[1\]/);
    expect(() => dynamicCorrelationWeights({ a: [1, 2, 3], b: [1, 2] }, [1, 2, 3])).toThrow(
      /signals\.b/,
    );
  });
});
