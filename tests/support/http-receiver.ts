import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for someone else's HTTP endpoint (a Slack, Teams or Mattermost incoming webhook, a
 * webhook receiver) on loopback: it keeps every POST and answers what the test scripted per path
 * (200 unless told). `stop()` closes the port, so posts fail to connect, as when the service is down;
 * `start()` opens the same port again.
 */
export interface HttpReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  received: { path: string; headers: IncomingMessage['headers']; body: string }[];
  /** The bodies POSTed to `path`, parsed as JSON. */
  bodies(path: string): unknown[];
  /** What to answer the next requests to `path`, in order; after them, 200. */
  answer(path: string, ...statuses: number[]): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: HttpReceiver['received'] = [];
  const script = new Map<string, number[]>();
  let port = 0;
  let server: Server;
  const listen = async (): Promise<void> => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString() });
        const status = script.get(path)?.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
      });
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  };
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    bodies: (path) => received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as unknown),
    answer: (path, ...statuses) => script.set(path, [...(script.get(path) ?? []), ...statuses]),
    stop,
    start: listen,
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
