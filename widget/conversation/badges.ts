import type { CommentView } from '../comment-view';
import { avatarImage } from '../avatar';
import { h } from '../dom';
import type { ConversationMessages } from './words';

/** Verified and Staff after the author's name, and the Editors' pick mark, on one comment. */
export function badges(view: CommentView, ct: ConversationMessages, featured: boolean): void {
  const c = view.comment;
  const author = view.article.querySelector('.rd-author');
  const marks = [c.verified && ct.verified, c.staff && ct.staff]
    .filter((m): m is string => typeof m === 'string')
    .map((m) => h('span', { class: 'rd-badge' }, m));
  author?.after(...marks.flatMap((m) => [' ', m]));
  const avatar = avatarImage(c);
  if (avatar) author?.before(avatar);
  if (featured || c.featured === true) badges.pick(view, ct);
}

/** The Editors' pick mark, once per comment. */
badges.pick = (view: CommentView, ct: ConversationMessages): void => {
  if (view.article.querySelector('.rd-pick-mark')) return;
  view.article.querySelector('.rd-meta')?.append(' ', h('span', { class: 'rd-badge rd-pick-mark' }, ct.pick));
};
