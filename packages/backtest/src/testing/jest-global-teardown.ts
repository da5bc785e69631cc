/** Jest global teardown: stops the Redis server jest-global-setup.ts started, if any. */
import type { RedisServer } from './redis-server';
import { REDIS_KEY } from './jest-global-setup';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>)[REDIS_KEY] as RedisServer | undefined;
  if (server !== undefined) {
    await server.stop();
    delete (globalThis as Record<string, unknown>)[REDIS_KEY];
  }
}
