import type { FieldError } from '../errors.js';
import {
  siteIdPattern,
  siteSettingsSchema,
  toOrigin,
  type Site,
  type SiteSettings,
  type SiteSettingsInput,
} from './site-settings.js';

/*
 * The admin's site form, as pure functions: what the form shows for a site, and how a posted form
 * becomes a site's name, origins and settings. The form is a whole document (unchecked boxes are not
 * sent, so a missing box means "off"); validation is the settings schema's own, with messages an
 * admin can act on, keyed by the form field that holds the mistake.
 */

/** The settings edited as whole numbers. */
export const numberFields = [
  'holdLinks',
  'closeAfterDays',
  'maxDepth',
  'floodSeconds',
  'flagThreshold',
  'ipRetentionDays',
  'formMinSeconds',
  'rateLimitIp',
  'rateLimitNet',
  'rateLimitEmail',
  'rateLimitSite',
  'surgeFactor',
  'surgeMinimum',
  'pageSurgeScore',
  'pageSurgeMinimum',
  'abuseThreshold',
] as const;
/** The settings edited as checkboxes. */
export const booleanFields = [
  'requireName',
  'requireEmail',
  'holdFirstTime',
  'requireFormToken',
  'gravatar',
  'requireTwoFactor',
] as const;
/** The settings edited as one entry per line. */
export const listFields = ['holdWords', 'spamWords'] as const;
/** The settings picked from a list (a select; the schema's enum says what is valid). */
export const choiceFields = ['language', 'defaultSort', 'votes', 'abuseFilter'] as const;

type NumberField = (typeof numberFields)[number];
type BooleanField = (typeof booleanFields)[number];
type ListField = (typeof listFields)[number];
type ChoiceField = (typeof choiceFields)[number];

/** What the form holds, exactly as entered (so a rejected form comes back as the admin left it). */
export type SiteFormValues = { id: string; name: string; origins: string; moderation: string } & Record<
  NumberField | ListField | ChoiceField,
  string
> &
  Record<BooleanField, boolean> & {
    /** spamBlockedHamTarget as a percentage ("1" for 0.01): admins think of it as a share of readers. */
    spamBlockedHamTarget: string;
  };

/** A valid form: the site to store. */
export interface SiteFormResult {
  id: string;
  name: string;
  allowedOrigins: string[];
  settings: SiteSettings;
}

export type ParsedSiteForm =
  | { ok: true; site: SiteFormResult; values: SiteFormValues }
  | { ok: false; errors: FieldError[]; values: SiteFormValues };

const MAX_NAME = 200;
const siteDefaults: SiteSettings = siteSettingsSchema.parse({});
const MAX_ORIGINS = 100;

/** The form for an existing site (or, with defaults, for a new one). */
export function toSiteFormValues(
  site: Pick<Site, 'name' | 'allowedOrigins' | 'settings'> & { id?: string },
): SiteFormValues {
  const s = site.settings;
  return {
    id: site.id ?? '',
    name: site.name,
    origins: site.allowedOrigins.join('\n'),
    moderation: s.moderation,
    holdWords: s.holdWords.join('\n'),
    spamWords: s.spamWords.join('\n'),
    holdLinks: String(s.holdLinks),
    closeAfterDays: String(s.closeAfterDays),
    maxDepth: String(s.maxDepth),
    floodSeconds: String(s.floodSeconds),
    flagThreshold: String(s.flagThreshold),
    ipRetentionDays: String(s.ipRetentionDays),
    formMinSeconds: String(s.formMinSeconds),
    rateLimitIp: String(s.rateLimitIp),
    rateLimitNet: String(s.rateLimitNet),
    rateLimitEmail: String(s.rateLimitEmail),
    rateLimitSite: String(s.rateLimitSite),
    surgeFactor: String(s.surgeFactor),
    surgeMinimum: String(s.surgeMinimum),
    pageSurgeScore: String(s.pageSurgeScore),
    pageSurgeMinimum: String(s.pageSurgeMinimum),
    abuseThreshold: String(s.abuseThreshold),
    abuseFilter: s.abuseFilter,
    requireName: s.requireName,
    requireEmail: s.requireEmail,
    holdFirstTime: s.holdFirstTime,
    requireFormToken: s.requireFormToken,
    gravatar: s.gravatar,
    requireTwoFactor: s.requireTwoFactor,
    language: s.language,
    defaultSort: s.defaultSort,
    votes: s.votes,
    spamBlockedHamTarget: String(Math.round(s.spamBlockedHamTarget * 1000) / 10),
  };
}

/**
 * What a new site starts with: the defaults, but a form token required (its default stays off only so
 * that sites stored before the setting existed keep working).
 */
export const newSiteSettings: SiteSettingsInput = { requireFormToken: true };

/** The form for a new site: every setting at its new-site default. */
export function newSiteFormValues(): SiteFormValues {
  return toSiteFormValues({ name: '', allowedOrigins: [], settings: siteSettingsSchema.parse(newSiteSettings) });
}

function text(fields: Record<string, unknown>, name: string): string {
  const v = fields[name];
  return typeof v === 'string' ? v : '';
}

/** Checkbox semantics: present with any value but "0"/"false"/"off" means on. */
function checked(fields: Record<string, unknown>, name: string): boolean {
  const v = fields[name];
  if (typeof v !== 'string') return false;
  return !['', '0', 'false', 'off'].includes(v.trim().toLowerCase());
}

/** One entry per line: trimmed, blank lines dropped, repeats (ignoring case) kept once. */
export function toLines(value: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of value.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (t === '' || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

/** Reads the posted fields (an allow-list; anything else in the body is ignored). */
export function readSiteFormValues(fields: Record<string, unknown>): SiteFormValues {
  return {
    id: text(fields, 'id').trim(),
    name: text(fields, 'name'),
    origins: text(fields, 'origins'),
    moderation: text(fields, 'moderation'),
    holdWords: text(fields, 'holdWords'),
    spamWords: text(fields, 'spamWords'),
    holdLinks: text(fields, 'holdLinks'),
    closeAfterDays: text(fields, 'closeAfterDays'),
    maxDepth: text(fields, 'maxDepth'),
    floodSeconds: text(fields, 'floodSeconds'),
    flagThreshold: text(fields, 'flagThreshold'),
    ipRetentionDays: text(fields, 'ipRetentionDays'),
    formMinSeconds: text(fields, 'formMinSeconds'),
    rateLimitIp: text(fields, 'rateLimitIp'),
    rateLimitNet: text(fields, 'rateLimitNet'),
    rateLimitEmail: text(fields, 'rateLimitEmail'),
    rateLimitSite: text(fields, 'rateLimitSite'),
    surgeFactor: text(fields, 'surgeFactor'),
    surgeMinimum: text(fields, 'surgeMinimum'),
    pageSurgeScore: text(fields, 'pageSurgeScore'),
    pageSurgeMinimum: text(fields, 'pageSurgeMinimum'),
    abuseThreshold: text(fields, 'abuseThreshold'),
    // A form from before the setting existed sends none: the stored value stands (see parseSiteForm).
    abuseFilter: text(fields, 'abuseFilter'),
    requireName: checked(fields, 'requireName'),
    requireEmail: checked(fields, 'requireEmail'),
    holdFirstTime: checked(fields, 'holdFirstTime'),
    requireFormToken: checked(fields, 'requireFormToken'),
    gravatar: checked(fields, 'gravatar'),
    requireTwoFactor: checked(fields, 'requireTwoFactor'),
    language: text(fields, 'language'),
    defaultSort: text(fields, 'defaultSort'),
    votes: text(fields, 'votes'),
    spamBlockedHamTarget: text(fields, 'spamBlockedHamTarget'),
  };
}

/** A zod issue as a sentence about the field, with the line number for list entries. */
function issueMessage(issue: {
  code: string;
  path: PropertyKey[];
  minimum?: unknown;
  maximum?: unknown;
  origin?: unknown;
}): string {
  const line = typeof issue.path[1] === 'number' ? `Line ${issue.path[1] + 1}: ` : '';
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' ? `${line}cannot be empty.` : `Must be at least ${String(issue.minimum)}.`;
    case 'too_big':
      if (issue.origin === 'string') return `${line}at most ${String(issue.maximum)} characters.`;
      if (issue.origin === 'array') return `At most ${String(issue.maximum)} entries.`;
      return `Must be at most ${String(issue.maximum)}.`;
    case 'invalid_value':
      return 'Choose one of the options.';
    default:
      return 'Enter a whole number.';
  }
}

/**
 * Validates a posted site form. `creating` also checks the site id (which an existing site keeps).
 * Settings the form does not show are kept from `base` (the stored settings; defaults for a new site),
 * so a setting added later is never reset by a save from an older form. Every problem is reported at
 * once, so the admin fixes the form in one pass.
 */
export function parseSiteForm(
  fields: Record<string, unknown>,
  creating: boolean,
  base: Partial<SiteSettings> = {},
): ParsedSiteForm {
  const values = readSiteFormValues(fields);
  const errors: FieldError[] = [];

  if (creating && !siteIdPattern.test(values.id)) {
    errors.push({
      field: 'id',
      code: 'INVALID_SITE_ID',
      message: 'Use lowercase letters, digits, - and _ (at most 63), starting with a letter or digit.',
    });
  }
  const name = values.name.trim();
  if (name === '') errors.push({ field: 'name', code: 'REQUIRED', message: 'Give the site a name.' });
  else if (name.length > MAX_NAME)
    errors.push({ field: 'name', code: 'TOO_LONG', message: `At most ${MAX_NAME} characters.` });

  const allowedOrigins: string[] = [];
  for (const line of toLines(values.origins)) {
    const origin = toOrigin(line);
    if (origin === null) {
      errors.push({
        field: 'origins',
        code: 'INVALID_ORIGIN',
        message: `"${line}" is not an http(s) origin such as https://example.org.`,
      });
    } else if (!allowedOrigins.includes(origin)) {
      allowedOrigins.push(origin);
    }
  }
  if (allowedOrigins.length > MAX_ORIGINS)
    errors.push({ field: 'origins', code: 'TOO_MANY', message: `At most ${MAX_ORIGINS} origins.` });

  const raw: Record<string, unknown> = { moderation: values.moderation };
  for (const f of booleanFields) raw[f] = values[f];
  for (const f of listFields) raw[f] = toLines(values[f]);
  for (const f of choiceFields) {
    // Left out by a form from before the setting was on it: the stored value stands.
    if (fields[f] === undefined) values[f] = String(base[f] ?? siteDefaults[f]);
    else raw[f] = values[f];
  }
  for (const f of numberFields) {
    // A number the post does not carry at all (a form from before the setting existed) keeps its
    // stored value (or, for a new site, the default); one sent blank is a mistake to show.
    const kept = base[f] ?? siteDefaults[f];
    if (fields[f] === undefined && kept !== undefined) {
      values[f] = String(kept);
      raw[f] = kept;
      continue;
    }
    const t = values[f].trim();
    // Only plain whole numbers become numbers; anything else stays text and the schema refuses it.
    raw[f] = /^-?\d{1,9}$/.test(t) ? Number(t) : t;
  }
  // A percentage with at most one decimal (0.1–20), stored as a fraction; absent: kept, as numbers are.
  const target = values.spamBlockedHamTarget.trim();
  if (fields.spamBlockedHamTarget === undefined || !/^\d{1,2}(\.\d)?$/.test(target) || +target < 0.1 || +target > 20) {
    raw.spamBlockedHamTarget = base.spamBlockedHamTarget ?? siteDefaults.spamBlockedHamTarget;
    if (fields.spamBlockedHamTarget === undefined)
      values.spamBlockedHamTarget = String(Math.round(Number(raw.spamBlockedHamTarget) * 1000) / 10);
    else
      errors.push({
        field: 'spamBlockedHamTarget',
        code: 'INVALID_SETTING',
        message: 'Enter a percentage from 0.1 to 20.',
      });
  } else raw.spamBlockedHamTarget = Math.round(Number(target) * 10) / 1000;
  const parsed = siteSettingsSchema.safeParse({ ...base, ...raw });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'settings');
      // One message per field is enough to act on.
      if (errors.some((e) => e.field === field)) continue;
      errors.push({
        field,
        code: 'INVALID_SETTING',
        message: issueMessage(issue),
      });
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors, values };
  return { ok: true, site: { id: values.id, name, allowedOrigins, settings: parsed.data }, values };
}

/** The part of a site an admin edits, flattened: name, allowedOrigins and each setting. */
export type SiteSnapshot = Record<string, unknown>;

function snapshotOf(site: Pick<Site, 'name' | 'allowedOrigins' | 'settings'>): SiteSnapshot {
  return { name: site.name, allowedOrigins: site.allowedOrigins, ...site.settings };
}

/**
 * The keys a save changed, with their values before and after: the audit log's detail for a
 * `site_update`. Creating a site (no `before`) lists every key with an empty before.
 */
export function diffSites(
  before: Pick<Site, 'name' | 'allowedOrigins' | 'settings'> | null,
  after: Pick<Site, 'name' | 'allowedOrigins' | 'settings'>,
): { before: SiteSnapshot; after: SiteSnapshot } {
  const a = snapshotOf(after);
  if (before === null) return { before: {}, after: a };
  const b = snapshotOf(before);
  const diff = { before: {} as SiteSnapshot, after: {} as SiteSnapshot };
  for (const key of Object.keys(a)) {
    if (JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
    diff.before[key] = b[key];
    diff.after[key] = a[key];
  }
  return diff;
}
