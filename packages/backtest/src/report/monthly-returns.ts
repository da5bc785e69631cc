/** Returns of one calendar year, by month. */
export interface YearReturns {
  readonly year: number;
  /** Twelve entries (January first); undefined where the run has no data for the month. */
  readonly months: readonly (number | undefined)[];
  /** Compounded return of the months present. */
  readonly yearReturn: number;
}

/**
 * Monthly returns from an equity curve: each month's last equity over the previous month's last
 * equity (the first month is measured from `initialEquityUsd`), minus one.
 * @param points Equity marks in ascending time; `date` is `YYYY-MM-DD`.
 */
export function monthlyReturns(
  points: readonly { readonly date: string; readonly equityUsd: number }[],
  initialEquityUsd: number,
): YearReturns[] {
  const monthEnd = new Map<string, number>();
  for (const p of points) monthEnd.set(p.date.slice(0, 7), p.equityUsd);
  const years = new Map<number, (number | undefined)[]>();
  let previous = initialEquityUsd;
  for (const [month, equity] of monthEnd) {
    const year = Number(month.slice(0, 4));
    const index = Number(month.slice(5, 7)) - 1;
    let row = years.get(year);
    if (!row) {
      row = new Array<number | undefined>(12).fill(undefined);
      years.set(year, row);
    }
    row[index] = equity / previous - 1;
    previous = equity;
  }
  return [...years.entries()].map(([year, months]) => ({
    year,
    months,
    yearReturn: months.reduce<number>((acc, r) => (r === undefined ? acc : acc * (1 + r)), 1) - 1,
  }));
}
