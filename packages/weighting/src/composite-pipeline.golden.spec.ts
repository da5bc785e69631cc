import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAILY_SIGNAL_NAMES } from '@quantpipe/signals';
import goldenWeights from './__fixtures__/golden-weighting.json';
import golden from './__fixtures__/golden-pipeline-syna.json';
import { computeCompositeSignal } from './index';
import { isClose } from './testing/close';

/** Reads `timestamp,open,high,low,close,volume` daily bars of the shared synthetic market. */
function readDaily(file: string): { dates: string[]; close: number[] } {
  const lines = readFileSync(join(__dirname, '__fixtures__', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return {
    dates: lines.map((l) => l.split(',')[0] as string),
    close: lines.map((l) => Number(l.split(',')[4])),
  };
}

describe('computeCompositeSignal against the seed reference (SYNA, last date, spec windows)', () => {
  const syna = readDaily('SYNA_1d.csv');
  const mkt = readDaily('SYNMKT_1d.csv');
  if (mkt.dates.join() !== syna.dates.join()) throw new Error('SYNA and SYNMKT dates differ');
  const marketReturns = mkt.close.map((c, i) =>
    i === 0 ? NaN : c / (mkt.close[i - 1] as number) - 1,
  );
  const r = computeCompositeSignal(
    { dates: syna.dates, close: syna.close, marketReturns },
    { weight_window: 500 },
  );

  it('is dated on the last session', () => {
    expect(r.date).toBe(golden.last_date);
  });

  it('uses the seed signals at the decision bar', () => {
    for (const name of DAILY_SIGNAL_NAMES)
      expect(isClose(r.signals[name] as number, golden.last_signals[name])).toBe(true);
  });

  it('computes every health component as the seed (validation on data up to the decision)', () => {
    const keys: [string, keyof (typeof r.health)[string]][] = [
      ['health_score', 'score'],
      ['recent_ic', 'recentIc'],
      ['recent_ic_std', 'recentIcStd'],
      ['recent_turnover_ic', 'recentTurnoverIc'],
      ['past_ic', 'pastIc'],
      ['very_past_ic', 'veryPastIc'],
      ['ic_trend', 'icTrend'],
      ['ic_acceleration', 'icAcceleration'],
    ];
    for (const name of DAILY_SIGNAL_NAMES) {
      const ours = r.health[name];
      const seed = (golden.health_scores as Record<string, Record<string, number>>)[name];
      if (ours === undefined || seed === undefined) throw new Error(`missing ${name}`);
      for (const [s, o] of keys) {
        if (!isClose(ours[o] as number, seed[s] as number))
          throw new Error(`${name}.${s}: ${ours[o]} != ${seed[s]}`);
      }
      expect(ours.icSeriesLength).toBe(seed['ic_series_length']);
    }
  });

  it('measures the weighting ICs over the last 500 rows as the seed weighter', () => {
    const c = goldenWeights.dynamic_weights.find(
      (d) => d.symbol === 'SYNA' && d.rows === 'last 500 rows',
    );
    if (c === undefined) throw new Error('missing case');
    for (const name of DAILY_SIGNAL_NAMES)
      expect(isClose(r.ics[name] as number, c.signal_ics[name])).toBe(true);
  });
});
