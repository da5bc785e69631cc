/** Jest global teardown: stops the cluster jest-global-setup.ts started, if any. */
import type { PostgresCluster } from './postgres-cluster';
import { CLUSTER_KEY } from './jest-global-setup';

export default function globalTeardown(): void {
  const cluster = (globalThis as Record<string, unknown>)[CLUSTER_KEY] as
    PostgresCluster | undefined;
  if (cluster !== undefined) {
    cluster.stop();
    delete (globalThis as Record<string, unknown>)[CLUSTER_KEY];
  }
}
