import type { RequestHandler } from 'express';

type HeaderCall = ['set', string, string | number | readonly string[]] | ['remove', string];

/** Runs the middleware against a response that only records setHeader/removeHeader; null if it does anything else. */
function recordHeaderCalls(middleware: RequestHandler): HeaderCall[] | null {
  const calls: HeaderCall[] = [];
  const refuse = (): never => {
    throw new Error('not a static-header middleware');
  };
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      calls.push(['set', name, value]);
      return res;
    },
    removeHeader(name: string) {
      calls.push(['remove', name]);
    },
  };
  // Anything read from the request, or any other use of the response, means the headers may depend on it.
  const req = new Proxy({}, { get: refuse, set: refuse, has: refuse });
  const strictRes = new Proxy(res, {
    get: (target, key) => (key === 'setHeader' || key === 'removeHeader' ? target[key] : refuse()),
    set: refuse,
    has: refuse,
  });
  let passed = false;
  try {
    middleware(req as never, strictRes as never, (err?: unknown) => {
      passed = err === undefined;
    });
  } catch {
    return null;
  }
  return passed ? calls : null;
}

/**
 * A middleware that does nothing but set the same headers on every response (helmet, with the policy
 * of src/http/app.ts), turned into one function that sets them, in the same order, from a list made
 * once. Helmet runs a chain of a dozen middlewares per request to set what never changes; on the
 * comment intake path that chain cost about as much as the whole intake guard. A middleware that reads
 * the request, touches the response otherwise, calls next late or with an error, or sets different
 * values on a second try (a CSP nonce) is returned unchanged.
 */
export function precomputeHeaders(middleware: RequestHandler): RequestHandler {
  const first = recordHeaderCalls(middleware);
  const second = recordHeaderCalls(middleware);
  if (first === null || second === null || JSON.stringify(first) !== JSON.stringify(second)) return middleware;
  return (_req, res, next) => {
    for (const call of first) {
      if (call[0] === 'set') res.setHeader(call[1], call[2]);
      else res.removeHeader(call[1]);
    }
    next();
  };
}
