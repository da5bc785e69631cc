import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { MAX_DAY_DURATION, planHistoricalRequests, subtractMonthsUtc } from './historical-plan';

const NOW = Date.UTC(2026, 10, 24, 20, 0, 0);

describe('planHistoricalRequests', () => {
  it('asks for days up to 365 and for whole years beyond', () => {
    expect(
      planHistoricalRequests(
        { symbol: 'X', timeframe: '1Day', start: '2024-01-01', end: '2024-12-30' },
        NOW,
      ),
    ).toEqual([
      { endDateTime: '20241230-23:59:59', durationStr: '365 D', barSizeSetting: '1 day' },
    ]);
    expect(
      planHistoricalRequests(
        { symbol: 'X', timeframe: '1Day', start: '2024-01-01', end: '2024-12-31' },
        NOW,
      ),
    ).toEqual([{ endDateTime: '20241231-23:59:59', durationStr: '1 Y', barSizeSetting: '1 day' }]); // 366 days (leap year): too many for D, one year reaches back
    expect(
      planHistoricalRequests(
        { symbol: 'X', timeframe: '1Day', start: '2016-01-04', end: '2020-12-31' },
        NOW,
      ),
    ).toEqual([{ endDateTime: '20201231-23:59:59', durationStr: '5 Y', barSizeSetting: '1 day' }]);
  });

  it('never asks for more than 365 days and always reaches the start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 3000 }),
        (endOffset, span) => {
          const endMs = Date.UTC(2015, 0, 1) + endOffset * 86_400_000;
          const end = new Date(endMs).toISOString().slice(0, 10);
          const start = new Date(endMs - span * 86_400_000).toISOString().slice(0, 10);
          const [chunk, ...rest] = planHistoricalRequests(
            { symbol: 'X', timeframe: '1Day', start, end },
            NOW,
          );
          expect(rest).toEqual([]);
          const m = /^(\d+) ([DY])$/.exec(chunk?.durationStr ?? '');
          expect(m).not.toBeNull();
          const n = Number(m?.[1]);
          if (m?.[2] === 'D') {
            expect(n).toBeLessThanOrEqual(MAX_DAY_DURATION);
            expect(n).toBe(span + 1);
          } else {
            // The window (end - n years, end] contains the start, n - 1 years would not.
            const lastDay = Date.parse(`${end}T00:00:00Z`);
            expect(subtractMonthsUtc(lastDay, 12 * n)).toBeLessThan(
              Date.parse(`${start}T00:00:00Z`),
            );
            expect(subtractMonthsUtc(lastDay, 12 * (n - 1))).toBeGreaterThanOrEqual(
              Date.parse(`${start}T00:00:00Z`),
            );
          }
        },
      ),
    );
  });

  it('chunks hourly history by calendar month, newest first, without gaps', () => {
    const chunks = planHistoricalRequests(
      { symbol: 'X', timeframe: '1Hour', start: '2019-01-01', end: '2019-06-30' },
      NOW,
    );
    expect(chunks.map((c) => c.endDateTime)).toEqual([
      '20190701-00:00:00',
      '20190601-00:00:00',
      '20190501-00:00:00',
      '20190401-00:00:00',
      '20190301-00:00:00',
      '20190201-00:00:00',
    ]);
    expect(new Set(chunks.map((c) => `${c.durationStr}|${c.barSizeSetting}`))).toEqual(
      new Set(['1 M|1 hour']),
    );
  });

  it('includes an hourly bar starting exactly at an instant end', () => {
    const [first] = planHistoricalRequests(
      {
        symbol: 'X',
        timeframe: '1Hour',
        start: '2019-06-01T00:00:00Z',
        end: '2019-06-28T20:00:00Z',
      },
      NOW,
    );
    expect(first?.endDateTime).toBe('20190628-20:00:01');
  });

  it('rejects a start after the end and unknown timeframes', () => {
    expect(() =>
      planHistoricalRequests(
        { symbol: 'X', timeframe: '1Day', start: '2020-02-01', end: '2020-01-01' },
        NOW,
      ),
    ).toThrow(ValidationError);
    expect(() =>
      planHistoricalRequests({ symbol: 'X', timeframe: '1Day', start: '2020-13-01' }, NOW),
    ).toThrow(ValidationError);
    expect(() =>
      planHistoricalRequests({ symbol: 'X', timeframe: '5Min' as never, start: '2020-01-01' }, NOW),
    ).toThrow(ValidationError);
  });
});
