/*
 * admin.js, the moderators' desk script: keys, in-place actions, bulk progress and the live queue.
 * scripts/build-widget.mjs bundles this folder into dist/desk/admin.js, served as /assets/admin.js.
 *
 * Every page works without it (the forms post normally); it only makes a moderator faster. It is
 * loaded with `defer` from 'self' under a CSP that allows nothing inline and no eval, so it never
 * builds markup from strings except cards the server rendered (and escaped) for us (live-queue.ts).
 * What the server answers is typed in src/http-contract/desk-contract.ts, shared with the routes.
 *
 * One module per concern; they meet only here. The order below is the order their listeners are
 * added in, the same as when this was one file.
 */
import { createCardActions } from './card-actions';
import { wireCardFeature } from './card-feature';
import { wireCardReply } from './card-reply';
import { createCurrentCard } from './current-card';
import { findDeskPage } from './desk-page';
import { wireBulkProgress } from './bulk-progress';
import { createKeysDialog } from './keys-dialog';
import { wireKeyboard } from './keyboard';
import { wireLiveQueue } from './live-queue';
import type { RemovedCards } from './removed-cards';
import { createSelection } from './selection';
import { createStatusLine } from './status-line';
import { createTabCounts } from './tab-counts';
import { createUndo } from './undo';
import { shareTimeZone } from './time-zone';

// Every desk page, before anything else: the audit log shows times in this zone (time-zone.ts).
shareTimeZone();
const page = findDeskPage();
// Sign-in, bans, audit…: plain pages, nothing to do.
if (page) {
  const say = createStatusLine();
  const cards = createCurrentCard(page, say);
  const bump = createTabCounts(page.tab);
  const removed: RemovedCards = new Map();
  const actions = createCardActions({ page, cards, bump, say, removed });
  wireCardReply({ page, say });
  wireCardFeature({ page, say });
  const undo = createUndo({ page, cards, bump, say, removed });
  const selection = createSelection({ page, cards, say });
  wireBulkProgress({ page, selection, say });
  const keys = createKeysDialog(page);
  wireKeyboard({ page, cards, actions, selection, keys, undo });
  wireLiveQueue({ page, cards, bump, say });
}
