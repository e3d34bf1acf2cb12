import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on a free loopback port in front of a real server, for tests of a bad network: each
 * chunk can be delayed, forwarding can stall (connections stay open, nothing moves, as with a dead
 * router), and every connection can be reset (RST, as when a NAT forgets them).
 */
export interface TcpProxy {
  port: number;
  /** Delay added to every chunk, both ways (order kept). */
  setDelay(ms: number): void;
  /** Stops forwarding: bytes pile up in the proxy until resume(); new connections are accepted but mute. */
  stall(): void;
  resume(): void;
  /** Resets every open connection on both sides. */
  resetAll(): void;
  /** Connections open now. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  let delayMs = 0;
  let stalled = false;
  const pairs = new Set<{ client: Socket; upstream: Socket; flush: () => void }>();

  /** Forwards from one socket to the other through a queue, so delay and stall keep the byte order. */
  function pipe(from: Socket, to: Socket): () => void {
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = (): void => {
      timer = null;
      while (!stalled && queue.length > 0) {
        const head = queue[0];
        if (head === undefined) break;
        const wait = head.at - Date.now();
        if (wait > 0) {
          timer = setTimeout(pump, wait);
          return;
        }
        queue.shift();
        if (!to.destroyed) to.write(head.chunk);
      }
    };
    from.on('data', (chunk: Buffer) => {
      queue.push({ at: Date.now() + delayMs, chunk });
      if (timer === null) pump();
    });
    return () => {
      if (timer === null) pump();
    };
  }

  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.host ?? '127.0.0.1', port: target.port });
    const up = pipe(client, upstream);
    const down = pipe(upstream, client);
    const pair = { client, upstream, flush: () => (up(), down()) };
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    setDelay: (ms) => void (delayMs = ms),
    stall: () => void (stalled = true),
    resume() {
      stalled = false;
      for (const p of pairs) p.flush();
    },
    resetAll() {
      for (const p of [...pairs]) {
        p.client.resetAndDestroy();
        p.upstream.resetAndDestroy();
        pairs.delete(p);
      }
    },
    connections: () => pairs.size,
    async close() {
      for (const p of [...pairs]) {
        p.client.destroy();
        p.upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
