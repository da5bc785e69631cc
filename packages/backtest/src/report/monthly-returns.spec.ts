import { monthlyReturns } from './monthly-returns';

describe('monthlyReturns', () => {
  it('chains month-end equity from the initial capital and compounds the year', () => {
    const years = monthlyReturns(
      [
        { date: '2020-01-15', equityUsd: 105 },
        { date: '2020-01-31', equityUsd: 110 },
        { date: '2020-02-28', equityUsd: 99 },
        { date: '2021-01-04', equityUsd: 108.9 },
      ],
      100,
    );
    expect(years.map((y) => y.year)).toEqual([2020, 2021]);
    expect(years[0]?.months[0]).toBeCloseTo(0.1, 12);
    expect(years[0]?.months[1]).toBeCloseTo(-0.1, 12);
    expect(years[0]?.months[2]).toBeUndefined();
    expect(years[0]?.yearReturn).toBeCloseTo(1.1 * 0.9 - 1, 12);
    expect(years[1]?.months[0]).toBeCloseTo(0.1, 12);
  });
});
