import type { DeskTab } from '../../src/http-contract/desk-contract.js';
import { viewCountText } from './desk-rules';

/**
 * Moves a tab's count in the tab bar (and the page title, for the open tab) by `delta`. For the open
 * tab the bulk button's "Apply to all N in this view" moves too: `'in-view'` when the comment surely is
 * (or was) in the view, `'maybe'` when a narrowed view cannot tell (the count then reads "N+").
 */
export type BumpCount = (which: DeskTab, delta: number, view?: 'in-view' | 'maybe') => void;

export function createTabCounts(tab: DeskTab): BumpCount {
  const viewCount = document.querySelector<HTMLElement>('.rd-view-count[data-count]');
  return (which, delta, view = 'in-view') => {
    if (which === tab && viewCount) {
      const known = Number(viewCount.dataset.count);
      if (view === 'maybe') viewCount.dataset.unsure = 'true';
      else viewCount.dataset.count = String(Math.max(0, known + delta));
      viewCount.textContent = viewCountText(Number(viewCount.dataset.count), viewCount.dataset.unsure === 'true');
    }
    const el = document.querySelector(`.rd-count[data-tab="${which}"]`);
    const text = el?.textContent ?? '';
    if (!el || text.includes('+')) return; // capped counts ("10,000+") stay as they are
    const n = Math.max(0, Number(text.replace(/[^\d]/g, '')) + delta);
    el.textContent = n.toLocaleString('en');
    if (which === tab) document.title = document.title.replace(/\([\d,]+\)/, `(${el.textContent})`);
  };
}
