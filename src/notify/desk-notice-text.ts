import { describeSignals, type PageSurgeSignal } from '../flood/page-surge-score.js';
import type { NoticePage } from '../store/notify/desk-notice-facts.js';
import type { ChatNotice } from './chat-formats.js';

/*
 * Desk notices in words, from the facts the worker read: one ChatNotice per kind, which
 * src/notify/chat-formats.ts then puts in each service's format. Pure.
 */

const storyOf = (p: NoticePage): ChatNotice['story'] => ({ title: p.title ?? p.url ?? p.identifier, url: p.url });
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A brigade began on a story: what scored, and what waits there. */
export function toSurgeChatNotice(
  page: NoticePage,
  s: { score: number; signals: PageSurgeSignal[]; since: string },
  deskUrl: string,
): ChatNotice {
  const facts: [string, string][] = [
    ['Held on this story', String(page.pending)],
    ['Brigade score', String(s.score)],
  ];
  const why = describeSignals(s.signals);
  if (why !== '') facts.push(['Signals', why]);
  return {
    kind: 'surge',
    headline: `Surge on a story: new comments there are held for moderation`,
    site: { id: page.siteId, name: page.siteName },
    story: storyOf(page),
    facts,
    link: deskUrl,
  };
}

/** Comments wait for a moderator: how many, how many new since the last notice, and since when. */
export function toHeldChatNotice(
  site: { id: string; name: string },
  c: { total: number; fresh: number; oldestAt: Date | null },
  deskUrl: string,
): ChatNotice {
  return {
    kind: 'held',
    headline: `${plural(c.total, 'comment is', 'comments are')} waiting for moderation`,
    site,
    story: null,
    facts: [
      ['Waiting', String(c.total)],
      ['New since the last notice', String(c.fresh)],
      ...(c.oldestAt ? ([['Oldest', c.oldestAt.toISOString().replace(/\.\d+Z$/, 'Z')]] as [string, string][]) : []),
    ],
    link: deskUrl,
  };
}

/** An appeal was opened against a decision on a story's comment. */
export function toAppealChatNotice(page: NoticePage, openAppeals: number | null, deskUrl: string): ChatNotice {
  return {
    kind: 'appeal',
    headline: 'An appeal was opened: another moderator decides it',
    site: { id: page.siteId, name: page.siteName },
    story: storyOf(page),
    facts: openAppeals === null ? [] : [['Open appeals', String(openAppeals)]],
    link: deskUrl,
  };
}
