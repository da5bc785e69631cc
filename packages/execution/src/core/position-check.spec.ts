import { positionMismatches } from './position-check';

describe('positionMismatches', () => {
  it('agrees when the venue holds the position before plus the fills', () => {
    expect(
      positionMismatches({ AAA: 10, BBB: -5 }, { AAA: -10, CCC: 7 }, { BBB: -5, CCC: 7 }),
    ).toEqual([]);
  });

  it('names each symbol with what was expected and what the venue holds', () => {
    expect(positionMismatches({ AAA: 10 }, { AAA: 5 }, { AAA: 20, DDD: 3 })).toEqual([
      { symbol: 'AAA', expectedShares: 15, actualShares: 20 },
      { symbol: 'DDD', expectedShares: 0, actualShares: 3 },
    ]);
  });

  it('a venue listing the position under another spelling shows both spellings', () => {
    // The engine traded "syna"; the venue holds it as "SYNA".
    expect(positionMismatches({ SYNA: -860 }, { syna: -860 }, { SYNA: -1720 })).toEqual([
      { symbol: 'SYNA', expectedShares: -860, actualShares: -1720 },
      { symbol: 'syna', expectedShares: -860, actualShares: 0 },
    ]);
  });
});
