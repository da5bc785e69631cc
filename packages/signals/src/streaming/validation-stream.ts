import { ValidationError } from '@quantpipe/core';
import { ValidationState, type ValidationPoint } from '../validation/rolling-validation';
import { assertWindow } from '../validate';

/** One bar fed to {@link ValidationStream}. */
export interface ValidationBar {
  /** The signal value at this bar (e.g. a daily signal computed on this bar's close). */
  readonly signal: number;
  /** This bar's simple return (close-to-close). NaN allowed. */
  readonly dailyReturn: number;
}

/** A validation point with the index (bar count from 0) of the signal date it belongs to. */
export interface IndexedValidationPoint extends ValidationPoint {
  /** Index of the signal date: the bar before the one just fed. */
  readonly index: number;
}

/**
 * Streaming rolling validation (IC, hit rate, turnover-adjusted IC). The metric of signal date
 * `s` pairs signal[s] with return[s+1], so it is complete only when bar `s+1` arrives:
 * `update(bar t)` returns the metrics of date `t-1` (undefined for the first bar). These equal
 * `rollingValidation(signal, returns)` at index `t-1` bit for bit, and they never use data
 * after bar `t`: safe to feed decisions made at bar `t`.
 */
export class ValidationStream {
  private readonly state: ValidationState;
  private previousSignal = NaN;
  private count = 0;

  /** @param options `window` in bars (default 252, integer >= 2). */
  constructor(options: { readonly window?: number } = {}) {
    const window = options.window ?? 252;
    assertWindow('options.window', window);
    this.state = new ValidationState(window);
  }

  /** Feeds bar `t`; returns the metrics of signal date `t-1`, or undefined on the first bar. */
  update(bar: ValidationBar): IndexedValidationPoint | undefined {
    if (bar === null || typeof bar !== 'object') {
      throw new ValidationError('bar', 'expected { signal, dailyReturn }');
    }
    const { signal, dailyReturn } = bar;
    if (typeof signal !== 'number' || signal === Infinity || signal === -Infinity) {
      throw new ValidationError(
        'bar.signal',
        `expected a finite number or NaN, got ${String(signal)}`,
      );
    }
    if (typeof dailyReturn !== 'number' || dailyReturn === Infinity || dailyReturn === -Infinity) {
      throw new ValidationError(
        'bar.dailyReturn',
        `expected a finite number or NaN, got ${String(dailyReturn)}`,
      );
    }
    const index = this.count - 1;
    this.count++;
    const previous = this.previousSignal;
    this.previousSignal = signal;
    if (index < 0) return undefined;
    this.state.step(previous, dailyReturn);
    return {
      index,
      ic: this.state.ic,
      hitRate: this.state.hitRate,
      turnoverAdjustedIc: this.state.turnoverAdjustedIc,
    };
  }
}
