import { effectivePageSettings } from '../../../domain/pages/page-settings.js';
import { staffedStateAt } from '../../../domain/pages/staffed-hours.js';
import { toLines } from '../../../domain/site-form.js';
import type { Site } from '../../../domain/site-settings.js';
import type { FieldError } from '../../../errors.js';
import { html, type SafeHtml } from '../../../html/html.js';
import type { StoredPage } from '../../../store/pages/page-settings-store.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { renderBacktestControls } from '../backtest-panel.js';

/*
 * One page's own settings (issue 16): the form at /admin/pages/:id. Each setting offers "as the site"
 * (the page follows its site, also in later changes) or a value of its own.
 */

/** The form as entered: '' is "as the site". */
export interface PageSettingsFormValues {
  closed: boolean;
  moderation: string;
  holdLinks: string;
  holdWords: string;
  guests: string;
  votes: string;
}

/** A posted form as a change for the store (null: follow the site), with the values to show again. */
export function readPageSettingsForm(field: (name: string) => string): {
  values: PageSettingsFormValues;
  change: { settings: Record<string, unknown>; closed: boolean };
  errors: FieldError[];
} {
  const values: PageSettingsFormValues = {
    closed: !['', '0', 'off', 'false'].includes(field('closed').trim().toLowerCase()),
    moderation: field('moderation').trim(),
    holdLinks: field('holdLinks').trim(),
    holdWords: field('holdWords'),
    guests: field('guests').trim(),
    votes: field('votes').trim(),
  };
  const errors: FieldError[] = [];
  const choice = (v: string) => (v === '' ? null : v);
  const words = toLines(values.holdWords);
  let holdLinks: unknown = null;
  if (values.holdLinks !== '') {
    holdLinks = /^\d{1,4}$/.test(values.holdLinks) ? Number(values.holdLinks) : values.holdLinks;
    if (typeof holdLinks !== 'number')
      errors.push({ field: 'settings.holdLinks', code: 'INVALID_SETTING', message: 'Enter a whole number (0: off).' });
  }
  const guests = values.guests === 'yes' ? true : values.guests === 'no' ? false : null;
  return {
    values,
    change: {
      settings: {
        moderation: choice(values.moderation),
        holdLinks,
        holdWords: words.length === 0 ? null : words,
        guests,
        votes: choice(values.votes),
      },
      closed: values.closed,
    },
    errors,
  };
}

function formValues(page: StoredPage): PageSettingsFormValues {
  const s = page.settings;
  return {
    closed: page.closed,
    moderation: s.moderation ?? '',
    holdLinks: s.holdLinks === undefined ? '' : String(s.holdLinks),
    holdWords: (s.holdWords ?? []).join('\n'),
    guests: s.guests === undefined ? '' : s.guests ? 'yes' : 'no',
    votes: s.votes ?? '',
  };
}

function fieldError(errors: FieldError[], key: string): SafeHtml {
  const e = errors.find((x) => x.field === `settings.${key}` || x.field === key);
  return e ? html`<span class="rd-field-error" id="err-${key}" role="alert">${e.message}</span>` : html``;
}

function select(
  name: string,
  label: string,
  current: string,
  siteValue: string,
  options: [string, string][],
  errors: FieldError[],
): SafeHtml {
  return html`<div class="rd-field">
    <label for="f-${name}">${label}</label>
    <select id="f-${name}" name="${name}">
      <option value="">As the site (${siteValue})</option>
      ${options.map(([v, l]) => html`<option value="${v}" ${v === current ? html`selected` : ''}>${l}</option>`)}
    </select>
    ${fieldError(errors, name)}
  </div>`;
}

const moderationLabels: [string, string][] = [
  ['rules', 'Rules: publish what passes the checks'],
  ['pre', 'Pre-moderate: every comment waits for a moderator'],
  ['open', 'Open: publish unless refused or spam'],
];
const voteLabels: [string, string][] = [
  ['up', 'Up votes'],
  ['updown', 'Up and down votes'],
  ['off', 'No votes'],
];

/** The form of one page; `values` and `errors` after a refused save (answered with 422). */
export function renderPageSettingsPage(input: {
  ctx: AdminPageContext;
  page: StoredPage;
  site: Site | null;
  values: PageSettingsFormValues | null;
  errors: FieldError[];
  notice: string | null;
  /** What the form's settings would have done on this page (after "Preview changes"). */
  preview?: SafeHtml;
  /** The backtest window as entered. */
  backtestDays?: string;
}): string {
  const { ctx, page, site, errors, notice } = input;
  const v = input.values ?? formValues(page);
  const s = site?.settings;
  const now = s ? effectivePageSettings(s, page.settings) : null;
  const staffed = s ? staffedStateAt(s.staffedHours, new Date()) : { staffed: true as const };
  return renderAdminPage(
    `Page ${page.title ?? page.identifier}`,
    ctx,
    html`<h1>${page.title ?? page.identifier}</h1>
      <p>
        <a href="/admin/pages?${new URLSearchParams({ site: page.siteId, view: 'all' }).toString()}">Pages</a> of
        <b>${page.siteId}</b> · <code>${page.identifier}</code>
        ${page.url ? html` · <a href="${page.url}" target="_blank" rel="noopener noreferrer">open the page</a>` : ''} ·
        <a href="/admin?${new URLSearchParams({ tab: 'pending', site: page.siteId, page: page.identifier }).toString()}"
          >its queue</a
        >
      </p>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      ${
        errors.length > 0
          ? html`<p class="rd-notice rd-notice-error" role="alert">Nothing was saved: please fix the fields marked below.</p>`
          : ''
      }
      ${
        !staffed.staffed
          ? html`<p class="rd-notice" role="status">
            Outside the site's staffed hours now:
            ${staffed.outside === 'closed' ? 'every thread is closed' : 'new comments are held (OFF_HOURS)'} until
            ${staffed.opensAtLocal} (${s?.staffedHours?.timeZone ?? ''}).
          </p>`
          : ''
      }
      ${input.preview ?? ''}
      <form method="post" action="/admin/pages/${String(page.id)}" class="rd-page-settings">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
        <fieldset>
          <legend>Thread</legend>
          <div class="rd-field">
            <label
              ><input type="checkbox" name="closed" value="1" ${v.closed ? html`checked` : ''} /> Closed: readers see
              “Comments are closed.” and new comments are refused</label
            >
          </div>
        </fieldset>
        <fieldset>
          <legend>Moderation on this page</legend>
          ${select('moderation', 'Moderation', v.moderation, s?.moderation ?? '?', moderationLabels, errors)}
          <div class="rd-field">
            <label for="f-holdLinks">Hold at this many links</label>
            <input
              id="f-holdLinks"
              name="holdLinks"
              inputmode="numeric"
              value="${v.holdLinks}"
              placeholder="as the site (${String(s?.holdLinks ?? '?')})"
            />
            <small>0 turns the rule off on this page; empty follows the site.</small>
            ${fieldError(errors, 'holdLinks')}
          </div>
          <div class="rd-field">
            <label for="f-holdWords">Hold words added on this page</label>
            <textarea id="f-holdWords" name="holdWords" rows="4">${v.holdWords}</textarea>
            <small>One per line, on top of the site's ${String(s?.holdWords.length ?? 0)} hold words.</small>
            ${fieldError(errors, 'holdWords')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Readers on this page</legend>
          ${select(
            'guests',
            'Guests may comment',
            v.guests,
            s?.guests === false ? 'no' : 'yes',
            [
              ['yes', 'Yes'],
              ['no', 'No: signed-in readers only'],
            ],
            errors,
          )}
          ${select('votes', 'Votes', v.votes, s?.votes ?? '?', voteLabels, errors)}
        </fieldset>
        ${renderBacktestControls(`/admin/pages/${String(page.id)}/backtest`, input.backtestDays)}
        <button type="submit">Save page settings</button>
      </form>
      ${
        now
          ? html`<p>
            <small
              >Applies now: moderation <b>${now.moderation}</b>, hold at <b>${String(now.holdLinks)}</b> links,
              <b>${String(now.holdWords.length)}</b> hold words, guests <b>${now.guests ? 'yes' : 'no'}</b>, votes
              <b>${now.votes}</b>. Every change is in the audit log.</small
            >
          </p>`
          : ''
      }`,
  );
}
