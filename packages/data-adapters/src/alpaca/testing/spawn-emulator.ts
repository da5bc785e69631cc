import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running emulator child process. */
export interface SpawnedEmulator {
  readonly url: string;
  readonly port: number;
  readonly keyId: string;
  readonly secretKey: string;
  readonly child: ChildProcess;
  /** `POST /__emulator/<path>` with a JSON body; returns the parsed answer. */
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  /** Stops the child (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

function workspaceRoot(): string {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir)
      throw new Error('workspace root (nx.json) not found above the current directory');
    dir = up;
  }
  return dir;
}

/**
 * Starts the Alpaca emulator CLI (tools/alpaca-emulator) as a child process on a free loopback
 * port and resolves once it printed its `{"event":"listening",...}` line. Libraries may not
 * import tools, so tests talk to the emulator over HTTP only.
 */
export async function spawnAlpacaEmulator(
  args: readonly string[] = [],
  timeoutMs = 20_000,
): Promise<SpawnedEmulator> {
  const root = workspaceRoot();
  const keyId = 'test-key';
  const secretKey = 'test-secret';
  const child = spawn(
    process.execPath,
    [
      '--conditions=@quantpipe/source',
      '--import',
      'tsx',
      join(root, 'tools/alpaca-emulator/src/main.ts'),
      '--port',
      '0',
      '--key',
      keyId,
      '--secret',
      secretKey,
      ...args,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Never leave an orphan: if this process ends first, the emulator ends with it.
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      killOnExit();
      reject(new Error(`alpaca emulator did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`alpaca emulator exited with ${String(code)}: ${stderr}`));
    });
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string; port?: number };
        if (event.event === 'listening' && event.url && event.port) {
          clearTimeout(timer);
          resolve({ url: event.url, port: event.port });
        }
      } catch {
        // not the ready line
      }
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    ...ready,
    keyId,
    secretKey,
    child,
    async control(path, body, method = 'POST') {
      const res = await fetch(`${ready.url}/__emulator/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`emulator control ${path}: ${res.status} ${text}`);
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      lines.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
