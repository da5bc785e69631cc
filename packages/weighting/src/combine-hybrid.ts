import {
  ValidationError,
  assertArrayLike,
  assertBarTimestamp,
  isIsoDate,
  sessionDateOf,
} from '@quantpipe/core';

/** Input of {@link combineHybrid}. */
export interface HybridInput {
  /** Session dates (`YYYY-MM-DD`) of the daily signal, strictly increasing. */
  readonly dailyDates: readonly string[];
  /** Daily composite signal per date (NaN allowed: it propagates). */
  readonly dailySignal: ArrayLike<number>;
  /** ISO-8601 UTC timestamps of the hourly signal, strictly increasing. */
  readonly hourlyTimestamps: readonly string[];
  /** Hourly signal per timestamp (NaN allowed, e.g. warm-up bars). */
  readonly hourlySignal: ArrayLike<number>;
}

/** Output of {@link combineHybrid}, aligned on `dailyDates`. */
export interface HybridComposite {
  /** `0.7 * daily + 0.3 * hourlyDaily` (NaN when either is NaN). */
  readonly composite: number[];
  /** `0.7 + 0.3 * |hourlyDaily|` when the signs agree, else 0.3. */
  readonly confidence: number[];
  /** The hourly signal's last non-NaN value of each session date (NaN when there is none). */
  readonly hourlyDaily: number[];
}

function assertIncreasing(
  argument: string,
  values: readonly string[],
  check: (v: string) => void,
): void {
  for (let i = 0; i < values.length; i++) {
    check(values[i] as string);
    if (i > 0 && Date.parse(values[i] as string) <= Date.parse(values[i - 1] as string)) {
      throw new ValidationError(`${argument}[${i}]`, `not after ${values[i - 1]}: ${values[i]}`);
    }
  }
}

/** numpy's `sign`: NaN for NaN, so a NaN never compares equal. */
function npSign(x: number): number {
  return Number.isNaN(x) ? NaN : Math.sign(x) || 0;
}

/**
 * The spec's `HybridWeightedPipeline.combine_signals` (section 3.3): the hourly signal is
 * reduced to one value per exchange session date (America/New_York, `sessionDateOf`) — the
 * last non-NaN value of the day, as pandas' `resample('D').last()` — and aligned on the daily
 * dates (a date without hourly values gets NaN). Then, as the seed:
 * `composite = 0.7 * daily + 0.3 * hourlyDaily` and
 * `confidence = sign(daily) == sign(hourlyDaily) ? 0.7 + 0.3 * |hourlyDaily| : 0.3`
 * with numpy's sign (sign(0) = 0, so two zeros agree; NaN never agrees, giving 0.3).
 *
 * Deviation: the seed cannot run as written (tz-aware vs naive indexes); the shared reference
 * buckets by UTC day, which equals the New York session date for regular-hours bars.
 *
 * @throws ValidationError for misaligned lengths, malformed or unordered dates/timestamps,
 *   or infinite values.
 */
export function combineHybrid(input: HybridInput): HybridComposite {
  if (input === null || typeof input !== 'object')
    throw new ValidationError(
      'input',
      'expected { dailyDates, dailySignal, hourlyTimestamps, hourlySignal }',
    );
  const { dailyDates, dailySignal, hourlyTimestamps, hourlySignal } = input;
  assertArrayLike('dailyDates', dailyDates);
  assertArrayLike('dailySignal', dailySignal);
  assertArrayLike('hourlyTimestamps', hourlyTimestamps);
  assertArrayLike('hourlySignal', hourlySignal);
  if (dailySignal.length !== dailyDates.length) {
    throw new ValidationError(
      'dailySignal',
      `length ${dailySignal.length} differs from dailyDates (${dailyDates.length})`,
    );
  }
  if (hourlySignal.length !== hourlyTimestamps.length) {
    throw new ValidationError(
      'hourlySignal',
      `length ${hourlySignal.length} differs from hourlyTimestamps (${hourlyTimestamps.length})`,
    );
  }
  assertIncreasing('dailyDates', dailyDates, (d) => {
    if (typeof d !== 'string' || !isIsoDate(d)) {
      throw new ValidationError(
        'dailyDates',
        `expected YYYY-MM-DD dates, got ${JSON.stringify(d)}`,
      );
    }
  });
  assertIncreasing('hourlyTimestamps', hourlyTimestamps, (t) =>
    assertBarTimestamp('hourlyTimestamps', t),
  );
  for (const [name, xs] of [
    ['dailySignal', dailySignal],
    ['hourlySignal', hourlySignal],
  ] as const) {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
        throw new ValidationError(`${name}[${i}]`, `expected a number or NaN, got ${String(v)}`);
      }
    }
  }

  const lastOfDay = new Map<string, number>();
  for (let i = 0; i < hourlyTimestamps.length; i++) {
    const v = hourlySignal[i] as number;
    if (Number.isNaN(v)) continue; // resample().last() skips NaN
    lastOfDay.set(sessionDateOf(hourlyTimestamps[i] as string), v);
  }

  const n = dailyDates.length;
  const composite = new Array<number>(n);
  const confidence = new Array<number>(n);
  const hourlyDaily = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const d = dailySignal[i] as number;
    const h = lastOfDay.get(dailyDates[i] as string) ?? NaN;
    hourlyDaily[i] = h;
    composite[i] = 0.7 * d + 0.3 * h;
    confidence[i] = npSign(d) === npSign(h) ? 0.7 + 0.3 * Math.abs(h) : 0.3;
  }
  return { composite, confidence, hourlyDaily };
}
