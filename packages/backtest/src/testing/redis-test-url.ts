/** The Redis server prepared by the global setup, if there is one, and why not otherwise. */
export function redisTestUrl(): string | undefined {
  const url = process.env['QP_REDIS_TEST_URL'];
  return url === undefined || url.length === 0 ? undefined : url;
}

export function redisSkipReason(): string {
  return (
    process.env['QP_REDIS_SKIP_REASON'] ??
    'no Redis server (set QP_REDIS_URL or install redis-server)'
  );
}
