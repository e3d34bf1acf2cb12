import type { Request } from 'express';

/*
 * Fields of a parsed body (a form post, or admin.js's JSON), read the same way everywhere. Routes
 * narrow further (ids, lists, settings); these only say "the text sent, or nothing".
 */

/** A body field as sent (string, array, object), or undefined when the body has none. */
export function formValue(req: Request, name: string): unknown {
  return (req.body as Record<string, unknown> | undefined)?.[name];
}

/** A body field as text, trimmed; '' when absent or not a single string. */
export function formText(req: Request, name: string): string {
  const v = formValue(req, name);
  return typeof v === 'string' ? v.trim() : '';
}

/** A body field as text exactly as sent, for values whose spaces matter (a password) or are judged later; '' when absent or not a single string. */
export function rawFormText(req: Request, name: string): string {
  const v = formValue(req, name);
  return typeof v === 'string' ? v : '';
}
