/** Exchange-time formatting of the TWS wire protocol (New York helpers live in core). */
import { newYorkParts } from '@quantpipe/core';

/** `YYYYMMDD HH:mm:ss US/Eastern`, the way current TWS versions stamp times. */
export function formatTwsTime(utcMs: number): string {
  const p = newYorkParts(utcMs);
  return `${p.compactDate} ${p.time} US/Eastern`;
}
