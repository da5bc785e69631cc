/**
 * Test support: a throwaway PostgreSQL cluster started from the machine's binaries
 * (initdb/pg_ctl) under a temporary directory, listening on 127.0.0.1 only with trust
 * authentication. When the tests run as root, the cluster runs as the `postgres` user
 * (PostgreSQL refuses to run as root).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chownSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  /** Stops the server and removes its directory. */
  stop(): void;
}

const FALLBACK_BIN_DIRS = [
  '/usr/lib/postgresql/15/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/14/bin',
];

/** The directory holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPostgresBinDir(): string | undefined {
  const dirs = [
    ...(process.env['PATH'] ?? '').split(delimiter).filter((d) => d.length > 0),
    ...FALLBACK_BIN_DIRS,
  ];
  return dirs.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

// Not @quantpipe/core/testing's freePort: Jest loads this module for its global setup, where
// workspace packages resolve to their builds (absent in a fresh checkout), not their sources.
function freePort(): Promise<number> {
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

function postgresUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Starts a cluster; throws with the server log when it cannot. */
export async function startPostgresCluster(binDir: string): Promise<PostgresCluster> {
  const root = mkdtempSync(join(tmpdir(), 'qp-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'sock');
  const logFile = join(root, 'server.log');
  mkdirSync(socketDir);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUserIds();
    chownSync(root, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const run = (program: string, args: readonly string[]): void => {
    const binary = join(binDir, program);
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
      : [binary, [...args]];
    execFileSync(command, commandArgs, { stdio: 'pipe', timeout: 60_000 });
  };
  const port = await freePort();
  try {
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // Test cluster only: fsync off keeps the suite fast; durability of the database server
    // itself is not what these tests measure.
    const serverOptions = [
      `-p ${port}`,
      `-k ${socketDir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=100',
    ].join(' ');
    run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  } catch (error) {
    let log = '';
    try {
      log = execFileSync('cat', [logFile], { encoding: 'utf8' });
    } catch {
      // no log written
    }
    rmSync(root, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start PostgreSQL: ${(error as Error).message}\n${stderr}\n${log}`);
  }
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  // Should the test run end without its teardown (an error, Ctrl-C), do not leave a server behind.
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
