import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The signed form token: proof that a submission came from a form this service rendered (the demo
 * page) or handed out (the widget, through GET /api/sites/:id/public?page=…), and when. It carries the
 * site, the page and the render time, signed with HMAC-SHA256 under a server secret (app_secrets
 * 'form-token', shared by every API process), and a random nonce, so no two tokens are alike. The
 * token itself is stateless; that it is used once is kept apart, in Redis (src/flood/used-form-tokens.ts):
 * what it proves is "rendered here, at least N seconds ago, for this one comment".
 */

/** What intake learned from a submission's token; the rules decide what each means. */
export type FormTokenStatus = 'valid' | 'missing' | 'forged' | 'expired' | 'mismatch' | 'replayed';

export interface FormTokenCheck {
  status: FormTokenStatus;
  /** When the form was rendered: set for valid tokens (and mismatched or expired ones, which were signed by us). */
  renderedAt: Date | null;
}

/**
 * How long a token stays good. A reader who leaves a tab open longer is held, not refused: an old
 * token is more often a harvested one replayed by a bot than a reader's.
 */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000;

/** Tokens are small; anything longer is not one of ours and is not worth hashing. */
const MAX_TOKEN_LENGTH = 2048;

interface TokenPayload {
  s: string;
  p: string;
  t: number;
  /** Nonce (tokens issued before it existed have none; their body is unique enough by time). */
  n?: string;
}

/** A token's id for the used-token record: a hash of its signed body, so the record holds no token. */
export function formTokenId(token: string): string {
  return createHash('sha256')
    .update(token.slice(0, Math.max(0, token.indexOf('.'))))
    .digest('base64url');
}

export interface FormTokens {
  /** A token for a form on `page` of `site`, rendered at `now`. */
  sign(site: string, page: string, now: Date): string;
  /** Checks a submitted token (empty: missing) against the site and page it was posted for. */
  verify(token: string, site: string, page: string, now: Date): FormTokenCheck;
}

export function createFormTokens(secret: string): FormTokens {
  const key = Buffer.from(`reply-desk form token\n${secret}`);
  const mac = (body: string): Buffer => createHmac('sha256', key).update(body).digest();
  return {
    sign(site, page, now) {
      const body = Buffer.from(
        JSON.stringify({
          s: site,
          p: page,
          t: now.getTime(),
          n: randomBytes(9).toString('base64url'),
        } satisfies TokenPayload),
      ).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token, site, page, now) {
      if (token === '') return { status: 'missing', renderedAt: null };
      const forged: FormTokenCheck = { status: 'forged', renderedAt: null };
      if (token.length > MAX_TOKEN_LENGTH) return forged;
      const dot = token.indexOf('.');
      if (dot <= 0) return forged;
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return forged;
      let payload: Partial<TokenPayload>;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<TokenPayload>;
      } catch {
        return forged;
      }
      if (
        typeof payload.s !== 'string' ||
        typeof payload.p !== 'string' ||
        typeof payload.t !== 'number' ||
        !Number.isFinite(payload.t)
      )
        return forged;
      const renderedAt = new Date(payload.t);
      if (payload.s !== site || payload.p !== page) return { status: 'mismatch', renderedAt };
      // A render time in the future (clock skew between API processes) counts as now.
      if (now.getTime() - payload.t > FORM_TOKEN_MAX_AGE_MS) return { status: 'expired', renderedAt };
      return { status: 'valid', renderedAt };
    },
  };
}
