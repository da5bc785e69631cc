import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { createInterface } from 'node:readline';

/** A TWS emulator running as a child process (see tools/tws-emulator). */
export interface SpawnedTwsEmulator {
  readonly port: number;
  /** Port of the HTTP control channel, when started with `--control-port`. */
  readonly controlPort: number | undefined;
  /** Sends a control request (`GET /state`, `POST /faults`, `POST /disconnect`, `POST /fill`). */
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

function workspaceRoot(): string {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('spawnTwsEmulator: run inside the quantpipe workspace');
    dir = up;
  }
  return dir;
}

/**
 * Starts `tools/tws-emulator` through its CLI (libraries may not import tools) and waits for
 * its `{"event":"listening",...}` line. Extra CLI flags go in `args`.
 */
export async function spawnTwsEmulator(args: readonly string[] = []): Promise<SpawnedTwsEmulator> {
  const root = workspaceRoot();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@quantpipe/source',
      '--import',
      'tsx',
      join(root, 'tools/tws-emulator/src/main.ts'),
      '--port',
      '0',
      ...args,
    ],
    { cwd: join(root, 'tools/tws-emulator'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ port: number; controlPort?: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as { port: number; controlPort?: number });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code) => reject(new Error(`tws-emulator exited with ${code}: ${stderr}`)));
  });
  const controlPort = ready.controlPort;
  return {
    port: ready.port,
    controlPort,
    control: (method, path, body) =>
      new Promise<unknown>((resolve, reject) => {
        if (controlPort === undefined) {
          reject(new Error('spawnTwsEmulator: started without --control-port'));
          return;
        }
        const req = request({ host: '127.0.0.1', port: controlPort, method, path }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(JSON.parse(text) as unknown));
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
