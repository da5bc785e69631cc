import { DataError } from '@quantpipe/core';
import { formatUtcForTws, parseTwsTime } from './ibkr-time';
import { usEquityMarketClock } from './market-clock';

describe('TWS time stamps', () => {
  it('parses dates, epoch seconds, UTC and New York times', () => {
    expect(parseTwsTime('20240105')).toEqual({ kind: 'date', date: '2024-01-05' });
    expect(parseTwsTime('1704466800')).toEqual({ kind: 'instant', ms: 1704466800_000 });
    expect(parseTwsTime('20240105-14:30:00')).toEqual({
      kind: 'instant',
      ms: Date.UTC(2024, 0, 5, 14, 30),
    });
    expect(parseTwsTime('20240105 09:30:00 US/Eastern')).toEqual({
      kind: 'instant',
      ms: Date.UTC(2024, 0, 5, 14, 30),
    });
    expect(parseTwsTime('20240705  09:30:00')).toEqual({
      kind: 'instant',
      ms: Date.UTC(2024, 6, 5, 13, 30),
    });
    expect(() => parseTwsTime('yesterday')).toThrow(DataError);
    expect(formatUtcForTws(Date.UTC(2024, 0, 5, 23, 59, 59))).toBe('20240105-23:59:59');
  });
});

describe('usEquityMarketClock', () => {
  it('is open during the New York session on weekdays', () => {
    expect(usEquityMarketClock(Date.UTC(2024, 0, 9, 15, 0))).toEqual({
      timestamp: '2024-01-09T15:00:00Z',
      isOpen: true,
      nextOpen: '2024-01-10T14:30:00Z',
      nextClose: '2024-01-09T21:00:00Z',
    });
  });

  it('is closed on weekends and points at Monday (summer time)', () => {
    expect(usEquityMarketClock(Date.UTC(2024, 6, 6, 12, 0))).toEqual({
      timestamp: '2024-07-06T12:00:00Z',
      isOpen: false,
      nextOpen: '2024-07-08T13:30:00Z',
      nextClose: '2024-07-08T20:00:00Z',
    });
  });

  it('before the open the next open and close are today', () => {
    const c = usEquityMarketClock(Date.UTC(2024, 0, 9, 13, 0));
    expect(c.isOpen).toBe(false);
    expect(c.nextOpen).toBe('2024-01-09T14:30:00Z');
    expect(c.nextClose).toBe('2024-01-09T21:00:00Z');
  });

  it('is closed on exchange holidays and points past them', () => {
    // Thursday 2024-07-04 at noon New York: Independence Day; Friday trades a full session.
    expect(usEquityMarketClock(Date.UTC(2024, 6, 4, 16, 0))).toEqual({
      timestamp: '2024-07-04T16:00:00Z',
      isOpen: false,
      nextOpen: '2024-07-05T13:30:00Z',
      nextClose: '2024-07-05T20:00:00Z',
    });
    // Thursday 2025-01-09: the one-off closure for President Carter's funeral.
    expect(usEquityMarketClock(Date.UTC(2025, 0, 9, 15, 0)).isOpen).toBe(false);
  });

  it('closes at 13:00 New York on early-close days', () => {
    // Friday 2024-11-29, the day after Thanksgiving: open at 12:30, closed at 13:30.
    expect(usEquityMarketClock(Date.UTC(2024, 10, 29, 17, 30))).toMatchObject({
      isOpen: true,
      nextClose: '2024-11-29T18:00:00Z',
    });
    expect(usEquityMarketClock(Date.UTC(2024, 10, 29, 18, 30))).toMatchObject({
      isOpen: false,
      nextOpen: '2024-12-02T14:30:00Z',
    });
  });
});
