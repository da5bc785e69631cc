import {
  checkDurationRules,
  dailyWindow,
  parseBarSize,
  parseDuration,
  parseEndDateTime,
  subtractMonthsUtc,
  windowStartMs,
} from './historical-request';

describe('duration rules', () => {
  it('parses durations and bar sizes', () => {
    expect(parseDuration('3 Y')).toEqual({ count: 3, unit: 'Y' });
    expect(parseDuration('20 D')).toEqual({ count: 20, unit: 'D' });
    expect(parseDuration('3Y')).toBeUndefined();
    expect(parseDuration('0 D')).toBeUndefined();
    expect(parseBarSize('1 day')).toBe('day');
    expect(parseBarSize('1 hour')).toBe('hour');
    expect(parseBarSize('5 mins')).toBeUndefined();
  });

  it('rejects day durations over 365 days with 321 and accepts years', () => {
    expect(checkDurationRules({ count: 366, unit: 'D' }, 'day')?.code).toBe(321);
    expect(checkDurationRules({ count: 365, unit: 'D' }, 'day')).toBeUndefined();
    expect(checkDurationRules({ count: 10, unit: 'Y' }, 'day')).toBeUndefined();
  });

  it('limits hourly requests to one month', () => {
    expect(checkDurationRules({ count: 1, unit: 'M' }, 'hour')).toBeUndefined();
    expect(checkDurationRules({ count: 31, unit: 'D' }, 'hour')).toBeUndefined();
    expect(checkDurationRules({ count: 2, unit: 'M' }, 'hour')?.code).toBe(321);
    expect(checkDurationRules({ count: 1, unit: 'Y' }, 'hour')?.code).toBe(321);
    expect(checkDurationRules({ count: 32, unit: 'D' }, 'hour')?.code).toBe(321);
  });
});

describe('request windows', () => {
  it('subtracts calendar months, clamping the day', () => {
    expect(new Date(subtractMonthsUtc(Date.UTC(2024, 2, 31, 12), 1)).toISOString()).toBe(
      '2024-02-29T12:00:00.000Z',
    );
    expect(new Date(subtractMonthsUtc(Date.UTC(2024, 0, 15), 1)).toISOString()).toBe(
      '2023-12-15T00:00:00.000Z',
    );
    expect(new Date(subtractMonthsUtc(Date.UTC(2024, 1, 29), 12)).toISOString()).toBe(
      '2023-02-28T00:00:00.000Z',
    );
  });

  it('selects daily sessions after the start date up to the end date (New York dates)', () => {
    const end = Date.UTC(2024, 0, 10, 23, 59, 59); // 18:59 in New York, same date
    expect(dailyWindow(end, { count: 1, unit: 'Y' })).toEqual({
      after: '2023-01-10',
      last: '2024-01-10',
    });
    expect(dailyWindow(end, { count: 5, unit: 'D' })).toEqual({
      after: '2024-01-05',
      last: '2024-01-10',
    });
  });

  it('computes window starts per unit', () => {
    const end = Date.UTC(2024, 5, 1);
    expect(windowStartMs(end, { count: 2, unit: 'W' })).toBe(end - 14 * 86_400_000);
    expect(windowStartMs(end, { count: 30, unit: 'S' })).toBe(end - 30_000);
  });

  it('parses end date/time formats', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseEndDateTime('', now)).toBe(now);
    expect(parseEndDateTime('20240105-23:59:59', now)).toBe(Date.UTC(2024, 0, 5, 23, 59, 59));
    expect(parseEndDateTime('20240105 23:59:59 UTC', now)).toBe(Date.UTC(2024, 0, 5, 23, 59, 59));
    // New York is UTC-5 in January and UTC-4 in July.
    expect(parseEndDateTime('20240105 16:00:00 US/Eastern', now)).toBe(Date.UTC(2024, 0, 5, 21));
    expect(parseEndDateTime('20240705 16:00:00', now)).toBe(Date.UTC(2024, 6, 5, 20));
    expect(parseEndDateTime('2024-01-05', now)).toBeUndefined();
    expect(parseEndDateTime('20240105 16:00:00 Europe/Paris', now)).toBeUndefined();
  });
});
