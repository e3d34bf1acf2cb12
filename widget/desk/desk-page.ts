import type { DeskTab } from '../../src/http-contract/desk-contract.js';
import { toDeskTab } from './desk-rules';

/**
 * The parts of a queue page the script works on, found once. The server renders them
 * (src/http/desk/moderator/queue-page.ts); their ids and classes are the other half of the contract:
 *   meta[name=csrf-token]                     the session's CSRF token, sent with every post
 *   #rd-cards[data-tab]                       the list of cards, and which tab it shows
 *   article.rd-card#card-<id>[data-id]        one comment; `.rd-author b` is its author's name
 *   form.rd-actions button[data-key]          its actions, a real form that posts without us
 *   details.rd-reply-box form.rd-reply        its Reply (published comments on open pages only)
 *   input[name=ids][form=rd-bulk]             its bulk-selection box
 *   form#rd-bulk button[name=scope]           the bulk form: "selection" or the whole "filter"
 *   .rd-count[data-tab]                       a tab's count in the tab bar
 *   .rd-view-count[data-count]                the N of "Apply to all N in this view" (absent when capped)
 *   article.rd-card[data-author][data-site]   whose comment it is, for the first-comment label
 *   .rd-reason[data-code] .rd-reason-text     one reason on a card, and its words
 *   [data-zone]                               the zone a page's times are in (the audit log)
 *   #rd-search, #rd-keys, .rd-help-hint       the search box, the keys dialog and its hint
 */
export interface DeskPage {
  csrf: string;
  list: HTMLElement;
  tab: DeskTab;
  search: HTMLInputElement | null;
  keys: HTMLElement | null;
  bulk: HTMLFormElement | null;
  params: URLSearchParams;
  reduceMotion: boolean;
}

/** The queue page's parts, or null on a page without a queue (sign-in, bans, audit…: plain pages). */
export function findDeskPage(): DeskPage | null {
  const list = document.getElementById('rd-cards');
  if (!list) return null;
  const search = document.getElementById('rd-search');
  const bulk = document.getElementById('rd-bulk');
  return {
    csrf: document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '',
    list,
    tab: toDeskTab(list.dataset.tab),
    search: search instanceof HTMLInputElement ? search : null,
    keys: document.getElementById('rd-keys'),
    bulk: bulk instanceof HTMLFormElement ? bulk : null,
    params: new URLSearchParams(location.search),
    reduceMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
  };
}
