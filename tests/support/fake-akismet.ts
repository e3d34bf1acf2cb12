import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Akismet's REST API 1.1 (https://akismet.com/developers/), speaking its
 * documented protocol: form-encoded POSTs to /1.1/verify-key, /1.1/comment-check, /1.1/submit-spam and
 * /1.1/submit-ham, answered in plain text. Its test triggers: the author `viagra-test-123` or the email
 * `akismet-guaranteed-spam@example.com` is spam, `user_role=administrator` is ham; a wrong key answers
 * `invalid` with X-akismet-debug-help; a missing `blog` or `user_ip` answers with the missing field.
 * Extras for tests: the text `akismet-discard-test` is spam with `X-akismet-pro-tip: discard`, and the
 * server can be made `down` (connection dropped), `slow` (answers after `slowMs`) or `error` (HTTP 500).
 */
export interface FakeAkismet {
  /** Base URL, like AKISMET_URL: https://rest.akismet.com/1.1 */
  url: string;
  /** The key it accepts (change it to make every call `invalid`). */
  validKey: string;
  mode: 'up' | 'down' | 'slow' | 'error';
  slowMs: number;
  /** Every call, in order: the method and its form fields. */
  calls: { method: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

export const AKISMET_TEST_KEY = 'fake-akismet-key-123';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

export async function startFakeAkismet(): Promise<FakeAkismet> {
  const fake: FakeAkismet = {
    url: '',
    validKey: AKISMET_TEST_KEY,
    mode: 'up',
    slowMs: 5000,
    calls: [],
    close: async () => {},
  };
  const timers = new Set<NodeJS.Timeout>();
  const answer = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = (req.url ?? '').replace(/^\/1\.1\//, '');
      const params = Object.fromEntries(new URLSearchParams(body));
      fake.calls.push({ method, params });
      if (fake.mode === 'down') {
        req.socket.destroy();
        return;
      }
      if (fake.mode === 'error') return answer(res, 500, 'Internal Server Error');
      if (fake.mode === 'slow') {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, fake.slowMs);
          timers.add(t);
        });
        if (res.destroyed) return;
      }
      if (req.method !== 'POST') return answer(res, 405, 'POST only');
      if (params.api_key !== fake.validKey) {
        return answer(res, 200, 'invalid', {
          'X-akismet-debug-help': 'We were unable to parse your blog URI or API key',
        });
      }
      if (method === 'verify-key') return answer(res, 200, 'valid');
      for (const field of ['blog', 'user_ip']) {
        if (!params[field])
          return answer(res, 200, `Missing required field: ${field}.`, {
            'X-akismet-debug-help': `Empty "${field}" value`,
          });
      }
      if (method === 'submit-spam' || method === 'submit-ham')
        return answer(res, 200, 'Thanks for making the web a better place.');
      if (method !== 'comment-check') return answer(res, 404, 'unknown method');
      if (params.user_role === 'administrator') return answer(res, 200, 'false');
      if ((params.comment_content ?? '').includes('akismet-discard-test'))
        return answer(res, 200, 'true', { 'X-akismet-pro-tip': 'discard' });
      const spam =
        params.comment_author === 'viagra-test-123' ||
        params.comment_author_email === 'akismet-guaranteed-spam@example.com';
      return answer(res, 200, spam ? 'true' : 'false');
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/1.1`;
  fake.close = async () => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    server.close();
  };
  return fake;
}
