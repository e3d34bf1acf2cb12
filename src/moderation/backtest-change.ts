import { effectivePageSettings, type PageSettings } from '../domain/pages/page-settings.js';
import { siteSettingsSchema, type SiteSettings } from '../domain/site-settings.js';
import type { FieldError } from '../errors.js';
import type { BacktestSettings } from './backtest.js';

/*
 * What a backtest tries (issue 17, item 3), and the settings each page's comments are re-run under:
 * a site's change covers every page, each with its own overrides merged over the proposed site
 * settings; a page's change covers only that page, its proposed overrides over the site's settings now.
 */

export type BacktestChange =
  { kind: 'site'; settings: SiteSettings } | { kind: 'page'; pageId: number; settings: PageSettings };

/** The days a backtest may look back: a year at most (a window the admin can still reason about). */
export const MAX_BACKTEST_DAYS = 365;
/** The window when none is asked for. */
export const DEFAULT_BACKTEST_DAYS = 30;

/** The settings a page's comments are backtested under; null: the change does not cover the page. */
export function backtestSettingsOf(
  site: SiteSettings,
  change: BacktestChange,
  pageId: number,
  pageOverrides: PageSettings,
): BacktestSettings | null {
  const current = effectivePageSettings(site, pageOverrides);
  if (change.kind === 'site') return { current, proposed: effectivePageSettings(change.settings, pageOverrides) };
  if (pageId !== change.pageId) return null;
  return { current, proposed: effectivePageSettings(site, change.settings) };
}

const siteKeys = new Set(Object.keys(siteSettingsSchema.shape));

/**
 * A partial patch over a site's settings (the CLI's and the JSON route's `settings`), validated with
 * the site's own schema. Unknown keys are refused by name: the schema would drop them, and a backtest
 * of a misspelt setting would answer "nothing changes".
 */
export function patchSiteSettings(
  current: SiteSettings,
  patch: unknown,
): { ok: true; settings: SiteSettings } | { ok: false; errors: FieldError[] } {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return {
      ok: false,
      errors: [{ field: 'settings', code: 'INVALID_SETTING', message: 'settings must be a JSON object.' }],
    };
  const errors: FieldError[] = Object.keys(patch)
    .filter((k) => !siteKeys.has(k))
    .map((k) => ({ field: `settings.${k}`, code: 'UNKNOWN_SETTING', message: `There is no site setting "${k}".` }));
  const parsed = siteSettingsSchema.safeParse({ ...current, ...patch });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = `settings.${issue.path.map(String).join('.')}`;
      if (!errors.some((e) => e.field === field))
        errors.push({ field, code: 'INVALID_SETTING', message: `${issue.path.join('.')}: ${issue.message}` });
    }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, settings: parsed.data };
}

/** The window's length from a form or a query (text or number); null when it is not 1 to 365 whole days. */
export function toBacktestDays(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return DEFAULT_BACKTEST_DAYS;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,4}$/.test(value.trim())
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_BACKTEST_DAYS ? n : null;
}
