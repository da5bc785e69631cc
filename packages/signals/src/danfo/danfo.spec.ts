import { DataFrame } from 'danfojs-node';
import { ValidationError } from '@quantpipe/core';
import { computeDailySignals, DAILY_SIGNAL_NAMES, hourlySignal, pctChange } from '../index';
import { dailySignalsFrame, hourlySignalFrame } from './index';
import { alignedMarketReturns, readBars } from '../testing/fixtures';

describe('danfojs interop', () => {
  const bars = readBars('SYNB_1d.csv');
  const market = readBars('SYNMKT_1d.csv');
  const n = 400;
  const dates = bars.timestamp.slice(0, n);
  const close = bars.close.slice(0, n);
  const marketClose = market.close.slice(0, n);

  it('dailySignalsFrame returns the batch signals as a DataFrame (market closes)', () => {
    const frame = new DataFrame({ date: dates, close, market_close: marketClose });
    const out = dailySignalsFrame(frame);
    expect(out.columns).toEqual(['date', ...DAILY_SIGNAL_NAMES]);
    expect(out.shape).toEqual([n, 6]);
    const expected = computeDailySignals({
      close,
      dates,
      marketReturns: alignedMarketReturns(market, dates).slice(0, n),
    });
    for (const name of DAILY_SIGNAL_NAMES) {
      expect(out.column(name).values).toEqual(Array.from(expected[name]));
    }
    expect(out.column('date').values).toEqual(dates);
  });

  it('accepts timestamp + market_return columns, and no market at all', () => {
    const marketReturns = Array.from(pctChange(marketClose));
    const withMarket = dailySignalsFrame(
      new DataFrame({ timestamp: dates, close, market_return: marketReturns }),
      { config: { beta_window: 30 } },
    );
    const expected = computeDailySignals({ close, dates, marketReturns }, { beta_window: 30 });
    expect(withMarket.column('Beta').values).toEqual(Array.from(expected.Beta));
    const noMarket = dailySignalsFrame(new DataFrame({ date: dates, close }));
    expect(noMarket.column('Momentum').values).toEqual(
      Array.from(computeDailySignals({ close, dates }).Momentum),
    );
  });

  it('hourlySignalFrame keeps NaN and the timestamps', () => {
    const h = readBars('SYNA_1h.csv');
    const m = 200;
    const frame = new DataFrame({
      timestamp: h.timestamp.slice(0, m),
      high: h.high.slice(0, m),
      low: h.low.slice(0, m),
      close: h.close.slice(0, m),
    });
    const out = hourlySignalFrame(frame);
    expect(out.columns).toEqual(['timestamp', 'Hourly']);
    const expected = hourlySignal({
      high: h.high.slice(0, m),
      low: h.low.slice(0, m),
      close: h.close.slice(0, m),
    });
    const got = out.column('Hourly').values as number[];
    expect(got.slice(0, 20).every(Number.isNaN)).toBe(true);
    expect(got.slice(20)).toEqual(Array.from(expected).slice(20));
  });

  it('names the missing column', () => {
    expect(() => dailySignalsFrame(new DataFrame({ date: dates }))).toThrow(ValidationError);
    expect(() => dailySignalsFrame(new DataFrame({ close }))).toThrow(/bars.date/);
    expect(() => hourlySignalFrame(new DataFrame({ close }))).toThrow(/bars.high/);
  });
});
