import { ConfigError } from '@quantpipe/core';
import type { RedisOptions } from 'bullmq';

/**
 * BullMQ connection options for a Redis URL (`redis://host:6379`, `rediss://` for TLS,
 * `redis://:password@host:6379/2`). Commands wait for a lost connection to come back instead of
 * failing (`maxRetriesPerRequest: null`, as BullMQ workers require), and reconnects back off to
 * at most 2 s, so a Redis restart only pauses a sweep.
 * @throws ConfigError for anything but a redis:// or rediss:// URL.
 */
export function redisConnection(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ConfigError('queue', `not a URL: "${url}" (expected redis://host:6379)`, {
      cause: error,
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new ConfigError(
      'queue',
      `expected a redis:// or rediss:// URL, got "${parsed.protocol}"`,
    );
  return {
    url,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(2000, 50 * 2 ** Math.min(times, 6)),
  };
}

/** A Redis URL without its password, for messages and logs. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
