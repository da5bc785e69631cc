import { DAILY_SIGNAL_NAMES } from '@quantpipe/signals';
import { symbolPassScratch } from './symbol-pass-scratch';

describe('symbolPassScratch', () => {
  it('serves passes of one length with one set of arrays, each of that length', () => {
    const a = symbolPassScratch(300);
    const b = symbolPassScratch(300);
    expect(b).toBe(a);
    const arrays = [
      ...DAILY_SIGNAL_NAMES.map((name) => a.signals[name]),
      ...a.validation.flatMap((v) => [v.ic, v.hitRate, v.turnoverAdjustedIc]),
      a.marketReturns,
    ];
    expect(arrays).toHaveLength(21);
    expect(new Set(arrays.map((x) => x.buffer)).size).toBe(21);
    for (const x of arrays) expect(x.length).toBe(300);
  });

  it('makes a new set for another length, and keeps no set past 65,536 bars', () => {
    const a = symbolPassScratch(300);
    const c = symbolPassScratch(301);
    expect(c).not.toBe(a);
    expect(c.marketReturns.length).toBe(301);
    const big = symbolPassScratch(70_000);
    expect(big.signals.Carry.length).toBe(70_000);
    expect(symbolPassScratch(70_000)).not.toBe(big);
    // the last kept set is still the one served
    expect(symbolPassScratch(301)).toBe(c);
  });
});
