import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { loadOrCreateSecret } from '../store/secrets.js';

/*
 * Signed links in mails. A token is `<payload>.<mac>`: the payload base64url JSON, the mac
 * HMAC-SHA256 over "reply-desk-mail\n<payload>" with a key the service keeps in app_secrets (shared
 * by API and workers, made on first use). Nothing is stored per link: the signature says who may do
 * what, and until when. Single use is enforced where a token is spent (mail_action_uses).
 */

/** One click in a held-comment notice: act on one comment as that moderator, until `expiresAt`. */
export interface ModerateToken {
  kind: 'moderate';
  commentId: string;
  action: 'approve' | 'reject' | 'spam';
  moderatorId: number;
  /** Unix seconds. */
  expiresAt: number;
  /** Shared by the three links of one comment in one mail: once one is used, all are. */
  nonce: string;
}

/** One-click unsubscribe from reply notices for one comment. Does not expire: old mails must still work. */
export interface UnsubscribeToken {
  kind: 'unsubscribe';
  commentId: string;
}

/**
 * Confirms one address for reply mails on one site. It names the address's row by its nonce (no
 * address in the URL), expires, and spending it twice changes nothing (confirming is idempotent).
 */
export interface ConfirmToken {
  kind: 'confirm';
  siteId: string;
  nonce: string;
  /** Unix seconds. */
  expiresAt: number;
}

/**
 * The appeal link of a statement of reasons (issue 16): the commenter may appeal this decision about
 * this comment, until `expiresAt`. Opening an appeal twice finds the first (one per decision).
 */
export interface AppealToken {
  kind: 'appeal';
  decisionId: number;
  commentId: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type MailToken = ModerateToken | UnsubscribeToken | ConfirmToken | AppealToken;

export type ReadTokenResult =
  { ok: true; token: MailToken } | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The name of the signing key in app_secrets. */
export const MAIL_KEY_SECRET = 'mail-links';

export function loadMailKey(db: Queryable): Promise<string> {
  return loadOrCreateSecret(db, MAIL_KEY_SECRET);
}

export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

function mac(key: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`reply-desk-mail\n${payload}`).digest();
}

export function signMailToken(key: string, token: MailToken): string {
  const compact =
    token.kind === 'moderate'
      ? { k: 'm', c: token.commentId, a: token.action, m: token.moderatorId, e: token.expiresAt, n: token.nonce }
      : token.kind === 'confirm'
        ? { k: 'c', s: token.siteId, n: token.nonce, e: token.expiresAt }
        : token.kind === 'appeal'
          ? { k: 'a', d: token.decisionId, c: token.commentId, e: token.expiresAt }
          : { k: 'u', c: token.commentId };
  const payload = Buffer.from(JSON.stringify(compact)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** Checks the signature first (nothing unsigned is parsed), then the shape, then the expiry. */
export function readMailToken(key: string, value: unknown, nowSeconds: number): ReadTokenResult {
  if (typeof value !== 'string' || value.length > 1000) return { ok: false, reason: 'MALFORMED' };
  const [payload, signature, extra] = value.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'MALFORMED' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'BAD_SIGNATURE' };
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'MALFORMED' };
  }
  if (v.k === 'c') {
    if (
      typeof v.s !== 'string' ||
      v.s.length > 100 ||
      typeof v.n !== 'string' ||
      v.n.length > 64 ||
      !Number.isInteger(v.e)
    ) {
      return { ok: false, reason: 'MALFORMED' };
    }
    if ((v.e as number) <= nowSeconds) return { ok: false, reason: 'EXPIRED' };
    return { ok: true, token: { kind: 'confirm', siteId: v.s, nonce: v.n, expiresAt: v.e as number } };
  }
  if (typeof v.c !== 'string' || !UUID.test(v.c)) return { ok: false, reason: 'MALFORMED' };
  if (v.k === 'u') return { ok: true, token: { kind: 'unsubscribe', commentId: v.c } };
  if (v.k === 'a') {
    if (!Number.isSafeInteger(v.d) || (v.d as number) < 1 || !Number.isInteger(v.e))
      return { ok: false, reason: 'MALFORMED' };
    if ((v.e as number) <= nowSeconds) return { ok: false, reason: 'EXPIRED' };
    return {
      ok: true,
      token: { kind: 'appeal', decisionId: v.d as number, commentId: v.c, expiresAt: v.e as number },
    };
  }
  if (
    v.k !== 'm' ||
    !['approve', 'reject', 'spam'].includes(v.a as string) ||
    !Number.isInteger(v.m) ||
    !Number.isInteger(v.e) ||
    typeof v.n !== 'string'
  ) {
    return { ok: false, reason: 'MALFORMED' };
  }
  if ((v.e as number) <= nowSeconds) return { ok: false, reason: 'EXPIRED' };
  return {
    ok: true,
    token: {
      kind: 'moderate',
      commentId: v.c,
      action: v.a as ModerateToken['action'],
      moderatorId: v.m as number,
      expiresAt: v.e as number,
      nonce: v.n,
    },
  };
}
