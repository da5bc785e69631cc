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
export function spawnTs(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  stdin: 'ignore' | 'pipe' = 'ignore',
): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@quantpipe/source', '--import', 'tsx', join(REPO_ROOT, script), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: [stdin, 'pipe', 'pipe'],
    },
  );
}

interface Listening {
  readonly port: number;
  readonly controlPort?: number;
}

/** Spawns an emulator CLI and waits for its `{"event":"listening",...}` line. */
function spawnListening(
  script: string,
  args: readonly string[],
): Promise<{ child: ChildProcess; listening: Listening }> {
  const child = spawnTs(script, args);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; port?: number; controlPort?: number };
        if (msg.event === 'listening' && typeof msg.port === 'number') {
          resolve({
            child,
            listening: {
              port: msg.port,
              ...(msg.controlPort !== undefined ? { controlPort: msg.controlPort } : {}),
            },
          });
        }
      } catch {
        // not a JSON line
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`${script} exited with ${String(code)}: ${stderr}`)),
    );
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Bundles a TypeScript entry of this workspace (workspace packages inlined from their sources,
 * other packages left to `require`) into one CommonJS file, so a test can start it as a plain
 * Node process — about three times faster than compiling through tsx at every start, which
 * matters for tests that start the trader many times. Run the bundle with
 * {@link spawnBundle} (it sets NODE_PATH to the workspace's node_modules).
 */
export async function bundleEntry(entry: string, outfile: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22.14',
    conditions: ['@quantpipe/source'],
    logLevel: 'error',
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@quantpipe/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
}

/** Starts a bundle made by {@link bundleEntry}. */
export function spawnBundle(
  bundle: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  stdin: 'ignore' | 'pipe' = 'ignore',
): ChildProcess {
  return spawn(process.execPath, [bundle, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules'), ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** A running TWS emulator child process. */
export interface TwsEmulatorProcess {
  readonly port: number;
  /** Calls the HTTP control channel (`/state`, `/disconnect`, `/faults`, `/fill`). */
  control(path: string, method?: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts `tools/tws-emulator` (with its control channel) and waits until it listens. */
export async function startTwsEmulator(args: readonly string[] = []): Promise<TwsEmulatorProcess> {
  const { child, listening } = await spawnListening('tools/tws-emulator/src/main.ts', [
    '--port',
    '0',
    '--control-port',
    '0',
    ...args,
  ]);
  const controlUrl = `http://127.0.0.1:${String(listening.controlPort)}`;
  return {
    port: listening.port,
    async control(path, method = 'GET', body) {
      const res = await fetch(`${controlUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return res.json();
    },
    stop: () => stopChild(child),
  };
}

/** Starts `tools/alpaca-emulator` as a child process and waits for its `listening` line. */
export async function startEmulator(args: readonly string[] = []): Promise<EmulatorProcess> {
  const { child, listening } = await spawnListening('tools/alpaca-emulator/src/main.ts', [
    '--port',
    '0',
    ...args,
  ]);
  const port = listening.port;
  const url = `http://127.0.0.1:${port}`;
  const headers = {
    'APCA-API-KEY-ID': EMULATOR_KEY,
    'APCA-API-SECRET-KEY': EMULATOR_SECRET,
    'content-type': 'application/json',
  };
  return {
    url,
    port,
    async control(path, method = 'GET', body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return res.json();
    },
    async api(path) {
      const res = await fetch(`${url}${path}`, { headers });
      return res.json();
    },
    stop: () => stopChild(child),
  };
}
