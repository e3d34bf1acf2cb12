/*
 * A small Akismet client over fetch: the protocol is three form-encoded POSTs (comment-check,
 * submit-spam, submit-ham) answered in plain text (https://akismet.com/developers/). No dependency:
 * the whole protocol is shorter than a client library's options.
 */

/** What Akismet is told about one comment: the reader's request as intake saw it, and the comment. */
export interface AkismetComment {
  /** The site's front page (Akismet's `blog`). */
  blog: string;
  userIp: string;
  userAgent: string;
  referrer: string;
  /** The page the comment was written on. */
  permalink: string;
  commentType: 'comment' | 'reply';
  author: string;
  email: string;
  url: string;
  content: string;
  /** When the reader sent it. */
  date: Date;
  /** The page's language ('' unknown), e.g. `en` or `de`. */
  lang: string;
  /** Set on a recheck (WordPress sends `recheck_queue` for the same). */
  recheckReason?: string;
}

/** Akismet's answer to comment-check. `unavailable`: no usable answer (down, slow, `invalid`, an error). */
export type AkismetCheck =
  | { result: 'ham'; detail: string }
  | { result: 'spam'; detail: string }
  /** Spam, and Akismet's `X-akismet-pro-tip: discard`: "the worst spam, safe to drop unseen". */
  | { result: 'discard'; detail: string }
  | { result: 'unavailable'; detail: string };

export interface AkismetClient {
  commentCheck(comment: AkismetComment): Promise<AkismetCheck>;
  /** submit-spam / submit-ham; throws when Akismet did not take it (the caller's job retries). */
  submit(label: 'spam' | 'ham', comment: AkismetComment): Promise<void>;
}

export interface AkismetClientOptions {
  key: string;
  /** e.g. https://rest.akismet.com/1.1 */
  url: string;
  timeoutMs: number;
  /** Send `is_test=1`. */
  isTest: boolean;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Told about `X-akismet-alert-*` headers (account problems Akismet wants an operator to see). */
  onAlert?: (code: string, message: string) => void;
}

const USER_AGENT = 'ReplyDesk/0.1 | Akismet/1.1';

/** The form fields Akismet documents, from a comment. */
export function toAkismetParams(key: string, c: AkismetComment, isTest: boolean): URLSearchParams {
  const p = new URLSearchParams({
    api_key: key,
    blog: c.blog,
    user_ip: c.userIp,
    user_agent: c.userAgent,
    referrer: c.referrer,
    permalink: c.permalink,
    comment_type: c.commentType,
    comment_author: c.author,
    comment_author_email: c.email,
    comment_author_url: c.url,
    comment_content: c.content,
    comment_date_gmt: c.date.toISOString(),
    blog_charset: 'UTF-8',
  });
  if (c.lang !== '') p.set('blog_lang', c.lang);
  if (c.recheckReason) p.set('recheck_reason', c.recheckReason);
  if (isTest) p.set('is_test', '1');
  return p;
}

export function createAkismetClient(opts: AkismetClientOptions): AkismetClient {
  const doFetch = opts.fetch ?? fetch;
  async function post(method: string, c: AkismetComment): Promise<{ status: number; body: string; headers: Headers }> {
    const res = await doFetch(`${opts.url}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'user-agent': USER_AGENT },
      body: toAkismetParams(opts.key, c, opts.isTest).toString(),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const body = (await res.text()).trim();
    const alert = res.headers.get('x-akismet-alert-code');
    if (alert !== null) opts.onAlert?.(alert, res.headers.get('x-akismet-alert-msg') ?? '');
    return { status: res.status, body, headers: res.headers };
  }
  return {
    async commentCheck(c) {
      let r;
      try {
        r = await post('comment-check', c);
      } catch (err) {
        const e = err as Error;
        return {
          result: 'unavailable',
          detail: e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : `unreachable: ${e.message}`,
        };
      }
      // Anything but a 200 with "true" or "false" is no answer: "invalid" (a bad key or a missing
      // field, explained in X-akismet-debug-help), an error page, a proxy's 502.
      if (r.status === 200 && r.body === 'true') {
        const discard = r.headers.get('x-akismet-pro-tip') === 'discard';
        return discard
          ? { result: 'discard', detail: 'Akismet: blatant spam (pro-tip: discard)' }
          : { result: 'spam', detail: 'Akismet: spam' };
      }
      if (r.status === 200 && r.body === 'false') return { result: 'ham', detail: 'Akismet: not spam' };
      const help = r.headers.get('x-akismet-debug-help');
      return {
        result: 'unavailable',
        detail: `HTTP ${r.status} "${r.body.slice(0, 100)}"${help ? ` (${help.slice(0, 200)})` : ''}`,
      };
    },
    async submit(label, c) {
      const r = await post(label === 'spam' ? 'submit-spam' : 'submit-ham', c);
      if (r.status !== 200 || !r.body.startsWith('Thanks')) {
        throw new Error(`Akismet did not take submit-${label}: HTTP ${r.status} "${r.body.slice(0, 100)}"`);
      }
    },
  };
}
