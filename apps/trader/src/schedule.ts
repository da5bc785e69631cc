import {
  ConfigError,
  newYorkLocalToUtcMs,
  newYorkParts,
  nextSession,
  sessionOn,
} from '@quantpipe/core';
import { z } from 'zod';

/**
 * When the trader rebalances: every fixed interval (`{ every: "60m" }`, from the start of the
 * previous cycle), or at New York wall-clock times of each trading session (`{ at: ["09:45",
 * "15:30"] }`). Session times use the US equity exchange calendar: no slots on holidays, and a
 * slot at or after an early close (13:00) is dropped for that day.
 */
export type Schedule =
  | { readonly kind: 'every'; readonly intervalMs: number }
  | { readonly kind: 'at'; readonly minutesOfDay: readonly number[] };

const DURATION = /^(\d+(?:\.\d+)?)(s|m|h)$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `"90s"`, `"60m"`, `"4h"` in milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** The `schedule` key of `trading_config.json`. */
export const scheduleConfigSchema = z.union([
  z.strictObject({
    every: z
      .string()
      .refine(
        (s) => parseDurationMs(s) !== undefined,
        'expected a duration such as "90s", "60m" or "4h"',
      ),
  }),
  z.strictObject({
    at: z
      .array(z.string().regex(TIME, 'expected HH:MM (New York time, 24 h)'))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'times must be unique')
      .refine(
        (a) => a.every((t) => t >= '09:30' && t < '16:00'),
        'times must fall inside the regular session, 09:30 to 15:59',
      ),
  }),
]);

/** The `schedule` key as written in the config. */
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;

/**
 * The schedule of a config: its `schedule` key, else every `rebalance_frequency_minutes`.
 * `intervalMsOverride` (the `--interval-ms` option) wins over both.
 */
export function scheduleOf(
  config: { readonly schedule?: ScheduleConfig; readonly rebalance_frequency_minutes: number },
  intervalMsOverride?: number,
): Schedule {
  if (intervalMsOverride !== undefined) return { kind: 'every', intervalMs: intervalMsOverride };
  const s = config.schedule;
  if (s && 'every' in s) {
    const intervalMs = parseDurationMs(s.every);
    if (intervalMs === undefined)
      throw new ConfigError('schedule.every', `bad duration ${s.every}`);
    return { kind: 'every', intervalMs };
  }
  if (s && 'at' in s) {
    const minutesOfDay = s.at
      .map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)))
      .sort((a, b) => a - b);
    return { kind: 'at', minutesOfDay };
  }
  return { kind: 'every', intervalMs: config.rebalance_frequency_minutes * 60_000 };
}

/** Slots of one session date (UTC ms), inside the session's [open, close). */
function slotsOn(date: string, minutesOfDay: readonly number[]): number[] {
  const session = sessionOn(date);
  if (!session) return [];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return minutesOfDay
    .map((min) => newYorkLocalToUtcMs(y, m, d, Math.floor(min / 60), min % 60, 0))
    .filter((t) => t >= session.openMs && t < session.closeMs);
}

/**
 * The instant of the next cycle. `every`: `lastStartMs + interval` (now when there was no
 * cycle yet). `at`: the first session slot strictly after `nowMs`.
 */
export function nextCycleAtMs(schedule: Schedule, nowMs: number, lastStartMs?: number): number {
  if (schedule.kind === 'every') {
    return lastStartMs === undefined ? nowMs : lastStartMs + schedule.intervalMs;
  }
  let date = newYorkParts(nowMs).date;
  for (let i = 0; i < 30; i += 1) {
    const next = slotsOn(date, schedule.minutesOfDay).find((t) => t > nowMs);
    if (next !== undefined) return next;
    date = nextSession(date).date;
  }
  // Unreachable with at least one time inside 09:30-13:00; later-only times skip early closes.
  throw new ConfigError('schedule.at', 'no session slot within 30 sessions');
}

/** A short description for logs and status: `every 60m` or `at 09:45, 15:30 New York`. */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === 'every') {
    const ms = schedule.intervalMs;
    if (ms % 3_600_000 === 0) return `every ${ms / 3_600_000}h`;
    if (ms % 60_000 === 0) return `every ${ms / 60_000}m`;
    return `every ${ms / 1000}s`;
  }
  const hhmm = (min: number): string =>
    `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
  return `at ${schedule.minutesOfDay.map(hhmm).join(', ')} New York`;
}
