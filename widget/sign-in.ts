/*
 * The sign-in choices under the form, as the site offers them (GET /api/sites/:id/public `signIn`):
 * the host's own sign-in page (data-sso-login), a link by email, and one button per OpenID Connect
 * provider. The provider's popup is opened right in the click (a popup opened later, after an await,
 * is blocked); everything after it happens in the reader's part (widget/reader/).
 */
import type { WidgetContext } from './context';
import { h } from './dom';
import type { ReaderPart } from './reader-host';

/** `login`: data-sso-login; `load` loads the reader's part. */
export function createSignInChoices(
  ctx: WidgetContext,
  login: string | undefined,
  load: () => Promise<ReaderPart | null>,
): HTMLElement {
  const { t, info, api } = ctx;
  const { sso, email, providers } = info.signIn;
  const el = h('div', { class: 'rd-sign-in' });
  const button = (label: string, onclick: () => void): HTMLElement =>
    h('button', { type: 'button', class: 'rd-link', onclick }, label);
  if (sso && login) el.append(h('a', { class: 'rd-link', href: login }, t.signIn));
  if (email) el.append(button(t.signInEmail, () => void load().then((p) => p?.email())));
  for (const p of providers) {
    el.append(
      button(t.signInWith(p.name), () => {
        const q = new URLSearchParams({ site: ctx.site, provider: p.id, origin: location.origin, lang: ctx.lang });
        const w = open(`${api.base}readers/oidc/start?${q}`, 'reply-desk-sign-in', 'popup,width=500,height=650');
        void load().then((part) => part?.popup(w));
      }),
    );
  }
  return el;
}
