import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@quantpipe/core/testing';

/** A throwaway PostgreSQL 15 cluster (trust authentication, loopback only). */
export interface TestPostgres {
  /** Host and port, e.g. `127.0.0.1:5433`. */
  readonly hostPort: string;
  /** The cluster's data directory (to look at what the server wrote to disk). */
  readonly dataDir: string;
  /** Runs SQL through psql as the superuser, in `database` (default `postgres`). */
  psql(sql: string, database?: string): string;
  stop(): void;
}

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin'];

/** Starts a cluster from the machine's PostgreSQL binaries (run as `postgres` when root). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const binDir = BIN_DIRS.find((d) => existsSync(join(d, 'initdb')));
  if (binDir === undefined)
    throw new Error('PostgreSQL binaries not found (.ci/run installs them)');
  const root = mkdtempSync(join(tmpdir(), 'trader-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'sock');
  mkdirSync(socketDir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const run = (program: string, args: readonly string[]): string => {
    const binary = join(binDir, program);
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
      : [binary, [...args]];
    return execFileSync(command, commandArgs, { encoding: 'utf8', timeout: 60_000 });
  };
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--locale=C']);
  const serverOptions = `-p ${port} -k ${socketDir} -c listen_addresses='127.0.0.1' -c fsync=off`;
  run('pg_ctl', ['-D', dataDir, '-l', join(root, 'log'), '-o', serverOptions, '-w', 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  return {
    hostPort: `127.0.0.1:${port}`,
    dataDir,
    psql: (sql, database = 'postgres') =>
      run('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        database,
        '-At',
        '-c',
        sql,
      ]),
    stop,
  };
}
