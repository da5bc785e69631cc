import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

describe('tws-emulator CLI', () => {
  it('prints one listening line and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@quantpipe/source',
        '--import',
        'tsx',
        join(__dirname, 'main.ts'),
        '--port',
        '0',
      ],
      { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const ready = JSON.parse(line) as { event: string; host: string; port: number };
    expect(ready).toEqual({ event: 'listening', host: '127.0.0.1', port: expect.any(Number) });
    expect(ready.port).toBeGreaterThan(0);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
    expect(exitCode).toBe(0);
  });

  it('refuses a non-loopback host', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@quantpipe/source',
        '--import',
        'tsx',
        join(__dirname, 'main.ts'),
        '--host',
        '0.0.0.0',
      ],
      { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
  });
});
