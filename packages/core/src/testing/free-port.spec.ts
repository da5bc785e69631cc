import { createServer } from 'node:net';
import { freePort } from './free-port';

describe('freePort', () => {
  it('gives a port of 127.0.0.1 that a server can then listen on', async () => {
    const port = await freePort();
    expect(Number.isInteger(port)).toBe(true);
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    const address = server.address();
    expect(typeof address === 'object' && address !== null ? address.port : 0).toBe(port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
