import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackInFlight } from '../../src/http/kit/http-drain.js';

// The API's stop waits for exactly the requests it is answering, then closes keep-alive sockets.

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serverHoldingResponses(): Promise<{
  url: string;
  held: ServerResponse[];
  inFlight: ReturnType<typeof trackInFlight>;
}> {
  const held: ServerResponse[] = [];
  const server = createServer((_req, res) => void held.push(res));
  servers.push(server);
  const inFlight = trackInFlight(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, held, inFlight };
}

async function until(check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 5000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('trackInFlight', () => {
  it('resolves at once with nothing in flight', async () => {
    const { inFlight } = await serverHoldingResponses();
    expect(inFlight.count()).toBe(0);
    await inFlight.drained();
  });

  it('counts requests until they are answered, and drained() waits for the last one', async () => {
    const { url, held, inFlight } = await serverHoldingResponses();
    const answers = [fetch(url), fetch(url)];
    await until(() => held.length === 2);
    expect(inFlight.count()).toBe(2);
    let drained = false;
    const waiting = inFlight.drained().then(() => (drained = true));
    held[0]!.end('one');
    await answers[0];
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    expect(inFlight.count()).toBe(1);
    held[1]!.end('two');
    await waiting;
    expect(inFlight.count()).toBe(0);
    expect(await (await answers[1]!).text()).toBe('two');
  });

  it('stops counting a request whose client went away', async () => {
    const { url, held, inFlight } = await serverHoldingResponses();
    const abort = new AbortController();
    const answer = fetch(url, { signal: abort.signal }).catch(() => 'aborted');
    await until(() => held.length === 1);
    expect(inFlight.count()).toBe(1);
    abort.abort();
    expect(await answer).toBe('aborted');
    await inFlight.drained();
    expect(inFlight.count()).toBe(0);
  });
});
