/**
 * Jest global setup: a throwaway Redis server for the queue suites, through
 * `QP_REDIS_TEST_URL` (stopped in jest-global-teardown.ts). `QP_REDIS_URL` uses a given server
 * instead. Without redis-server the queue suites are skipped, except in CI (`CI=true`), where
 * that is a failure.
 */
import { redisServerAvailable, startRedisServer } from './redis-server';

/** Where the teardown finds the server (same process as the setup). */
export const REDIS_KEY = '__quantpipeBacktestRedis';

export default async function globalSetup(): Promise<void> {
  const given = process.env['QP_REDIS_URL'];
  if (given !== undefined && given.length > 0) {
    process.env['QP_REDIS_TEST_URL'] = given;
    return;
  }
  if (!redisServerAvailable()) {
    const reason = 'redis-server not found and QP_REDIS_URL not set';
    if (process.env['CI'] === 'true')
      throw new Error(`${reason}: the queue suites cannot run in CI`);
    process.env['QP_REDIS_SKIP_REASON'] = reason;
    console.warn(`\n[backtest] ${reason}; queue suites are SKIPPED.\n`);
    return;
  }
  const server = await startRedisServer();
  process.env['QP_REDIS_TEST_URL'] = server.url;
  (globalThis as Record<string, unknown>)[REDIS_KEY] = server;
}
