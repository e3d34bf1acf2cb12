import type { Request } from 'express';
import { isSiteRole, siteRoles, type SiteRole } from '../../../../auth/site-roles.js';
import type { Site } from '../../../../domain/site-settings.js';
import { html, type SafeHtml } from '../../../../html/html.js';
import { formText, formValue } from '../../../kit/form-values.js';

const roleWords: Record<SiteRole, string> = {
  viewer: 'viewer (reads only)',
  moderator: 'moderator (acts on comments)',
  admin: 'site admin (also its settings)',
};

/**
 * The sites and roles of an account's form (its page, an invite): a checked `sites` box is a site, and
 * its `role_<site>` select its role; a site checked without a readable role is `moderator`, as before
 * roles existed (and as a form from then still posts).
 */
export function formSiteRoles(req: Request): Record<string, SiteRole> {
  const v = formValue(req, 'sites');
  const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((s): s is string => typeof s === 'string');
  return Object.fromEntries(
    list.map((site) => {
      const role = formText(req, `role_${site}`);
      return [site, isSiteRole(role) ? role : 'moderator'];
    }),
  );
}

/**
 * An account's name, role and sites as form fields (its page, an invite): the name, admin or "roles
 * per site", and a box and a role per site, `siteRoles` checked with their roles.
 */
export function renderRoleFields(input: {
  idPrefix: string;
  displayName: string;
  role: string;
  sites: Site[];
  siteRoles: Record<string, SiteRole>;
}): SafeHtml {
  const { idPrefix, sites, siteRoles: current } = input;
  return html`<div class="rd-field">
      <label for="${idPrefix}-name">Name</label>
      <input id="${idPrefix}-name" name="displayName" required maxlength="100" value="${input.displayName}" />
    </div>
    <div class="rd-field">
      <label for="${idPrefix}-role">Role</label
      ><select id="${idPrefix}-role" name="role">
        <option value="moderator" ${input.role !== 'admin' ? html` selected` : ''}>roles per site (below)</option>
        <option value="admin" ${input.role === 'admin' ? html` selected` : ''}>admin (every site, sites and accounts)</option>
      </select>
    </div>
    <fieldset class="rd-field">
    <legend>Sites and roles (when not an admin)</legend>
    ${sites.map((s) => {
      const role = current[s.id];
      return html`<p>
        <label
          ><input type="checkbox" name="sites" value="${s.id}" ${role ? html` checked` : ''} /> ${s.name} (${s.id})</label
        >
        <select name="role_${s.id}" aria-label="Role on ${s.id}">
          ${siteRoles.map(
            (r) =>
              html`<option value="${r}" ${r === (role ?? 'moderator') ? html` selected` : ''}>${roleWords[r]}</option>`,
          )}
        </select>
      </p>`;
    })}
  </fieldset>`;
}
