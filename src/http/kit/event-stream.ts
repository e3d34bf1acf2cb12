import type { Response } from 'express';

/**
 * Starts a text/event-stream answer (the desk's live queue, readers' live threads): headers that keep
 * proxies from caching or buffering it, sent at once, and a `retry` spread over a few seconds, so
 * the browsers a restart disconnects do not all come back in the same instant.
 */
export function startEventStream(res: Response): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // nginx and friends would otherwise buffer the stream into silence.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write(`retry: ${3000 + Math.floor(Math.random() * 4000)}\n\n`);
}
