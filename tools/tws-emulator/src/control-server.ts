import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RunningTwsEmulator, TwsEmulatorFaults } from './tws-emulator';

/** The HTTP control channel of a running emulator. */
export interface ControlServer {
  readonly port: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const ORDER_MODES = new Set(['order-lost', 'before-fill', 'after-fill']);

/** Validates a faults document sent to `POST /faults`. */
export function parseFaults(value: unknown): TwsEmulatorFaults {
  if (typeof value !== 'object' || value === null) throw new Error('expected a JSON object');
  const v = value as Record<string, unknown>;
  const out: {
    orderDrop?: TwsEmulatorFaults['orderDrop'];
    historicalDrop?: TwsEmulatorFaults['historicalDrop'];
  } = {};
  if (v['orderDrop'] !== undefined) {
    const o = v['orderDrop'] as Record<string, unknown>;
    const mode = o['mode'];
    const count = o['count'] ?? 1;
    if (typeof mode !== 'string' || !ORDER_MODES.has(mode)) {
      throw new Error('orderDrop.mode must be order-lost, before-fill or after-fill');
    }
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new Error('orderDrop.count must be an integer >= 0');
    }
    out.orderDrop = { mode: mode as 'order-lost', count };
  }
  if (v['historicalDrop'] !== undefined) {
    const count = (v['historicalDrop'] as Record<string, unknown>)['count'] ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new Error('historicalDrop.count must be an integer >= 0');
    }
    out.historicalDrop = { count };
  }
  return out;
}

/**
 * Starts the control channel on 127.0.0.1:
 * `GET /state`, `POST /faults` (JSON {@link TwsEmulatorFaults}), `POST /disconnect`, `POST /fill`.
 */
export async function startControlServer(
  port: number,
  emulator: RunningTwsEmulator,
): Promise<ControlServer> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/state') return reply(res, 200, emulator.state());
        if (req.method === 'POST' && req.url === '/faults') {
          const faults = parseFaults(JSON.parse((await readBody(req)) || '{}'));
          emulator.setFaults(faults);
          return reply(res, 200, { ok: true, faults });
        }
        if (req.method === 'POST' && req.url === '/disconnect') {
          emulator.disconnectAll();
          return reply(res, 200, { ok: true });
        }
        if (req.method === 'POST' && req.url === '/fill') {
          return reply(res, 200, { ok: true, filled: emulator.fillOpenOrders() });
        }
        return reply(res, 404, { error: `no route ${req.method} ${req.url}` });
      } catch (error) {
        return reply(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
