import { checkWebhookUrl } from '../webhooks/webhook-target.js';

/** A refused hook setting: which field, and why in words an admin can act on. */
export interface CheckHookProblem {
  field: 'url' | 'timeoutMs';
  message: string;
}

/** What an admin sets on a hook (the site comes from the path or --site; the secret is made, never typed). */
export interface CheckHookFields {
  url: string;
  /** null: the worker's CHECK_HOOK_TIMEOUT_MS. */
  timeoutMs: number | null;
}

/** The timeouts a hook may have: long enough for a model's answer, short enough not to stall the queue. */
export const HOOK_TIMEOUT_RANGE = { min: 100, max: 10_000 } as const;

/**
 * Narrows a hook from a form, a JSON body or the CLI (an allow-list: `url`, `timeoutMs`). Pure. The URL
 * is checked as a webhook's (http or https, no credentials); where it may point is checked when the
 * worker connects (the SSRF guard). `timeoutMs` is a number, its digits, or empty / left out for none.
 */
export function readCheckHookInput(
  raw: Record<string, unknown>,
): { ok: true; hook: CheckHookFields } | { ok: false; problem: CheckHookProblem } {
  const url = typeof raw.url === 'string' ? raw.url.trim() : '';
  const urlProblem = url === '' ? 'Give the URL of the hook.' : checkWebhookUrl(url);
  if (urlProblem !== null) return { ok: false, problem: { field: 'url', message: urlProblem } };
  const t = typeof raw.timeoutMs === 'string' ? raw.timeoutMs.trim() : raw.timeoutMs;
  if (t === undefined || t === null || t === '') return { ok: true, hook: { url, timeoutMs: null } };
  const ms = typeof t === 'string' && /^\d{1,6}$/.test(t) ? Number(t) : t;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < HOOK_TIMEOUT_RANGE.min || ms > HOOK_TIMEOUT_RANGE.max)
    return {
      ok: false,
      problem: {
        field: 'timeoutMs',
        message: `The timeout is a whole number of milliseconds from ${HOOK_TIMEOUT_RANGE.min} to ${HOOK_TIMEOUT_RANGE.max}.`,
      },
    };
  return { ok: true, hook: { url, timeoutMs: ms } };
}
