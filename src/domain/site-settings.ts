import { z } from 'zod';
import { defaultDecisionReasons } from './decisions/decision-reasons.js';
import { staffedHoursSchema } from './pages/staffed-hours.js';
import { READER_LANGUAGES } from '../i18n/reader-language.js';

/** The orders a thread can be read in (GET /api/comments?sort=…). */
export const threadSorts = ['oldest', 'newest', 'top'] as const;
export type ThreadSort = (typeof threadSorts)[number];
export const isThreadSort = (v: string): v is ThreadSort => (threadSorts as readonly string[]).includes(v);

const wordList = z.array(z.string().trim().min(1).max(200)).max(5000).default([]);

/**
 * A site's moderation settings, stored as jsonb on `sites.settings`. Every key has a default, so `{}` is
 * a working site and old rows keep working when a setting is added.
 */
export const siteSettingsSchema = z.object({
  /** The comment must carry a name. @defaultValue true */
  requireName: z.boolean().default(true),
  /** The comment must carry an email (never shown publicly). @defaultValue true */
  requireEmail: z.boolean().default(true),
  /**
   * `rules`: publish what passes every check, hold what a rule holds. `pre`: hold everything for a
   * moderator. `open`: publish unless refused or spam (no hold rules); readers' flags still report.
   * @defaultValue rules
   */
  moderation: z.enum(['rules', 'pre', 'open']).default('rules'),
  /** Words or phrases that hold a comment for review, matched on normalised text. @defaultValue [] */
  holdWords: wordList,
  /** Words or phrases that mark a comment as spam. @defaultValue [] */
  spamWords: wordList,
  /** A comment with at least this many links is held (WordPress: 2). 0 turns the rule off. @defaultValue 2 */
  holdLinks: z.number().int().min(0).max(100).default(2),
  /** Close a page's thread this many days after its first comment; 0 never closes. @defaultValue 0 */
  closeAfterDays: z.number().int().min(0).max(36_500).default(0),
  /** Deepest reply level (a top-level comment is level 1). @defaultValue 5 */
  maxDepth: z.number().int().min(1).max(10).default(5),
  /** Hold an author's comments until one of theirs has been approved on this site. @defaultValue true */
  holdFirstTime: z.boolean().default(true),
  /** Refuse a second comment from the same IP or email within this many seconds; 0 turns it off. @defaultValue 15 */
  floodSeconds: z.number().int().min(0).max(3600).default(15),
  /** Readers' flags that send a published comment back to the queue as reported (Disqus: 3 strict, 5 balanced). @defaultValue 3 */
  flagThreshold: z.number().int().min(1).max(100).default(3),
  /**
   * Days after which a comment's IP address is truncated (IPv4 to its /24, IPv6 to its /48) and its
   * user agent cleared by the maintenance job; 0 keeps them forever (see docs/privacy.md). @defaultValue 30
   */
  ipRetentionDays: z.number().int().min(0).max(36_500).default(30),
  /**
   * Submissions sooner than this many seconds after the form was rendered (signed form token) are held:
   * people read and type, bots post at once (Antispam Bee: 5). 0 turns the rule off. @defaultValue 5
   */
  formMinSeconds: z.number().int().min(0).max(600).default(5),
  /**
   * A submission without a form token is held, as one sent too fast is: without it, a bot skips the
   * token's checks by leaving the token out. Off lets API clients and old forms post without one. New
   * sites (admin form, `reply-desk site add`, the demo site) start with it on; sites stored before it
   * existed keep working (off) until an admin turns it on. @defaultValue false
   */
  requireFormToken: z.boolean().default(false),
  /**
   * Rate limits at intake, per minute (429 with Retry-After beyond them); 0 turns one off. Per IP: a
   * person rarely posts more than a few a minute, and a school or office behind one address gets some
   * room. @defaultValue 10
   */
  rateLimitIp: z.number().int().min(0).max(100_000).default(10),
  /** Per IPv6 /64 (one household or one cloud VM), per minute. @defaultValue 20 */
  rateLimitNet: z.number().int().min(0).max(100_000).default(20),
  /** Per email address, per minute. @defaultValue 5 */
  rateLimitEmail: z.number().int().min(0).max(100_000).default(5),
  /**
   * For the whole site, per minute: the ceiling a bot flood cannot push past (a busy news site's peak
   * is a few hundred a minute). @defaultValue 600
   */
  rateLimitSite: z.number().int().min(0).max(1_000_000).default(600),
  /**
   * Surge mode holds every new comment when the site's rate in the last minute is this many times its
   * normal rate (and at least `surgeMinimum`); it switches itself off once the rate falls. 0 turns it
   * off. @defaultValue 10
   */
  surgeFactor: z.number().int().min(0).max(1000).default(10),
  /** Fewest comments in the surge window (a minute) that can count as a surge. @defaultValue 30 */
  surgeMinimum: z.number().int().min(1).max(1_000_000).default(30),
  /**
   * Brigades on one story (issue 16): a page whose score (src/flood/page-surge-score.ts: the rate's jump
   * over the page's and the site's normal, first-time authors, near-duplicate texts from other
   * addresses, flags; at most 9) reaches this is pre-moderated on its own until it calms down. 0 turns
   * the detector off. @defaultValue 5
   */
  pageSurgeScore: z.number().int().min(0).max(9).default(5),
  /** Fewest comments on one page in the surge window (a minute) before the brigade score counts. @defaultValue 20 */
  pageSurgeMinimum: z.number().int().min(1).max(1_000_000).default(20),
  /*
   * Readers with an identity (issue 14, docs in README "Readers and sign-in").
   */
  /**
   * Guests (a typed name and email, as WordPress) may comment. Off: a comment without a reader token is
   * refused with 401 SIGN_IN_REQUIRED and the widget offers only sign-in. @defaultValue true
   */
  guests: z.boolean().default(true),
  /**
   * The sign-in methods the widget offers, each only once it is set up: `sso` (the site has an SSO
   * secret), `email` (SMTP is configured), `oidc` (the site has OpenID providers). @defaultValue ['sso', 'email', 'oidc']
   */
  signInMethods: z
    .array(z.enum(['sso', 'email', 'oidc']))
    .max(3)
    .transform((m) => [...new Set(m)])
    .default(['sso', 'email', 'oidc']),
  /** Minutes in which an author may edit or delete their own comment; 0 turns editing off. @defaultValue 15 */
  editWindowMinutes: z.number().int().min(0).max(10_080).default(15),
  /**
   * What erasing a reader's account does to their comments: `anonymize` keeps them, shown as by
   * "deleted user"; `remove` deletes them. @defaultValue anonymize
   */
  readerErasure: z.enum(['anonymize', 'remove']).default('anonymize'),
  /*
   * The conversation (issue 15, docs in README "Votes and sorting").
   */
  /** Readers' votes on published comments: `up` only, `updown` (up and down), or `off`. @defaultValue up */
  votes: z.enum(['up', 'updown', 'off']).default('up'),
  /**
   * Guests may vote without signing in, counted once per browser key and once per network (IPv4
   * address or IPv6 /64) per comment. Off: voting needs a reader token. @defaultValue false
   */
  guestVotes: z.boolean().default(false),
  /**
   * Authors with an email get their Gravatar picture (the reader's browser asks gravatar.com, with a
   * SHA-256 of the email). Off: an identicon this service draws, named so that it reveals no email,
   * and no third party is asked. A reader's own picture (SSO, OpenID) comes first either way.
   * @defaultValue false
   */
  gravatar: z.boolean().default(false),
  /** The thread's order when a reader has not chosen one: `oldest`, `newest` or `top`. @defaultValue oldest */
  defaultSort: z.enum(threadSorts).default('oldest'),
  /**
   * Everyone with a role on this site (and every admin) must sign in to the desk with a TOTP code after
   * the password: an account without two-factor is sent to set it up before it can do anything else,
   * and cannot turn it off (sql/0042). @defaultValue false
   */
  requireTwoFactor: z.boolean().default(false),
  /**
   * The reasons a moderator picks from when rejecting or marking spam (issue 16; README "Reasons and
   * appeals"): each a `code` (lower case, digits, `_`), the `label` the commenter reads, and the `rule`
   * it rests on, quoted in the statement-of-reasons mail. @defaultValue abusive, off_topic, spam,
   * personal_data, legal (src/domain/decisions/decision-reasons.ts)
   */
  decisionReasons: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
        label: z.string().trim().min(1).max(100),
        rule: z.string().trim().max(500).default(''),
      }),
    )
    .min(1)
    .max(30)
    .refine((list) => new Set(list.map((r) => r.code)).size === list.length, 'Each reason needs a code of its own.')
    .default(defaultDecisionReasons),
  /*
   * The newsroom's desk (issue 16, docs in README "Per-story controls and staffed hours").
   */
  /**
   * When the desk is staffed: `{"timeZone": "Europe/Berlin", "days": [1,2,3,4,5], "from": "07:00", "to":
   * "23:00", "outside": "pre" | "closed"}` (days 0 = Sunday; `to` before `from` runs overnight). Outside
   * those hours new comments are held (OFF_HOURS) or every thread is closed until the desk opens. null:
   * always staffed. @defaultValue null
   */
  staffedHours: staffedHoursSchema.nullable().default(null),
  /**
   * The language of the widget, the no-JS form, the pages behind mail links and reader mails when the
   * reader has not chosen one (the page's `lang`, the language they wrote in): one of the twelve, or
   * `auto` for the reader's browser language (Accept-Language; the widget: English). @defaultValue auto
   */
  language: z.enum(['auto', ...READER_LANGUAGES]).default('auto'),
  /**
   * The local abuse filter (issue 17, README "Abuse filter"): `hold` holds a comment with a word of the
   * abuse lexicon or one the site's learned abuse model scores at `abuseThreshold` or more (code ABUSE);
   * it never rejects. `off`: neither is asked. @defaultValue hold
   */
  abuseFilter: z.enum(['hold', 'off']).default('hold'),
  /**
   * The learned abuse model holds at this probability of abuse, in percent (once it has learned ten
   * abusive and ten ok decisions of the site's moderators). @defaultValue 90
   */
  abuseThreshold: z.number().int().min(50).max(99).default(90),
  /**
   * The share of the site's good comments (those its moderators approve) that the spam filter may
   * block, as a fraction: the filter's hold threshold is set from the site's recent decisions so that
   * at most this share of its approved comments would have been held or marked as spam
   * (src/spam/hold-calibration.ts). Lower spares more readers and lets more spam through. @defaultValue 0.01
   */
  spamBlockedHamTarget: z.number().min(0.001).max(0.2).default(0.01),
});

export type SiteSettings = z.output<typeof siteSettingsSchema>;
/** What a caller may send to create or change settings: any subset. */
export type SiteSettingsInput = z.input<typeof siteSettingsSchema>;

/** Settings with defaults filled in; throws a ZodError listing every bad key. */
export function toSiteSettings(raw: unknown): SiteSettings {
  return siteSettingsSchema.parse(raw ?? {});
}

/**
 * A site's settings as stored: a key that no longer validates (written by hand in SQL, or under an older
 * schema) takes its default, and the others stand. Reading one site's row must never throw: the site
 * directory lists every site, and the worker checks many sites' comments in one facts statement, so one
 * bad row would otherwise fail every site's intake or every comment batched with it. `invalid` names the
 * keys that fell back, for the caller to log.
 */
export function storedSiteSettings(raw: unknown): { settings: SiteSettings; invalid: string[] } {
  const whole = siteSettingsSchema.safeParse(raw ?? {});
  if (whole.success) return { settings: whole.data, invalid: [] };
  const input = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const [key, schema] of Object.entries(siteSettingsSchema.shape)) {
    if (!(key in input)) continue;
    const one = (schema as z.ZodTypeAny).safeParse(input[key]);
    // The raw value, not the parsed one: the whole parse below runs each key's transform once.
    if (one.success) kept[key] = input[key];
    else invalid.push(key);
  }
  // Only keys that failed were left out, so this parse fills their defaults and cannot fail.
  return { settings: siteSettingsSchema.parse(kept), invalid };
}

/** A site as the application sees it. */
export interface Site {
  id: string;
  name: string;
  allowedOrigins: string[];
  settings: SiteSettings;
  /**
   * Some page of the site overrides `guests` (issue 16): intake reads a guest's page only then.
   * Left out (a site not read from the table): unknown, so intake reads the page.
   */
  pagesOverrideGuests?: boolean;
}

export const siteIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Normalises an origin (`https://Example.org:443/` → `https://example.org`); null when it is not one. */
export function toOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}
