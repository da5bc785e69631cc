import type { EquityPoint } from '../result/backtest-result';
import { EquityLog } from './equity-log';
import type { SessionTimeline } from './timeline';

function timeline(steps: number, hasBenchmark: boolean): SessionTimeline {
  const dates = Array.from({ length: steps }, (_, k) =>
    new Date(Date.UTC(2024, 0, 2 + k)).toISOString().slice(0, 10),
  );
  return {
    steps,
    dates,
    decisionMs: Float64Array.from(dates, (d) => Date.parse(`${d}T21:00:00Z`)),
    timestamps: dates.map((d) => `${d}T21:00:00.000Z`),
    barIndex: new Int32Array(0),
    nextIndex: new Int32Array(0),
    listed: new Uint8Array(0),
    delistStep: new Int32Array(0),
    universeChanges: [],
    nextTimestamp: dates.map(() => undefined),
    benchmarkClose: Float64Array.from(dates, (_, k) => (hasBenchmark ? 400 + k : Number.NaN)),
    hasBenchmark,
  };
}

describe('EquityLog', () => {
  it('gives back each mark as an equity point, with the step’s instant and benchmark close', () => {
    const log = new EquityLog();
    log.push(0, 100_000, 0, 100_000, 0, 0, 0, 0, false, 0);
    log.push(2, 40_000, 61_000, 101_000, 85_000, 85_000 / 101_000, 3.5, 1.25, true, -12.5);
    expect(log.length).toBe(2);
    const points = log.points(timeline(3, true));
    expect(points).toEqual<EquityPoint[]>([
      {
        timestamp: '2024-01-02T21:00:00.000Z',
        date: '2024-01-02',
        cashUsd: 100_000,
        positionsValueUsd: 0,
        equityUsd: 100_000,
        grossExposureUsd: 0,
        netExposureUsd: 0,
        leverage: 0,
        benchmarkClose: 400,
        feesUsd: 0,
        slippageUsd: 0,
        hedgeActive: false,
        hedgePnlUsd: 0,
      },
      {
        timestamp: '2024-01-04T21:00:00.000Z',
        date: '2024-01-04',
        cashUsd: 40_000,
        positionsValueUsd: 61_000,
        equityUsd: 101_000,
        grossExposureUsd: 85_000,
        netExposureUsd: 61_000,
        leverage: 85_000 / 101_000,
        benchmarkClose: 402,
        feesUsd: 3.5,
        slippageUsd: 1.25,
        hedgeActive: true,
        hedgePnlUsd: -12.5,
      },
    ]);
  });

  it('reports no benchmark close without a benchmark', () => {
    const log = new EquityLog();
    log.push(1, 1, 2, 3, 4, 5, 6, 7, false, 8);
    expect(log.points(timeline(2, false))[0]?.benchmarkClose).toBeNull();
  });

  it('keeps every mark exactly across many steps (the columns grow)', () => {
    const log = new EquityLog();
    const t = timeline(3_000, true);
    for (let k = 0; k < 3_000; k++)
      log.push(k, k, -k, 0.5 * k, 2 * k, k / 7, k / 3, k / 9, k % 2 === 0, -k);
    const points = log.points(t);
    expect(points).toHaveLength(3_000);
    const p = points[2_999] as EquityPoint;
    expect([p.cashUsd, p.positionsValueUsd, p.equityUsd, p.grossExposureUsd]).toEqual([
      2_999, -2_999, 1_499.5, 5_998,
    ]);
    expect([p.leverage, p.feesUsd, p.slippageUsd, p.hedgePnlUsd]).toEqual([
      2_999 / 7,
      2_999 / 3,
      2_999 / 9,
      -2_999,
    ]);
    expect(p.hedgeActive).toBe(false);
    expect(p.date).toBe(t.dates[2_999]);
    expect(points[1_024]?.cashUsd).toBe(1_024);
  });
});
