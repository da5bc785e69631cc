/**
 * Jest global setup: makes a PostgreSQL server available to the PostgreSQL test suites
 * through `QP_PG_TEST_URL`. Uses `QP_PG_URL` when given; otherwise starts a throwaway
 * cluster (stopped in jest-global-teardown.ts). Without PostgreSQL the suites are skipped,
 * except in CI (`CI=true`), where that is a failure.
 */
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from './postgres-cluster';

/** Where the teardown finds the cluster (same process as the setup). */
export const CLUSTER_KEY = '__quantpipeStoragePgCluster';

export default async function globalSetup(): Promise<void> {
  const given = process.env['QP_PG_URL'];
  if (given !== undefined && given.length > 0) {
    process.env['QP_PG_TEST_URL'] = given;
    return;
  }
  const binDir = findPostgresBinDir();
  const inCi = process.env['CI'] === 'true';
  if (binDir === undefined) {
    const reason = 'PostgreSQL binaries (initdb, pg_ctl) not found and QP_PG_URL not set';
    if (inCi) throw new Error(`${reason}: the PostgreSQL suites cannot run in CI`);
    process.env['QP_PG_SKIP_REASON'] = reason;
    console.warn(`\n[storage] ${reason}; PostgreSQL suites are SKIPPED.\n`);
    return;
  }
  let cluster: PostgresCluster;
  try {
    cluster = await startPostgresCluster(binDir);
  } catch (error) {
    if (inCi) throw error;
    const reason = `PostgreSQL could not start: ${(error as Error).message.split('\n')[0] ?? ''}`;
    process.env['QP_PG_SKIP_REASON'] = reason;
    console.warn(`\n[storage] ${reason}; PostgreSQL suites are SKIPPED.\n`);
    return;
  }
  process.env['QP_PG_TEST_URL'] = cluster.url;
  (globalThis as Record<string, unknown>)[CLUSTER_KEY] = cluster;
}
