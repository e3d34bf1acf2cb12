import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { staffedHoursSchema, staffedStateAt, type StaffedHours } from '../../../domain/pages/staffed-hours.js';
import { AppError, type FieldError } from '../../../errors.js';
import { html } from '../../../html/html.js';
import type { Pool } from '../../../store/db.js';
import { saveSite } from '../../../store/site-updates.js';
import { loadSite } from '../../../store/sites.js';
import { formValue, rawFormText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import type { SiteDirectory } from '../../kit/site-directory.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { actorOf, csrfTokenOf, currentModerator } from '../moderator-session.js';

/*
 * A site's staffed hours (issue 16, item 2) at /admin/sites/:id/hours: when the desk is staffed and
 * what new comments meet outside those hours. A page of its own beside the site form, saved as the
 * site's `staffedHours` setting (audited as site_update, as every site setting is).
 */

interface HoursForm {
  on: boolean;
  timeZone: string;
  days: number[];
  from: string;
  to: string;
  outside: string;
}

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function toForm(h: StaffedHours | null): HoursForm {
  return h === null
    ? { on: false, timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], from: '07:00', to: '23:00', outside: 'pre' }
    : { on: true, ...h };
}

/** The posted form, and the setting it makes (null: always staffed) or the problems, by form field. */
function readForm(req: Request): { form: HoursForm; hours: StaffedHours | null; errors: FieldError[] } {
  const days = formValue(req, 'days');
  const form: HoursForm = {
    on: rawFormText(req, 'on') !== '',
    timeZone: rawFormText(req, 'timeZone').trim(),
    days: (Array.isArray(days) ? days : [days]).filter((d) => typeof d === 'string' && /^[0-6]$/.test(d)).map(Number),
    from: rawFormText(req, 'from').trim(),
    to: rawFormText(req, 'to').trim(),
    outside: rawFormText(req, 'outside'),
  };
  if (!form.on) return { form, hours: null, errors: [] };
  const parsed = staffedHoursSchema.safeParse({
    timeZone: form.timeZone,
    days: form.days,
    from: form.from,
    to: form.to,
    outside: form.outside,
  });
  if (parsed.success) return { form, hours: parsed.data, errors: [] };
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'timeZone');
    if (!errors.some((e) => e.field === field))
      errors.push({
        field,
        code: 'INVALID_SETTING',
        message: field === 'days' ? 'Tick at least one day.' : issue.message,
      });
  }
  return { form, hours: null, errors };
}

function renderHoursPage(input: {
  ctx: AdminPageContext;
  siteId: string;
  form: HoursForm;
  current: StaffedHours | null;
  errors: FieldError[];
  notice: string | null;
}): string {
  const { ctx, siteId, form, errors, notice } = input;
  const err = (field: string) => {
    const e = errors.find((x) => x.field === field);
    return e ? html`<span class="rd-field-error" role="alert">${e.message}</span>` : '';
  };
  const state = staffedStateAt(input.current, new Date());
  return renderAdminPage(
    `Staffed hours of ${siteId}`,
    ctx,
    html`<p><a href="/admin/sites/${encodeURIComponent(siteId)}">← Site ${siteId}</a></p>
      <h1>Staffed hours</h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      ${
        errors.length > 0
          ? html`<p class="rd-notice rd-notice-error" role="alert">Nothing was saved: please fix the fields marked below.</p>`
          : ''
      }
      <p class="rd-staffed-now">
        Now:
        ${
          state.staffed
            ? 'staffed (comments follow the site’s rules).'
            : html`<b>off hours</b>: ${state.outside === 'closed' ? 'every thread is closed' : 'new comments are held (OFF_HOURS)'}
              until ${state.opensAtLocal}.`
        }
      </p>
      <form method="post" action="/admin/sites/${encodeURIComponent(siteId)}/hours" class="rd-staffed-hours">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
        <div class="rd-field">
          <label
            ><input type="checkbox" name="on" value="1" ${form.on ? html`checked` : ''} /> The desk keeps hours (off:
            always staffed)</label
          >
        </div>
        <div class="rd-field">
          <label for="f-timeZone">Time zone</label>
          <input id="f-timeZone" name="timeZone" value="${form.timeZone}" placeholder="Europe/Berlin" />
          ${err('timeZone')}
        </div>
        <fieldset>
          <legend>Days a shift starts on</legend>
          ${dayNames.map(
            (d, i) =>
              html`<label class="rd-radio"
                ><input type="checkbox" name="days" value="${String(i)}" ${form.days.includes(i) ? html`checked` : ''} />
                ${d}</label
              >`,
          )}
          ${err('days')}
        </fieldset>
        <div class="rd-field">
          <label for="f-from">From</label> <input id="f-from" name="from" type="time" value="${form.from}" />
          <label for="f-to">to</label> <input id="f-to" name="to" type="time" value="${form.to}" />
          <small>A “to” before the “from” runs overnight (22:00 to 06:00 ends the next morning).</small>
          ${err('from')} ${err('to')}
        </div>
        <fieldset>
          <legend>Outside those hours</legend>
          <label class="rd-radio"
            ><input type="radio" name="outside" value="pre" ${form.outside !== 'closed' ? html`checked` : ''} /> Hold
            every new comment for the morning (readers are told)</label
          >
          <label class="rd-radio"
            ><input type="radio" name="outside" value="closed" ${form.outside === 'closed' ? html`checked` : ''} />
            Close every thread until the desk opens (“closed until 07:00”)</label
          >
          ${err('outside')}
        </fieldset>
        <p><button type="submit">Save staffed hours</button></p>
      </form>`,
  );
}

/** GET/POST /admin/sites/:id/hours, for admins (behind the admin door's /sites). */
export function createStaffedHoursRoutes(deps: { db: Pool; sites: SiteDirectory; logger: Logger }): Router {
  const { db } = deps;
  const router = Router();

  router.get('/sites/:id/hours', async (req: Request, res: Response) => {
    const site = await loadSite(db, String(req.params.id));
    if (!site) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    res.type('html').send(
      renderHoursPage({
        ctx: { moderator: currentModerator(res), csrfToken: csrfTokenOf(req), section: 'sites' },
        siteId: site.id,
        form: toForm(site.settings.staffedHours),
        current: site.settings.staffedHours,
        errors: [],
        notice: queryText(req, 'notice'),
      }),
    );
  });

  router.post('/sites/:id/hours', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const site = await loadSite(db, String(req.params.id));
    if (!site) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    const { form, hours, errors } = readForm(req);
    if (errors.length > 0) {
      res
        .status(422)
        .type('html')
        .send(
          renderHoursPage({
            ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
            siteId: site.id,
            form,
            current: site.settings.staffedHours,
            errors,
            notice: null,
          }),
        );
      return;
    }
    const saved = await saveSite(
      db,
      site.id,
      { name: site.name, allowedOrigins: site.allowedOrigins, settings: { ...site.settings, staffedHours: hours } },
      actorOf(m),
    );
    if (saved === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    // As the site form: the database holds the change; a failed refresh only delays intake's copy.
    if (saved.changed.length > 0)
      await deps.sites
        .refresh()
        .catch((err: unknown) => deps.logger.warn({ err }, 'site cache refresh after staffed hours failed'));
    const notice = saved.changed.length > 0 ? 'Staffed hours saved.' : 'Nothing changed.';
    res.redirect(303, `/admin/sites/${encodeURIComponent(site.id)}/hours?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
