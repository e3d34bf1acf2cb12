import type { DeskErrorAnswer } from '../../src/http-contract/desk-contract.js';

/** The server refused (status set) or could not be reached (no status); the message is for people. */
export class DeskRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The refusal's message, when the body is the desk's error answer. */
export function errorMessageOf(data: unknown): string | undefined {
  const error = (data as Partial<DeskErrorAnswer> | null)?.error;
  return typeof error?.message === 'string' ? error.message : undefined;
}

/**
 * Posts a form body as the form would, but asks for JSON (the routes then answer with the shapes in
 * src/http-contract/desk-contract.ts instead of a redirect). The CSRF token goes in a header: the body
 * of a form the script builds may not carry `_csrf`.
 */
export async function send<T>(csrf: string, url: string, body: URLSearchParams): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-CSRF-Token': csrf,
      },
      body,
    });
  } catch {
    throw new DeskRequestError('Could not reach Reply Desk. Check the connection and try again.');
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok || data === null) {
    throw new DeskRequestError(
      errorMessageOf(data) ?? `Reply Desk answered ${res.status}. Reload the page and try again.`,
      res.status,
    );
  }
  return data as T;
}

/** A form's fields as it would post them, with the pressed button's name and value (as a browser sends them). */
export function formBody(form: HTMLFormElement, button?: HTMLElement | null): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') body.append(k, v);
  if ((button instanceof HTMLButtonElement || button instanceof HTMLInputElement) && button.name)
    body.set(button.name, button.value);
  return body;
}
