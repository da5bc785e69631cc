import { isQuantpipeError } from '@quantpipe/core';
import {
  describeSchedule,
  nextCycleAtMs,
  parseDurationMs,
  scheduleConfigSchema,
  scheduleOf,
} from './schedule';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('schedule', () => {
  it('parses durations', () => {
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('60m')).toBe(3_600_000);
    expect(parseDurationMs('1.5h')).toBe(5_400_000);
    expect(parseDurationMs('0m')).toBeUndefined();
    expect(parseDurationMs('10 minutes')).toBeUndefined();
  });

  it('validates the config key', () => {
    expect(scheduleConfigSchema.safeParse({ every: '60m' }).success).toBe(true);
    expect(scheduleConfigSchema.safeParse({ at: ['09:45', '15:30'] }).success).toBe(true);
    expect(scheduleConfigSchema.safeParse({ at: ['9:45'] }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ at: [] }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ at: ['08:00'] }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ at: ['16:00'] }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ every: 'often' }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ every: '1h', at: ['10:00'] }).success).toBe(false);
  });

  it('falls back to rebalance_frequency_minutes; --interval-ms wins', () => {
    expect(scheduleOf({ rebalance_frequency_minutes: 30 })).toEqual({
      kind: 'every',
      intervalMs: 1_800_000,
    });
    expect(scheduleOf({ rebalance_frequency_minutes: 30, schedule: { every: '2h' } }, 500)).toEqual(
      {
        kind: 'every',
        intervalMs: 500,
      },
    );
    expect(
      describeSchedule(scheduleOf({ rebalance_frequency_minutes: 30, schedule: { every: '2h' } })),
    ).toBe('every 2h');
  });

  it('every: the interval from the start of the last cycle', () => {
    const s = scheduleOf({ rebalance_frequency_minutes: 60, schedule: { every: '60m' } });
    expect(nextCycleAtMs(s, at('2024-01-09T15:00:00Z'))).toBe(at('2024-01-09T15:00:00Z'));
    expect(iso(nextCycleAtMs(s, at('2024-01-09T15:10:00Z'), at('2024-01-09T15:00:00Z')))).toBe(
      '2024-01-09T16:00:00.000Z',
    );
  });

  it('at: New York times of trading sessions, over daylight saving, weekends and holidays', () => {
    const s = scheduleOf({ rebalance_frequency_minutes: 60, schedule: { at: ['15:30', '09:45'] } });
    expect(describeSchedule(s)).toBe('at 09:45, 15:30 New York');
    // Tuesday 2024-01-09 (winter, UTC-5): 09:45 is 14:45Z.
    expect(iso(nextCycleAtMs(s, at('2024-01-09T12:00:00Z')))).toBe('2024-01-09T14:45:00.000Z');
    expect(iso(nextCycleAtMs(s, at('2024-01-09T14:45:00Z')))).toBe('2024-01-09T20:30:00.000Z');
    // Friday evening: Monday 09:45 in summer time (UTC-4).
    expect(iso(nextCycleAtMs(s, at('2024-07-12T21:00:00Z')))).toBe('2024-07-15T13:45:00.000Z');
    // Wednesday 2024-07-03 closes at 13:00: its 15:30 slot is dropped; 4 July is a holiday.
    expect(iso(nextCycleAtMs(s, at('2024-07-03T14:00:00Z')))).toBe('2024-07-05T13:45:00.000Z');
  });

  it('a time outside every session is a config error', () => {
    const s = scheduleOf({ rebalance_frequency_minutes: 60, schedule: { at: ['20:00'] } });
    let code: string | undefined;
    try {
      nextCycleAtMs(s, at('2024-01-09T12:00:00Z'));
    } catch (error) {
      code = isQuantpipeError(error) ? error.code : 'other';
    }
    expect(code).toBe('E_CONFIG');
  });
});
