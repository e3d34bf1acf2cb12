import type { Request, Response } from 'express';
import type { RenderedAnswer } from './thread-cache.js';

type EtagFn = (body: Buffer, encoding?: BufferEncoding) => string | undefined;

/**
 * Serialises a JSON answer once, with the ETag Express itself would give it (the app's `etag fn`:
 * weak, from the body's length and hash), so a cached answer revalidates exactly as an uncached one.
 */
export function renderJsonAnswer(req: Request, value: unknown): RenderedAnswer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const etagFn = req.app.get('etag fn') as EtagFn | undefined;
  return { body, etag: typeof etagFn === 'function' ? etagFn(body) : undefined };
}

/**
 * Sends a rendered answer as `res.json` would: with the ETag already set, Express neither hashes the
 * body again nor skips the If-None-Match check (a match still gets 304).
 */
export function sendRenderedAnswer(res: Response, answer: RenderedAnswer, cacheControl: string): void {
  res.set('Cache-Control', cacheControl).set('Content-Type', 'application/json; charset=utf-8');
  if (answer.etag !== undefined) res.set('ETag', answer.etag);
  res.send(answer.body);
}
