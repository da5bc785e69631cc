import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The reference tolerance of the project: |x - ref| <= 1e-9 + 1e-7 * |ref|. */
export function withinTolerance(x: number, ref: number): boolean {
  return Math.abs(x - ref) <= 1e-9 + 1e-7 * Math.abs(ref);
}

/** Expects every element of `actual` to match `reference` (null = NaN) within tolerance. */
export function expectSeriesClose(
  actual: readonly number[],
  reference: readonly (number | null)[],
  label: string,
): void {
  expect(actual).toHaveLength(reference.length);
  const bad: string[] = [];
  reference.forEach((ref, i) => {
    const x = actual[i] as number;
    if (ref === null ? !Number.isNaN(x) : !withinTolerance(x, ref))
      bad.push(`${label}[${i}]: ${x} vs ${String(ref)}`);
  });
  expect(bad).toEqual([]);
}

/** A JSON fixture from `src/__fixtures__`. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '__fixtures__', name), 'utf8')) as T;
}

/** golden.json `tail_hedge` entry. */
export interface GoldenTailHedge {
  config: {
    hedge_size: number;
    cost_per_hedge: number;
    activation_threshold: number;
    deactivation_threshold: number;
  };
  cases: {
    name: string;
    dates: string[];
    returns: (number | null)[];
    market_returns: (number | null)[];
    drawdowns: number[];
    hedged_returns: (number | null)[];
    states: ('ACTIVE' | 'INACTIVE')[];
  }[];
}

/** golden.json `slippage` entry. */
export interface GoldenSlippage {
  grid: { shares: number; adv: number; volatility: number; slippage_bps: number }[];
  real_data: {
    symbol: string;
    shares: number;
    adv: number;
    volatility: number;
    slippage_bps: number;
  }[];
}

/** The risk-related part of golden.json. */
export interface GoldenRisk {
  tail_hedge: GoldenTailHedge;
  slippage: GoldenSlippage;
}

/** Maps JSON nulls (NaN in the reference) back to NaN. */
export const nanOf = (xs: readonly (number | null)[]): number[] =>
  xs.map((x) => (x === null ? NaN : x));
