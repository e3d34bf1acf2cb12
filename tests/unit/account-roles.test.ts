import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { hasRole, roleOn, sitesWithRole, type SiteRole } from '../../src/auth/site-roles.js';
import { AppError } from '../../src/errors.js';
import { requireRole } from '../../src/http/desk/moderator-session.js';
import { actsNowhere, withoutActions } from '../../src/http/desk/read-only-view.js';
import { html } from '../../src/html/html.js';
import type { Moderator } from '../../src/store/moderators.js';

function account(role: 'admin' | 'moderator', siteRoles: Record<string, SiteRole>): Moderator {
  return {
    id: 1,
    email: 'a@example.org',
    displayName: 'A',
    role,
    disabled: false,
    siteIds: Object.keys(siteRoles),
    sessionGeneration: 0,
    siteRoles,
    twoFactor: false,
    twoFactorRequired: false,
  };
}

const mixed = account('moderator', { news: 'viewer', blog: 'moderator', shop: 'admin' });
const admin = account('admin', { news: 'admin' });

describe('roles per site', () => {
  it.each([
    ['news', 'viewer', true],
    ['news', 'moderator', false],
    ['blog', 'moderator', true],
    ['blog', 'admin', false],
    ['shop', 'admin', true],
    ['shop', 'viewer', true],
    ['other', 'viewer', false],
  ] as const)('on %s, %s: %s', (site, need, expected) => {
    expect(hasRole(mixed, site, need)).toBe(expected);
  });

  it('an admin is admin on every site, listed or not', () => {
    expect(roleOn(admin, 'anything')).toBe('admin');
    expect(roleOn(mixed, 'anything')).toBeNull();
    expect(roleOn(account('moderator', {}), 'toString')).toBeNull(); // no prototype keys
  });

  it('lists the sites where a role may act, in the given order', () => {
    expect(sitesWithRole(mixed, ['shop', 'news', 'blog'], 'moderator')).toEqual(['shop', 'blog']);
    expect(actsNowhere(account('moderator', { news: 'viewer' }))).toBe(true);
    expect(actsNowhere(mixed)).toBe(false);
    expect(actsNowhere(account('admin', {}))).toBe(false);
  });
});

describe('requireRole', () => {
  const res = (m: Moderator) => ({ locals: { moderator: m } }) as unknown as Response;
  const codeOf = (fn: () => unknown): string | null => {
    try {
      fn();
      return null;
    } catch (err) {
      return err instanceof AppError ? err.code : 'not an AppError';
    }
  };

  it.each([
    ['blog', 'moderator', null],
    ['news', 'moderator', 'VIEWER_READ_ONLY'],
    ['blog', 'admin', 'ADMIN_ONLY'],
    ['other', 'viewer', 'FORBIDDEN'],
    ['other', 'moderator', 'FORBIDDEN'],
  ] as const)('on %s needing %s: %s', (site, need, code) => {
    expect(codeOf(() => requireRole(res(mixed), site, need))).toBe(code);
  });
});

describe("a viewer's view", () => {
  it('leaves out every POST form and the bulk checkboxes, and keeps GET forms and the text', () => {
    const view = html`<article>
      <p>${'Reader text <form method="post"> and </form>'}</p>
      <input type="checkbox" name="ids" value="1" form="rd-bulk" aria-label="Select" />
      <form class="rd-actions" method="post" action="/admin/comments/1/status"><button>Approve</button></form>
      <details><form method="post" action="/admin/bans"><button>Ban</button></form><p>UA</p></details>
      <form method="get" action="/admin"><button>Filter</button></form>
    </article>`;
    const out = withoutActions(view).value;
    expect(out).not.toMatch(/<form[^>]*method="post"/);
    expect(out).not.toContain('rd-bulk');
    expect(out).toContain('Reader text &lt;form');
    expect(out).toContain('<p>UA</p>');
    expect(out).toContain('method="get"');
  });
});
