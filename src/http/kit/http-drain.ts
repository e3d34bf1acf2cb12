import type { Server } from 'node:http';

/**
 * Counts the requests a server is answering, so a stop can wait for exactly those and then close
 * every connection. Waiting for the server's 'close' instead would wait for every keep-alive socket
 * a client leaves open, which the client, not we, decides to close.
 */
export interface InFlight {
  /** Requests received and not yet answered (or abandoned by their client). */
  count(): number;
  /** Resolves once no request is in flight (at once if none is). */
  drained(): Promise<void>;
}

export function trackInFlight(server: Server): InFlight {
  let active = 0;
  let waiters: (() => void)[] = [];
  server.prependListener('request', (_req, res) => {
    active += 1;
    // 'close' fires for an answered response and for one whose client went away.
    res.once('close', () => {
      active -= 1;
      if (active === 0) {
        const ready = waiters;
        waiters = [];
        for (const resolve of ready) resolve();
      }
    });
  });
  return {
    count: () => active,
    drained: () => (active === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}
