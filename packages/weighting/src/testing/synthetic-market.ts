import { seededRandom } from '@quantpipe/core/testing';

/** Deterministic synthetic daily and hourly bars for pipeline tests (mulberry32 PRNG). */
export interface SyntheticMarket {
  readonly dates: string[];
  readonly close: number[];
  readonly marketReturns: number[];
  readonly hourly: { timestamps: string[]; high: number[]; low: number[]; close: number[] };
}

/** `days` weekdays from 2019-01-02, seven hourly bars per day (14:00Z..20:00Z). */
export function syntheticMarket(days: number, seed: number): SyntheticMarket {
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dates: string[] = [];
  const close: number[] = [];
  const marketReturns: number[] = [];
  const hourly = {
    timestamps: [] as string[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
  };
  let day = Date.UTC(2019, 0, 2);
  let price = 100;
  let market = 300;
  let previousMarket = NaN;
  while (dates.length < days) {
    const wd = new Date(day).getUTCDay();
    if (wd !== 0 && wd !== 6) {
      const iso = new Date(day).toISOString().slice(0, 10);
      for (let h = 14; h <= 20; h++) {
        const m = gauss() * 0.004;
        market *= 1 + m;
        const r = 1.2 * m + gauss() * 0.005;
        const open = price;
        price *= 1 + r;
        hourly.timestamps.push(`${iso}T${h}:00:00Z`);
        hourly.high.push(Math.max(open, price) * (1 + rand() * 0.002));
        hourly.low.push(Math.min(open, price) * (1 - rand() * 0.002));
        hourly.close.push(price);
      }
      dates.push(iso);
      close.push(price);
      marketReturns.push(Number.isNaN(previousMarket) ? NaN : market / previousMarket - 1);
      previousMarket = market;
    }
    day += 86_400_000;
  }
  return { dates, close, marketReturns, hourly };
}
