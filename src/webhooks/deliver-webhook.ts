import http from 'node:http';
import https from 'node:https';
import { assertLiteralTargetAllowed, guardedLookup, WebhookTargetError } from './webhook-target.js';

/** One HTTP attempt's outcome, as the delivery log records it. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The target itself is not allowed (SSRF guard): retrying cannot help. */
  refused: boolean;
  /** The answer's text (at most the first 64 KiB), when `readBody` asked for it. */
  body?: string;
}

export interface PostWebhookInput {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The whole attempt (connect, send, read the answer) must finish within this. */
  timeoutMs: number;
  allowPrivate: boolean;
  /** Keep the answer's text (the check hook's answer is its body); webhooks only need the status. */
  readBody?: boolean;
}

/** Most of a receiver's answer we read (and then drop): enough to finish the exchange, not a download. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one delivery. Any 2xx is success; redirects are not followed (a 3xx is a failure, so a public
 * URL cannot bounce the request to a private one). Never throws: every failure becomes an outcome.
 */
export async function postWebhook(input: PostWebhookInput): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new WebhookTargetError('refused: only http and https URLs');
    assertLiteralTargetAllowed(url, input.allowPrivate);
  } catch (err) {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: (err as Error).message, refused: true };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (o: Omit<AttemptOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...o, durationMs: elapsed() });
    };
    const req = client.request(url, {
      method: 'POST',
      headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
      lookup: guardedLookup(input.allowPrivate),
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: `timed out after ${input.timeoutMs} ms`, refused: false });
      req.destroy();
    }, input.timeoutMs);
    req.on('response', (res) => {
      let read = 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (input.readBody && read <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      const done = () => {
        const code = res.statusCode ?? 0;
        const ok = code >= 200 && code < 300;
        const body = input.readBody ? { body: Buffer.concat(chunks).toString('utf8') } : {};
        finish({ ok, statusCode: code, error: ok ? null : `HTTP ${code}`, refused: false, ...body });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', (err) => {
      const refused = err instanceof WebhookTargetError;
      finish({ ok: false, statusCode: null, error: err.message, refused });
    });
    req.end(input.body);
  });
}
