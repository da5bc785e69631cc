import { createServer } from 'node:net';

/**
 * A TCP port of 127.0.0.1 that nothing listens on: the system picks it for a listener that is
 * closed at once. For the throwaway servers tests start (PostgreSQL, Redis, emulators); another
 * process could take the port before the server binds it, so callers that can should retry.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
