import fc from 'fast-check';
import { newYorkLocalToUtcMs, newYorkOffsetMinutes, newYorkParts } from './exchange-time';

describe('New York exchange time', () => {
  it('knows the offset in winter and summer', () => {
    expect(newYorkOffsetMinutes(Date.parse('2021-01-15T12:00:00Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(Date.parse('2021-07-15T12:00:00Z'))).toBe(-240);
  });

  it('converts wall-clock times on both sides of the daylight-saving switches', () => {
    // 2021-03-14: clocks jump from 02:00 to 03:00; 2021-11-07: back from 02:00 to 01:00.
    expect(new Date(newYorkLocalToUtcMs(2021, 3, 13, 9, 30, 0)).toISOString()).toBe(
      '2021-03-13T14:30:00.000Z',
    );
    expect(new Date(newYorkLocalToUtcMs(2021, 3, 15, 9, 30, 0)).toISOString()).toBe(
      '2021-03-15T13:30:00.000Z',
    );
    expect(new Date(newYorkLocalToUtcMs(2021, 11, 8, 16, 0, 0)).toISOString()).toBe(
      '2021-11-08T21:00:00.000Z',
    );
  });

  it('gives every instant the offset the time-zone database gives it (cached by UTC day)', () => {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      timeZoneName: 'longOffset',
    });
    const expected = (ms: number): number => {
      const name = formatter.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '') as RegExpExecArray;
      const minutes = Number(m[2]) * 60 + Number(m[3]);
      return m[1] === '-' ? -minutes : minutes;
    };
    // Both sides of each 2021 switch, to the millisecond, then asked again from the cache.
    for (const at of [
      '2021-03-14T06:59:59.999Z',
      '2021-03-14T07:00:00.000Z',
      '2021-11-07T05:59:59.999Z',
      '2021-11-07T06:00:00.000Z',
    ]) {
      const ms = Date.parse(at);
      expect(newYorkOffsetMinutes(ms)).toBe(expected(ms));
      expect(newYorkOffsetMinutes(ms)).toBe(expected(ms));
    }
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('1900-01-01T00:00:00Z'),
          max: Date.parse('2099-12-31T23:59:59Z'),
        }),
        (ms) => newYorkOffsetMinutes(ms) === expected(ms),
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the date, weekday and time of an instant', () => {
    expect(newYorkParts(Date.parse('2021-03-02T01:00:00Z'))).toEqual({
      date: '2021-03-01',
      compactDate: '20210301',
      time: '20:00:00',
      weekday: 1,
      secondOfDay: 72_000,
    });
  });

  it('round-trips every whole-minute wall-clock time that exists', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), (ms) => {
        const t = Math.floor(ms / 60_000) * 60_000;
        const p = newYorkParts(t);
        const [y, mo, d] = p.date.split('-').map(Number) as [number, number, number];
        const [h, mi, s] = p.time.split(':').map(Number) as [number, number, number];
        const back = newYorkLocalToUtcMs(y, mo, d, h, mi, s);
        // The repeated hour of November maps back to one of its two instants.
        return back === t || Math.abs(back - t) === 3_600_000;
      }),
      { numRuns: 300 },
    );
  });
});
