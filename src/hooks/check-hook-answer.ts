import { z } from 'zod';
import { MAX_REASON_LENGTH, type ExternalCheck } from './external-check.js';

/*
 * The hook's answer, read at the edge: it is someone else's data. Only a 2xx whose body is JSON of the
 * documented shape counts; anything else is "unavailable", which the rule turns into a hold (fail-open
 * to a person, never to publish). Pure.
 */

const answerSchema = z.object({
  action: z.enum(['approve', 'hold', 'spam', 'reject']),
  reason: z.string().optional(),
  score: z.number().optional(),
});

// Control characters (C0, DEL, C1), format characters (bidi overrides, zero-width joiners) and line or
// paragraph separators: a reason is shown as one line of plain text, and must not reorder or hide the
// text around it.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;

/**
 * A hook's reason as we keep and show it: NFC, one line (every run of unsafe characters and whitespace
 * becomes one space), at most {@link MAX_REASON_LENGTH} characters (cut at a whole code point, with …).
 * It is still text, never markup: pages and the widget escape it as they escape every message.
 */
export function toSafeReason(raw: string): string {
  const line = raw.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= MAX_REASON_LENGTH
    ? line
    : `${chars
        .slice(0, MAX_REASON_LENGTH - 1)
        .join('')
        .trimEnd()}…`;
}

/** The check as the rules read it, from the hook's HTTP status and body. */
export function readCheckHookAnswer(statusCode: number, body: string): ExternalCheck {
  if (statusCode < 200 || statusCode > 299) return unavailable(`the hook answered HTTP ${statusCode}`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return unavailable('the hook’s answer is not JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) return unavailable('the hook’s answer has no valid action (approve, hold, spam or reject)');
  const { action, reason, score } = parsed.data;
  return {
    result: action,
    reason: reason === undefined ? '' : toSafeReason(reason),
    score: score !== undefined && Number.isFinite(score) ? score : null,
  };
}

/** No usable answer, and why (for moderators: it is our own text). */
export function unavailable(why: string): ExternalCheck {
  return { result: 'unavailable', reason: why, score: null };
}
