import { chatEvents, type ChatEvent, type ChatTargetFields } from '../store/notify/chat-targets.js';
import { checkWebhookUrl } from '../webhooks/webhook-target.js';
import { chatServices, type ChatService } from './chat-formats.js';

/** A refused chat target: which field, and why in words an admin can act on. */
export interface ChatTargetProblem {
  field: 'service' | 'url' | 'events' | 'heldEveryMinutes' | 'description';
  message: string;
}

/** A form sends one value or several under one name; JSON sends an array. */
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);

/**
 * Narrows a chat target from a form, a JSON body or the CLI (an allow-list of fields; the site comes
 * from the path, never the body). Pure. `events` may be one value or several; `heldEveryMinutes`
 * a number or its digits (default 15).
 */
export function readChatTargetInput(
  raw: Record<string, unknown>,
  siteId: string,
): { ok: true; target: ChatTargetFields } | { ok: false; problem: ChatTargetProblem } {
  const service = raw.service;
  if (typeof service !== 'string' || !chatServices.includes(service as ChatService))
    return { ok: false, problem: { field: 'service', message: 'Choose Slack, Microsoft Teams or Mattermost.' } };
  const url = typeof raw.url === 'string' ? raw.url.trim() : '';
  const urlProblem = url === '' ? 'Paste the incoming-webhook URL the service gave you.' : checkWebhookUrl(url);
  if (urlProblem !== null) return { ok: false, problem: { field: 'url', message: urlProblem } };
  const events = [...new Set(list(raw.events))];
  if (events.length === 0 || !events.every((e) => chatEvents.includes(e as ChatEvent)))
    return {
      ok: false,
      problem: { field: 'events', message: 'Choose what to post: held, surge and/or appeal.' },
    };
  const minutesRaw = raw.heldEveryMinutes ?? 15;
  // A form's digits, or a JSON number; '1e3' or ' 15 ' from a form is not an interval.
  const minutes = typeof minutesRaw === 'string' && /^\d{1,4}$/.test(minutesRaw) ? Number(minutesRaw) : minutesRaw;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    return {
      ok: false,
      problem: { field: 'heldEveryMinutes', message: 'Post about held comments at most every 1 to 1440 minutes.' },
    };
  const description = typeof raw.description === 'string' ? raw.description.trim() : '';
  if (description.length > 200)
    return { ok: false, problem: { field: 'description', message: 'Keep the note under 200 characters.' } };
  return {
    ok: true,
    target: {
      siteId,
      service: service as ChatService,
      url,
      events: events as ChatEvent[],
      heldEveryMinutes: minutes,
      description,
    },
  };
}
