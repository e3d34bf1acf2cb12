import { z } from 'zod';
import { siteSettingsSchema, type SiteSettings } from '../site-settings.js';
import { staffedStateAt } from './staffed-hours.js';

/*
 * Per-story controls (issue 16, item 1): the few site settings a page may override, and the settings
 * that then apply on it. Pure: the worker (at check time), the thread and form answers, the votes route
 * and the desk all take a page's settings from here, so a reader is never shown a state the worker
 * does not apply.
 */

const site = siteSettingsSchema.shape;

/**
 * What a page overrides, stored as jsonb on `pages.settings` (only the keys it overrides: a page
 * follows its site in everything else, also in later changes). Strict: an unknown key is a mistake to
 * report, not to drop.
 */
export const pageSettingsSchema = z
  .object({
    /** `rules`, `pre` (every comment held) or `open` on this page. @defaultValue the site's */
    moderation: site.moderation.unwrap().optional(),
    /** Links that hold a comment on this page; 0 turns the rule off here. @defaultValue the site's */
    holdLinks: site.holdLinks.unwrap().optional(),
    /** Words that hold a comment on this page, on top of the site's own. @defaultValue [] */
    holdWords: site.holdWords.unwrap().optional(),
    /** Guests may comment on this page. @defaultValue the site's */
    guests: site.guests.unwrap().optional(),
    /** Readers' votes on this page: `up`, `updown` or `off`. @defaultValue the site's */
    votes: site.votes.unwrap().optional(),
  })
  .strict();

export type PageSettings = z.output<typeof pageSettingsSchema>;
export type PageSettingKey = keyof PageSettings;
export const pageSettingKeys = Object.keys(pageSettingsSchema.shape) as PageSettingKey[];

/** A stored page's overrides; a row the schema no longer takes (edited by hand) overrides nothing it cannot read. */
export function toPageSettings(raw: unknown): PageSettings {
  const parsed = pageSettingsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  // Keep what is still valid key by key: a bad key must not drop the page's other overrides.
  const kept: Record<string, unknown> = {};
  if (raw !== null && typeof raw === 'object') {
    for (const key of pageSettingKeys) {
      const one = pageSettingsSchema.safeParse({ [key]: (raw as Record<string, unknown>)[key] });
      if (one.success && one.data[key] !== undefined) kept[key] = one.data[key];
    }
  }
  return kept;
}

/** One bad key of a change, in the site settings' field-error shape (`settings.holdLinks`). */
export interface PageSettingsProblem {
  field: string;
  code: string;
  message: string;
}

export type PageSettingsChange =
  { ok: true; settings: PageSettings; changed: PageSettingKey[] } | { ok: false; errors: PageSettingsProblem[] };

/**
 * Applies a change to a page's overrides: each key set to a value overrides the site, each set to null
 * follows the site again, keys left out stay as they were. Every problem is reported at once.
 */
export function changePageSettings(current: PageSettings, change: unknown): PageSettingsChange {
  if (change === null || typeof change !== 'object' || Array.isArray(change))
    return {
      ok: false,
      errors: [{ field: 'settings', code: 'INVALID_SETTING', message: 'settings must be a JSON object.' }],
    };
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const parsed = pageSettingsSchema.safeParse(next);
  if (!parsed.success) {
    const errors: PageSettingsProblem[] = [];
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
      for (const key of keys) {
        const field = key === '' ? 'settings' : `settings.${key}`;
        if (errors.some((e) => e.field === field)) continue;
        errors.push(
          issue.code === 'unrecognized_keys'
            ? {
                field,
                code: 'UNKNOWN_SETTING',
                message: `A page cannot override "${key}"; it can override ${pageSettingKeys.join(', ')}.`,
              }
            : { field, code: 'INVALID_SETTING', message: `${key}: ${issue.message}` },
        );
      }
    }
    return { ok: false, errors };
  }
  const changed = pageSettingKeys.filter(
    (k) => JSON.stringify(parsed.data[k] ?? null) !== JSON.stringify(current[k] ?? null),
  );
  return { ok: true, settings: parsed.data, changed };
}

/**
 * The settings that apply on a page: its site's, with the page's overrides on top (its hold words are
 * added to the site's, never instead of them). A brigade on the page is not a setting: the worker's
 * pageSurge rule holds its comments (PAGE_SURGE), so the verdict names the brigade, not pre-moderation.
 */
export function effectivePageSettings(siteSettings: SiteSettings, page: PageSettings): SiteSettings {
  const holdWords =
    page.holdWords === undefined || page.holdWords.length === 0
      ? siteSettings.holdWords
      : [...new Set([...siteSettings.holdWords, ...page.holdWords])];
  return {
    ...siteSettings,
    moderation: page.moderation ?? siteSettings.moderation,
    holdLinks: page.holdLinks ?? siteSettings.holdLinks,
    holdWords,
    guests: page.guests ?? siteSettings.guests,
    votes: page.votes ?? siteSettings.votes,
  };
}

/** Whether a page overrides anything (the Pages view's "overridden" marker). */
export const overridesAnything = (page: PageSettings): boolean => pageSettingKeys.some((k) => page[k] !== undefined);

/**
 * Whether a new comment on the page waits for a moderator whatever it says (issue 16): pre-moderated
 * (the site, the page), or received outside staffed hours, then with the instant the desk
 * opens (`reviewedUntil`). The form says so before the reader writes, not only after.
 */
export function reviewFields(settings: SiteSettings, now: Date): { reviewed: boolean; reviewedUntil?: string } {
  if (settings.moderation === 'pre') return { reviewed: true };
  const staffed = staffedStateAt(settings.staffedHours, now);
  if (staffed.staffed || staffed.outside !== 'pre') return { reviewed: false };
  return staffed.opensAt === null
    ? { reviewed: true }
    : { reviewed: true, reviewedUntil: staffed.opensAt.toISOString() };
}
