import { ValidationError, assertArrayLike, assertFinite } from '@quantpipe/core';
import { standardNormalCdf, standardNormalQuantile } from './normal-distribution';

/** The Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Per-period moments of a return series for the Sharpe statistics: the Sharpe ratio
 * `mean / std` (sample std, ddof 1; not annualised), and the skewness `m3 / m2^1.5` and
 * kurtosis `m4 / m2^2` (not excess: 3 for a normal distribution) from the population central
 * moments `m_k`, as in Bailey & López de Prado.
 */
export interface SharpeMoments {
  /** Number of returns T. */
  readonly periods: number;
  /** Per-period Sharpe ratio; 0 for a flat series. */
  readonly sharpe: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

/** The {@link SharpeMoments} of a series of at least 2 finite returns. */
export function sharpeMoments(returns: readonly number[]): SharpeMoments {
  assertArrayLike('returns', returns);
  const n = returns.length;
  if (n < 2) throw new ValidationError('returns', `expected at least 2 returns, got ${n}`);
  let sum = 0;
  returns.forEach((r, i) => {
    assertFinite(`returns[${i}]`, r);
    sum += r;
  });
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const r of returns) {
    const d = r - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  if (m2 === 0) return { periods: n, sharpe: 0, skewness: 0, kurtosis: 3 };
  const std = Math.sqrt(m2 / (n - 1));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    periods: n,
    sharpe: mean / std,
    skewness: m3 / m2 ** 1.5,
    kurtosis: m4 / (m2 * m2),
  };
}

/** Inputs of {@link probabilisticSharpeRatio}: an observed Sharpe ratio and a benchmark one. */
export interface ProbabilisticSharpeInput extends SharpeMoments {
  /** The Sharpe ratio to beat, per period (0: "is it positive at all"). */
  readonly benchmarkSharpe: number;
}

/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado, 2012): the probability that the true
 * Sharpe ratio exceeds `benchmarkSharpe`, given the estimate's T, skewness and kurtosis:
 * `Φ((SR − SR*) √(T − 1) / √(1 − γ3 SR + (γ4 − 1)/4 SR²))`.
 * @throws ValidationError for T < 2, non-finite inputs, or moments that make the estimate's
 *   variance non-positive (an extreme skewness).
 */
export function probabilisticSharpeRatio(input: ProbabilisticSharpeInput): number {
  const { periods, sharpe, skewness, kurtosis, benchmarkSharpe } = input;
  if (!Number.isInteger(periods) || periods < 2)
    throw new ValidationError('periods', `expected a whole number >= 2, got ${String(periods)}`);
  assertFinite('sharpe', sharpe);
  assertFinite('skewness', skewness);
  assertFinite('kurtosis', kurtosis);
  assertFinite('benchmarkSharpe', benchmarkSharpe);
  const variance = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(variance > 0))
    throw new ValidationError(
      'skewness',
      `skewness ${skewness} and kurtosis ${kurtosis} give the Sharpe estimate a non-positive variance at SR ${sharpe}`,
    );
  return standardNormalCdf(
    ((sharpe - benchmarkSharpe) * Math.sqrt(periods - 1)) / Math.sqrt(variance),
  );
}

/**
 * Expected maximum of `trials` independent Sharpe ratio estimates whose true value is 0 and
 * whose variance across trials is `sharpeVariance` (the false-strategy theorem):
 * `√V ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))`, γ the Euler–Mascheroni constant; 0 for
 * a single trial (no selection).
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!Number.isInteger(trials) || trials < 1)
    throw new ValidationError('trials', `expected a whole number >= 1, got ${String(trials)}`);
  if (!Number.isFinite(sharpeVariance) || sharpeVariance < 0)
    throw new ValidationError(
      'sharpeVariance',
      `expected a finite number >= 0, got ${String(sharpeVariance)}`,
    );
  if (trials === 1) return 0;
  return (
    Math.sqrt(sharpeVariance) *
    ((1 - EULER_GAMMA) * standardNormalQuantile(1 - 1 / trials) +
      EULER_GAMMA * standardNormalQuantile(1 - 1 / (trials * Math.E)))
  );
}

/** Inputs of {@link deflatedSharpeRatio}: the selected trial's moments and the trials. */
export interface DeflatedSharpeInput extends SharpeMoments {
  /** Number of independent trials the selected one was chosen from (N >= 1). */
  readonly trials: number;
  /** Variance of the trials' per-period Sharpe ratios (V). */
  readonly sharpeVariance: number;
}

/** A deflated Sharpe ratio and the benchmark it was measured against. */
export interface DeflatedSharpe {
  /** The probability that the selected trial's true Sharpe ratio is positive, after selection. */
  readonly deflatedSharpe: number;
  /** SR₀: the expected maximum Sharpe ratio of N skill-less trials, per period. */
  readonly benchmarkSharpe: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado, 2014): the probabilistic Sharpe ratio of the
 * best of N trials measured against SR₀ = {@link expectedMaxSharpe}(N, V) instead of 0, so the
 * more configurations were tried, the more the best one must beat. All Sharpe ratios are per
 * period (not annualised).
 */
export function deflatedSharpeRatio(input: DeflatedSharpeInput): DeflatedSharpe {
  const benchmarkSharpe = expectedMaxSharpe(input.trials, input.sharpeVariance);
  return {
    deflatedSharpe: probabilisticSharpeRatio({ ...input, benchmarkSharpe }),
    benchmarkSharpe,
  };
}
