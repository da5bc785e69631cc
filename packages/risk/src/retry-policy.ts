/**
 * The retry helper and rate limiter live in `@quantpipe/core` (adapters need them without
 * depending on risk); they are re-exported here so a bot that drops in `@quantpipe/risk` gets the
 * whole safety kit from one place. Defaults follow the spec's `safe_api_call` (10.2):
 * 3 attempts in total (the spec's `max_retries=3`), waits of `2**attempt` s (1 s, then 2 s)
 * shortened by up to 50 % of jitter, at least a core `BrokerError`'s `retryAfterMs`, and only
 * retryable errors are retried (see {@link isRetryableError}; configurable via `shouldRetry`).
 */
export { retry, isRetryableError, RateLimiter } from '@quantpipe/core';
export type { RetryOptions, RateLimiterOptions } from '@quantpipe/core';
