import { h } from './dom';
import type { ApiComment } from './types';

/**
 * The author's picture before their name (issue 15): the URL the API gave (our identicon, the reader's
 * own picture, or Gravatar where the site turned it on). An image only, never markup; lazy, so a long
 * thread fetches the pictures as they scroll near; no Referer, so Gravatar or an identity provider does
 * not learn which page the reader reads. alt="": the name next to it says who it is.
 */
export function avatarImage(c: Pick<ApiComment, 'avatar'>): HTMLImageElement | null {
  if (!c.avatar) return null;
  return h('img', {
    class: 'rd-avatar',
    src: c.avatar,
    alt: '',
    loading: 'lazy',
    width: 32,
    height: 32,
    referrerpolicy: 'no-referrer',
  });
}
