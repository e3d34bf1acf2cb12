import { hasRole, sitesWithRole } from '../../auth/site-roles.js';
import { markup, type SafeHtml } from '../../html/html.js';
import type { Moderator } from '../../store/moderators.js';

/*
 * What a viewer (sql/0041) sees: the desk's pages without the buttons they may not press. The server
 * refuses their actions anyway (limitToActingSites, requireRole); this keeps the page from offering
 * them. It removes every POST form (and the bulk bar's checkboxes, which belong to a form elsewhere)
 * rather than asking each card and page to leave its buttons out, so a button added later is hidden
 * from viewers without anyone remembering to. Matching the markup is safe here: it is our own escaped
 * output, in which reader text can never be a `<form` tag.
 */

const POST_FORM = /<form\b[^>]*\bmethod="post"[^>]*>[\s\S]*?<\/form>/gi;
const BULK_INPUT = /<input\b[^>]*\bform="rd-bulk"[^>]*>/gi;

export function withoutActions(view: SafeHtml): SafeHtml {
  return markup(view.value.replace(POST_FORM, '').replace(BULK_INPUT, ''));
}

/** The account may act on no site at all: a viewer everywhere. */
export function actsNowhere(m: Moderator): boolean {
  return m.role !== 'admin' && sitesWithRole(m, m.siteIds, 'moderator').length === 0;
}

/** A card (or any view of one site) as the account may use it: without its actions where it is only a viewer. */
export function asRoleAllows(m: Moderator | null, siteId: string, view: SafeHtml): SafeHtml {
  return m === null || hasRole(m, siteId, 'moderator') ? view : withoutActions(view);
}
