import fc from 'fast-check';
import type { Bar } from '@quantpipe/core';
import { packBars, packedBuffers, unpackBars } from './packed-bars';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const stamp = fc.constantFrom('2024-01-02', '2024-01-03', '2024-01-04T14:30:00Z', '2024-01-05');

function barsOf(symbol: string) {
  return fc
    .array(
      fc.record({
        timestamp: stamp,
        open: finite,
        high: finite,
        low: finite,
        close: finite,
        volume: finite,
      }),
      { maxLength: 8 },
    )
    .map((rows): Bar[] => rows.map((r) => ({ symbol, ...r })));
}

describe('packBars', () => {
  it('unpacks to equal bars (signed zeros included), sharing each timestamp once', () => {
    fc.assert(
      fc.property(barsOf('AAA'), barsOf('BBB'), (a, b) => {
        const packed = packBars({ AAA: a, BBB: b });
        expect(unpackBars(packed)).toEqual({ AAA: a, BBB: b });
        expect(new Set(packed.timestamps).size).toBe(packed.timestamps.length);
        expect(packedBuffers(packed)).toHaveLength(4);
      }),
    );
  });

  it('refuses a bar filed under another symbol', () => {
    const bar: Bar = {
      symbol: 'BBB',
      timestamp: '2024-01-02',
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
    };
    expect(() => packBars({ AAA: [bar] })).toThrow(/expected AAA, got BBB/);
  });
});
