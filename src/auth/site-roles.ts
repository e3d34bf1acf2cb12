/**
 * Roles per site (sql/0041). An account is an admin (every site as its admin, plus accounts and the
 * service) or holds one of these on each site it is given. Each role may do what the one below it may:
 * - `viewer`: read the site's queue, pages, bans and audit log; change nothing (legal, editors).
 * - `moderator`: also act on the site's comments, authors, bans and pages.
 * - `admin`: also change the site's settings and sign-in.
 */
export const siteRoles = ['viewer', 'moderator', 'admin'] as const;
export type SiteRole = (typeof siteRoles)[number];

export const isSiteRole = (v: unknown): v is SiteRole => typeof v === 'string' && siteRoles.includes(v as SiteRole);

/** What a role rule reads of an account (store/moderators.ts Moderator). */
export interface RoleHolder {
  role: 'admin' | 'moderator';
  siteRoles: Readonly<Record<string, SiteRole>>;
}

/** The account's role on a site, or null when it has none there. */
export function roleOn(m: RoleHolder, siteId: string): SiteRole | null {
  if (m.role === 'admin') return 'admin';
  return Object.hasOwn(m.siteRoles, siteId) ? (m.siteRoles[siteId] ?? null) : null;
}

/** Whether the account's role on the site is `need` or one above it. */
export function hasRole(m: RoleHolder, siteId: string, need: SiteRole): boolean {
  const role = roleOn(m, siteId);
  return role !== null && siteRoles.indexOf(role) >= siteRoles.indexOf(need);
}

/** The sites (of those it has a role on, in the order given) where the account holds `need` or above. */
export function sitesWithRole(m: RoleHolder, siteIds: readonly string[], need: SiteRole): string[] {
  return siteIds.filter((s) => hasRole(m, s, need));
}
