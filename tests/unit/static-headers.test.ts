import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { precomputeHeaders } from '../../src/http/kit/static-headers.js';

/** The headers (names as written, in order, and values) a middleware leaves on a fresh response. */
function headersAfter(middleware: RequestHandler): {
  names: string[];
  values: Record<string, unknown>;
  nexted: boolean;
} {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  res.setHeader('X-Powered-By', 'Express');
  let nexted = false;
  middleware(req as never, res as never, () => {
    nexted = true;
  });
  return { names: res.getHeaderNames(), values: res.getHeaders(), nexted };
}

const policy = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
};

describe('precomputeHeaders', () => {
  it("sets exactly helmet's headers, in helmet's order, and removes X-Powered-By as helmet does", () => {
    const original = helmet(policy) as RequestHandler;
    const fast = precomputeHeaders(original);
    expect(fast).not.toBe(original);
    const want = headersAfter(original);
    expect(headersAfter(fast)).toEqual(want);
    expect(want.values['x-powered-by']).toBeUndefined();
    expect(want.values['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it.each<[string, RequestHandler]>([
    [
      'a CSP with a per-request nonce',
      helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            'default-src': ["'none'"],
            'script-src': [(_req, res) => `'nonce-${(res as { locals?: { nonce?: string } }).locals?.nonce}'`],
          },
        },
      }) as RequestHandler,
    ],
    [
      'one that reads the request',
      (req, res, next) => {
        res.setHeader('Vary', req.get('origin') ?? '');
        next();
      },
    ],
    [
      'one that answers by itself',
      (_req, res) => {
        res.setHeader('X-A', '1');
      },
    ],
    ['one that passes an error on', (_req, _res, next) => next(new Error('no'))],
  ])('leaves %s unchanged', (_name, middleware) => {
    expect(precomputeHeaders(middleware)).toBe(middleware);
  });
});
