import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root (apps/trader/src/testing → ../../../..). */
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** The emulator credentials (its defaults). */
export const EMULATOR_KEY = 'emulator-key';
export const EMULATOR_SECRET = 'emulator-secret';

/** A running Alpaca emulator child process. */
export interface EmulatorProcess {
  readonly url: string;
  readonly port: number;
  /** Calls a control endpoint (`/__emulator/...`). */
  control(path: string, method?: string, body?: unknown): Promise<unknown>;
  /** Calls the trading API with the emulator's credentials. */
  api(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Spawns a Node process running TypeScript sources with the workspace's source condition. */
export function spawnTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawn(process.execPath, ['--conditions=@quantpipe/source', '--import', 'tsx', join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** Starts `tools/alpaca-emulator` as a child process and waits for its `listening` line. */
export async function startEmulator(args: readonly string[] = []): Promise<EmulatorProcess> {
  const child = spawnTs('tools/alpaca-emulator/src/main.ts', ['--port', '0', ...args]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; port?: number };
        if (msg.event === 'listening' && typeof msg.port === 'number') resolve(msg.port);
      } catch {
        // not a JSON line
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const headers = { 'APCA-API-KEY-ID': EMULATOR_KEY, 'APCA-API-SECRET-KEY': EMULATOR_SECRET, 'content-type': 'application/json' };
  return {
    url,
    port,
    async control(path, method = 'GET', body) {
      const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      return res.json();
    },
    async api(path) {
      const res = await fetch(`${url}${path}`, { headers });
      return res.json();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
