import type { CommentFields } from '../../../src/domain/comment-fields.js';
import { toSiteSettings, type SiteSettingsInput } from '../../../src/domain/site-settings.js';
import type { CheckContext } from '../../../src/moderation/verdict.js';

export const RECEIVED_AT = new Date('2024-06-01T12:00:00.000Z');
export const PARENT_ID = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';

/** Fields of a comment every default rule lets through. */
export function cleanFields(overrides: Partial<CommentFields> = {}): CommentFields {
  return {
    page: 'blog/hello-world',
    parentId: null,
    author: 'Ada Lovelace',
    email: 'ada@example.org',
    url: '',
    body: 'Thanks for the clear write-up.',
    ...overrides,
  };
}

interface ContextOverrides extends Partial<Omit<CheckContext, 'fields' | 'settings' | 'ban'>> {
  ban?: CheckContext['ban'];
  fields?: Partial<CommentFields>;
  settings?: SiteSettingsInput;
}

/**
 * A CheckContext of a clean comment that checkComment approves; overrides replace single facts.
 * `fields` and `settings` are merged into the clean defaults, so a test names only what it changes.
 */
export function baseContext(overrides: ContextOverrides = {}): CheckContext {
  const { fields, settings, ...rest } = overrides;
  return {
    fields: cleanFields(fields),
    honeypot: '',
    receivedAt: RECEIVED_AT,
    settings: toSiteSettings({ holdFirstTime: false, ...settings }),
    page: { id: 1, closed: false, firstCommentAt: null },
    parent: null,
    duplicate: false,
    lastFromAuthorAt: null,
    authorHasApproved: true,
    ban: null,
    trusted: false,
    linkCount: 0,
    spamScore: null,
    ...rest,
  };
}
