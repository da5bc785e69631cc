import { createServer, type Server } from 'node:http';

/** A loopback HTTP server recording the alerts a WebhookAlertSink posts. */
export interface WebhookServer {
  readonly port: number;
  /** Each POST: its path (with query) and JSON body. */
  readonly received: { path: string; body: { level?: string; title?: string } }[];
  /** Resolves when an alert with this title has arrived. */
  waitFor(title: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a webhook receiver on 127.0.0.1 (a free port). */
export async function startWebhookServer(): Promise<WebhookServer> {
  const received: WebhookServer['received'] = [];
  const waiters: { title: string; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      let body: { level?: string; title?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // not JSON: recorded as {}
      }
      received.push({ path: req.url ?? '', body });
      for (const w of waiters.filter((x) => x.title === body.title)) w.resolve();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    received,
    waitFor: (title) =>
      received.some((r) => r.body.title === title)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ title, resolve })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
