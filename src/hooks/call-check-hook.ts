import { postWebhook } from '../webhooks/deliver-webhook.js';
import { SIGNATURE_HEADER, signWebhook } from '../webhooks/webhook-signature.js';
import { readCheckHookAnswer, unavailable } from './check-hook-answer.js';
import type { CheckHookRequest } from './check-hook-request.js';
import type { ExternalCheck } from './external-check.js';

/** The event name in Reply-Desk-Event, so a receiver shared with webhooks tells the two apart. */
export const CHECK_HOOK_EVENT = 'comment.check';

export interface CallCheckHookInput {
  url: string;
  secret: string;
  timeoutMs: number;
  /** Let the hook be on a private or loopback address (WEBHOOK_ALLOW_PRIVATE): the webhooks' SSRF guard. */
  allowPrivate: boolean;
  /** Signing time, unix seconds. */
  nowSeconds: number;
}

/**
 * Asks one hook about one comment: a POST signed as webhooks are (Reply-Desk-Signature, HMAC-SHA256 over
 * `${t}.${body}`), through the webhooks' guarded client (no redirects; private addresses refused unless
 * allowed; the whole exchange within `timeoutMs`). Never throws: no usable answer is `unavailable`.
 */
export async function callCheckHook(hook: CallCheckHookInput, request: CheckHookRequest): Promise<ExternalCheck> {
  const body = JSON.stringify(request);
  const outcome = await postWebhook({
    url: hook.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Reply-Desk-Check/1',
      [SIGNATURE_HEADER]: signWebhook([hook.secret], hook.nowSeconds, body),
      'Reply-Desk-Event': CHECK_HOOK_EVENT,
      // An edit is its own event: a hook that dedupes on the id must not drop it as the comment's.
      'Reply-Desk-Event-Id': request.editId ?? request.id,
    },
    timeoutMs: hook.timeoutMs,
    allowPrivate: hook.allowPrivate,
    readBody: true,
  });
  if (outcome.statusCode === null) return unavailable(outcome.error ?? 'no answer');
  return readCheckHookAnswer(outcome.statusCode, outcome.body ?? '');
}
