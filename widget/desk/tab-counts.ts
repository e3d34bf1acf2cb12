import type { DeskTab } from '../../src/http-contract/desk-contract.js';

/** Moves a tab's count in the tab bar (and the page title, for the open tab) by `delta`. */
export type BumpCount = (which: DeskTab, delta: number) => void;

export function createTabCounts(tab: DeskTab): BumpCount {
  return (which, delta) => {
    const el = document.querySelector(`.rd-count[data-tab="${which}"]`);
    const text = el?.textContent ?? '';
    if (!el || text.includes('+')) return; // capped counts ("10,000+") stay as they are
    const n = Math.max(0, Number(text.replace(/[^\d]/g, '')) + delta);
    el.textContent = n.toLocaleString('en');
    if (which === tab) document.title = document.title.replace(/\([\d,]+\)/, `(${el.textContent})`);
  };
}
