/**
 * Test support: a throwaway `redis-server` (Debian's package) on a free loopback port, in a
 * temporary directory. `restart()` stops and starts it on the same port and directory: with
 * `persistence: 'aof'` the queue survives (append-only file, fsync on every write), with
 * `'none'` it comes back empty.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running test Redis server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and starts it again on the same port and directory. */
  restart(options?: { readonly downMs?: number }): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Whether `redis-server` is on the PATH. */
export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

// Not @quantpipe/core/testing's freePort: Jest loads this module for its global setup, where
// workspace packages resolve to their builds (absent in a fresh checkout), not their sources.
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

function launch(port: number, dir: string, persistence: 'aof' | 'none'): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    persistence === 'aof' ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start in 20 s:\n${output}`));
    }, 20_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}:\n${output}`));
    });
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts a server; throws with its output when it cannot. */
export async function startRedisServer(
  options: { readonly persistence?: 'aof' | 'none' } = {},
): Promise<RedisServer> {
  const persistence = options.persistence ?? 'aof';
  const dir = mkdtempSync(join(tmpdir(), 'qp-redis-'));
  const port = await freePort();
  let child = await launch(port, dir, persistence);
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  // Should the test run end without its teardown, do not leave a server behind.
  process.once('exit', onExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async (restartOptions = {}) => {
      await stopped(child);
      await new Promise((r) => setTimeout(r, restartOptions.downMs ?? 500));
      child = await launch(port, dir, persistence);
    },
    stop: async () => {
      process.removeListener('exit', onExit);
      await stopped(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
