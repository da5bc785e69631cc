import fc from 'fast-check';
import { ChunkedColumn } from './chunked-column';

describe('ChunkedColumn', () => {
  it('reads back every value of every row, across chunk boundaries and strides', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.double(),
        (stride, rows, seed) => {
          const column = new ChunkedColumn(Float64Array, stride);
          const value = (row: number, k: number) => (row * stride + k) * 0.5 + seed;
          for (let row = 0; row < rows; row++)
            for (let k = 0; k < stride; k++) column.set(row, value(row, k), k);
          for (let row = 0; row < rows; row++)
            for (let k = 0; k < stride; k++) expect(column.get(row, k)).toBe(value(row, k));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('keeps the element type of its arrays (an Int8Array holds -1, a Uint8Array wraps)', () => {
    const signed = new ChunkedColumn(Int8Array);
    const unsigned = new ChunkedColumn(Uint8Array);
    signed.set(9_000, -1);
    unsigned.set(9_000, -1);
    expect(signed.get(9_000)).toBe(-1);
    expect(unsigned.get(9_000)).toBe(255);
    // rows before a set row in a chunk already made read as zero
    expect(signed.get(0)).toBe(0);
  });
});
