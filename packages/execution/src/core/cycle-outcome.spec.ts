import { sessionsBetween } from '@quantpipe/core';
import { sessionOrdinal, sessionOrdinalOfWeekdayOrdinal } from '../session-time';
import { finalCycleReason, finalCycleStatus } from './cycle-outcome';

describe('finalCycleStatus', () => {
  it('a cycle planned to trade that sent no order is idle, not traded', () => {
    expect(finalCycleStatus('traded', false, 0)).toBe('idle');
    expect(finalCycleStatus('traded', false, 2)).toBe('traded');
  });

  it('a tripped switch wins; other planned statuses are kept', () => {
    expect(finalCycleStatus('traded', true, 0)).toBe('halted');
    expect(finalCycleStatus('traded', true, 3)).toBe('halted');
    expect(finalCycleStatus('dry_run', false, 0)).toBe('dry_run');
    expect(finalCycleStatus('halted', false, 0)).toBe('halted');
  });
});

describe('finalCycleReason', () => {
  it('says why an idle cycle sent nothing', () => {
    expect(finalCycleReason('idle', undefined, 0, 0)).toBe(
      'no orders: every position is at its target',
    );
    expect(finalCycleReason('idle', undefined, 3, 2)).toBe(
      'no order sent: 2 of 3 planned skipped, 1 refused',
    );
  });

  it('keeps a reason already given, and the reason of other statuses', () => {
    expect(finalCycleReason('idle', 'risk verdict blocks new exposure', 1, 1)).toBe(
      'risk verdict blocks new exposure',
    );
    expect(finalCycleReason('traded', undefined, 2, 0)).toBeUndefined();
    expect(finalCycleReason('halted', 'drawdown', 0, 0)).toBe('drawdown');
  });
});

describe('sessionOrdinal', () => {
  it('counts exchange sessions: consecutive sessions differ by 1, a weekend adds nothing', () => {
    expect(sessionOrdinal('1970-01-05')).toBe(0);
    expect(sessionOrdinal('1999-12-31')).toBe(7824); // weekdays before the calendar's years
    // 2024-03-01 is 14129 weekdays on; 2000-2023 had 223 weekday holidays and closures.
    expect(sessionOrdinal('2024-03-01')).toBe(14129 - 223 - 3); // and 2024-01-01, -01-15, -02-19
    expect(sessionOrdinal('2024-03-04') - sessionOrdinal('2024-03-01')).toBe(1); // Monday
    expect(sessionOrdinal('2024-03-02')).toBe(sessionOrdinal('2024-03-04')); // Saturday
    expect(sessionOrdinal('2024-03-08T21:00:00.000Z') - sessionOrdinal('2024-03-01')).toBe(5);
    // Good Friday 2024-03-29: Thursday to Monday is one session; the holiday is Monday's.
    expect(sessionOrdinal('2024-04-01') - sessionOrdinal('2024-03-28')).toBe(1);
    expect(sessionOrdinal('2024-03-29')).toBe(sessionOrdinal('2024-04-01'));
    // An ordinal persisted by earlier versions (weekdays) maps to the same date's.
    expect(sessionOrdinalOfWeekdayOrdinal(14129)).toBe(sessionOrdinal('2024-03-01'));
    expect(sessionOrdinalOfWeekdayOrdinal(0)).toBe(0);
    // Over a year, the ordinals count the calendar's sessions.
    expect(sessionOrdinal('2025-01-02') - sessionOrdinal('2024-01-02')).toBe(
      sessionsBetween('2024-01-02', '2025-01-01').length,
    );
  });
});

describe('the reason of an idle cycle whose trades were all inside the no-trade band', () => {
  it('says so instead of "every position is at its target"', () => {
    expect(finalCycleReason('idle', undefined, 0, 0, 2)).toBe(
      'no orders: 2 trade(s) inside the no-trade band, the rest at their targets',
    );
    expect(finalCycleReason('idle', undefined, 0, 0)).toBe(
      'no orders: every position is at its target',
    );
  });
});
