/**
 * After a moderator approves a comment, the same author's other held cards on this page stop saying
 * "First comment": the reason no longer holds (they may still wait for other reasons). The words match
 * the server's (src/http/desk/moderator/queue-page.ts firstCommentOutgrown), which a reload shows.
 */
export function markAuthorApproved(list: HTMLElement, approved: HTMLElement): void {
  // "reader:<id>" or "guest:<email>" (a reader's history is theirs, a guest's the typed email's; the
  // two never mix, as on the server). Without either the server cannot tell one author from another.
  const author = approved.dataset.author ?? '';
  const site = approved.dataset.site ?? '';
  if (author === '') return;
  for (const card of list.querySelectorAll<HTMLElement>('article.rd-card')) {
    if (card === approved || card.dataset.author !== author || card.dataset.site !== site) continue;
    // "0 approved · 2 pending · …": the approved one moves over (the server counts the same on reload).
    const history = card.querySelector('.rd-history');
    const m = /^(\d+) approved · (\d+) pending/.exec(history?.textContent?.trim() ?? '');
    const n = (m ? Number(m[1]) : 0) + 1;
    if (history && m)
      history.textContent = (history.textContent ?? '')
        .trim()
        .replace(m[0], `${n} approved · ${Math.max(0, Number(m[2]) - 1)} pending`);
    for (const reason of card.querySelectorAll<HTMLElement>('.rd-reason[data-code="FIRST_COMMENT"]')) {
      reason.classList.add('rd-outgrown');
      const label = reason.querySelector('b');
      const text = reason.querySelector('.rd-reason-text');
      if (label) label.textContent = 'No longer a first comment';
      if (text)
        text.textContent = `Held as a first comment; this author has ${n} approved comment${n === 1 ? '' : 's'} here now.`;
    }
  }
}
