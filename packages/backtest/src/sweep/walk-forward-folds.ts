import { ConfigError } from '@quantpipe/core';
import type { WalkForwardSpec } from './sweep-spec';

/** A stretch of sessions, first and last included. */
export interface SessionWindow {
  readonly start: string;
  readonly end: string;
  readonly sessions: number;
}

/** One walk-forward fold: choose on the in-sample window, measure on the one after it. */
export interface WalkForwardFold {
  readonly index: number;
  readonly inSample: SessionWindow;
  readonly outOfSample: SessionWindow;
}

function window(sessions: readonly string[], from: number, count: number): SessionWindow {
  return {
    start: sessions[from] as string,
    end: sessions[from + count - 1] as string,
    sessions: count,
  };
}

/**
 * The folds over a run's traded sessions. Fold k's out-of-sample window starts
 * `in_sample_sessions + k·step` sessions in and lasts `out_of_sample_sessions`; its in-sample
 * window is the `in_sample_sessions` before it (rolling) or every session before it
 * (anchored). Only whole folds are made; with the default step the out-of-sample windows tile
 * the period after the first in-sample window without gaps.
 * @throws ConfigError when not even one fold fits.
 */
export function walkForwardFolds(
  sessions: readonly string[],
  spec: WalkForwardSpec,
): WalkForwardFold[] {
  const is = spec.in_sample_sessions;
  const oos = spec.out_of_sample_sessions;
  const step = spec.step_sessions ?? oos;
  const folds: WalkForwardFold[] = [];
  for (let k = 0; is + k * step + oos <= sessions.length; k++) {
    const oosStart = is + k * step;
    const isStart = spec.mode === 'anchored' ? 0 : oosStart - is;
    folds.push({
      index: k,
      inSample: window(sessions, isStart, oosStart - isStart),
      outOfSample: window(sessions, oosStart, oos),
    });
  }
  if (folds.length === 0)
    throw new ConfigError(
      'walk_forward',
      `${sessions.length} traded sessions hold no fold of ${is} in-sample + ${oos} out-of-sample sessions`,
    );
  return folds;
}
