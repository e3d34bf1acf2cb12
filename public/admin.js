// Reply Desk dashboard: keys, in-place actions, bulk progress and the live queue. Every page works
// without this file (the forms post normally); it only makes a moderator faster. Loaded with `defer`
// from 'self' under a CSP that allows nothing inline, so it must never build markup from strings
// except cards the server rendered (and escaped) for us.
(() => {
  'use strict';

  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const list = document.getElementById('rd-cards');
  if (!list) return; // sign-in, bans, audit…: plain pages

  const tab = list.dataset.tab ?? 'pending';
  const search = document.getElementById('rd-search');
  const keys = document.getElementById('rd-keys');
  const bulk = document.getElementById('rd-bulk');
  const params = new URLSearchParams(location.search);
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

  // --- messages -------------------------------------------------------------------------------
  // One polite live region for everything we say; created before any change so readers announce it.
  const status = document.createElement('p');
  status.id = 'rd-status';
  status.className = 'rd-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  document.body.append(status);
  let statusTimer = 0;
  function say(message, kind = 'ok') {
    status.textContent = message;
    status.dataset.kind = kind;
    status.dataset.shown = 'true';
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { status.dataset.shown = 'false'; }, kind === 'error' ? 9000 : 4000);
  }

  // --- talking to the server ------------------------------------------------------------------
  async function send(url, body) {
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
        body,
      });
    } catch {
      throw new Error('Could not reach Reply Desk. Check the connection and try again.');
    }
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new Error(data?.error?.message ?? `Reply Desk answered ${res.status}. Reload the page and try again.`);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function formBody(form, button) {
    const body = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') body.append(k, v);
    if (button?.name) body.set(button.name, button.value);
    return body;
  }

  // --- cards and the current one --------------------------------------------------------------
  const cards = () => [...list.querySelectorAll('article.rd-card')];
  const cardOf = (el) => (el instanceof Element ? el.closest('article.rd-card') : null);

  function current() {
    return cardOf(document.activeElement) ?? list.querySelector('article.rd-card.rd-current');
  }

  function mark(card) {
    for (const c of list.querySelectorAll('.rd-current')) if (c !== card) c.classList.remove('rd-current');
    card?.classList.add('rd-current');
  }

  function select(card) {
    if (!card) return;
    mark(card);
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: 'nearest', behavior: reduceMotion ? 'auto' : 'smooth' });
  }

  function move(delta) {
    const all = cards();
    if (all.length === 0) return say('Nothing in this queue.');
    const at = all.indexOf(current());
    const next = at < 0 ? (delta > 0 ? all[0] : all[all.length - 1]) : all[Math.min(all.length - 1, Math.max(0, at + delta))];
    select(next);
  }

  list.addEventListener('focusin', (e) => mark(cardOf(e.target)));

  function showEmptyIfNeeded() {
    const empty = list.querySelector('.rd-empty');
    if (cards().length > 0) {
      empty?.remove();
    } else if (!empty) {
      const p = document.createElement('p');
      p.className = 'rd-empty';
      p.textContent = 'Nothing here: this queue is clear.';
      list.append(p);
    }
  }

  // --- tab counts -------------------------------------------------------------------------------
  const tabOfStatus = { pending: 'pending', approved: 'approved', rejected: 'rejected', spam: 'spam' };
  const inThisTab = (s) => (tab === 'reported' ? s === 'pending' : s === tab);

  function bump(which, delta) {
    const el = document.querySelector(`.rd-count[data-tab="${which}"]`);
    if (!el || el.textContent.includes('+')) return; // capped counts ("10,000+") stay as they are
    const n = Math.max(0, Number(el.textContent.replace(/[^\d]/g, '')) + delta);
    el.textContent = n.toLocaleString('en');
    if (which === tab) document.title = document.title.replace(/\([\d,]+\)/, `(${el.textContent})`);
  }

  // --- actions on one card --------------------------------------------------------------------
  const done = { approved: 'Approved', rejected: 'Rejected', spam: 'Marked as spam', pending: 'Back in the queue', deleted: 'Deleted' };
  /** Cards taken out by this page, by comment id, so an undo can put them back where they were. */
  const removed = new Map();

  async function act(form, button) {
    const card = cardOf(form);
    if (!card || card.getAttribute('aria-busy') === 'true') return;
    card.setAttribute('aria-busy', 'true');
    try {
      // getAttribute: `form.action` is shadowed by the buttons named "action".
      const data = await send(form.getAttribute('action'), formBody(form, button));
      const all = cards();
      const at = all.indexOf(card);
      const next = all[at + 1] ?? all[at - 1];
      const hadFocus = card.contains(document.activeElement) || card.classList.contains('rd-current');
      removed.set(card.dataset.id, { card, at, status: data.status });
      card.remove();
      card.removeAttribute('aria-busy');
      bump(tab, -1);
      if (tabOfStatus[data.status]) bump(tabOfStatus[data.status], +1);
      showEmptyIfNeeded();
      if (next && hadFocus) select(next);
      const who = card.querySelector('.rd-author b')?.textContent ?? 'the comment';
      const what = data.changed === 0 ? 'Already changed by someone else' : done[data.status] ?? 'Done';
      say(`${what}: ${who}. Press u to undo.`);
    } catch (err) {
      card.removeAttribute('aria-busy');
      say(err.message, 'error');
    }
  }

  // The buttons stay real submit buttons: we only take over the post.
  list.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('rd-actions')) return;
    e.preventDefault();
    void act(form, e.submitter);
  });

  function actByKey(key) {
    const card = current();
    if (!card) return say('Pick a comment first: press j.');
    const button = card.querySelector(`.rd-actions button[data-key="${key}"]`);
    if (!button) return say(`No "${key}" action in this queue.`);
    button.form.requestSubmit(button);
  }

  async function undo() {
    let data;
    try {
      data = await send('/admin/undo', new URLSearchParams());
    } catch (err) {
      return say(err.message, 'error');
    }
    const restored = data.restored ?? [];
    if (restored.length === 0) return say('Nothing was restored: those comments have changed since.');
    // In place when every restored comment is one this page took out; otherwise the page knows too
    // little (another tab's action, a bulk action), so it reloads with the server's view.
    const back = restored.every((r) => inThisTab(r.status) && removed.has(r.id));
    if (!back) {
      const url = new URL(location.href);
      url.searchParams.set('notice', `Undone: ${restored.length} comment${restored.length === 1 ? '' : 's'} restored.`);
      url.searchParams.delete('cursor');
      location.assign(url);
      return;
    }
    let last = null;
    for (const r of restored) {
      const { card, at, status: was } = removed.get(r.id);
      removed.delete(r.id);
      const ref = cards()[at];
      if (ref) list.insertBefore(card, ref);
      else list.append(card);
      bump(tab, +1);
      if (tabOfStatus[was]) bump(tabOfStatus[was], -1);
      last = card;
    }
    showEmptyIfNeeded();
    select(last);
    say(`Undone: ${restored.length} comment${restored.length === 1 ? '' : 's'} restored.`);
  }

  // --- bulk selection and progress ------------------------------------------------------------
  const selectedButton = bulk?.querySelector('button[name="scope"][value="selection"]');
  function countSelected() {
    const n = document.querySelectorAll('input[name="ids"][form="rd-bulk"]:checked').length;
    if (selectedButton) selectedButton.textContent = n > 0 ? `Apply to ${n} selected` : 'Apply to selected';
    return n;
  }
  list.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.name === 'ids') countSelected();
  });

  function toggleSelected() {
    const box = current()?.querySelector('input[name="ids"]');
    if (!box) return say('Pick a comment first: press j.');
    box.checked = !box.checked;
    countSelected();
  }

  bulk?.addEventListener('submit', async (e) => {
    const button = e.submitter;
    if (button?.value === 'selection' && countSelected() === 0) {
      e.preventDefault();
      return say('Select comments first (x, or the boxes).', 'error');
    }
    e.preventDefault();
    const progress = document.createElement('progress');
    progress.className = 'rd-bulk-inline';
    progress.max = 1;
    progress.value = 0;
    progress.setAttribute('aria-label', 'Bulk progress');
    bulk.append(progress);
    for (const b of bulk.querySelectorAll('button')) b.disabled = true;
    try {
      const job = await send(bulk.getAttribute('action'), formBody(bulk, button));
      say(`Working on ${job.total.toLocaleString('en')} comments…`);
      for (;;) {
        const res = await fetch(`/admin/bulk/${encodeURIComponent(job.jobId)}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
        const state = await res.json().catch(() => null);
        if (!res.ok || !state) throw new Error(state?.error?.message ?? 'Lost track of the bulk action; reload to see where it stands.');
        progress.max = Math.max(1, state.total);
        progress.value = Math.min(state.done, state.total);
        if (state.state !== 'queued' && state.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      // The result page says what changed and carries the bulk undo.
      location.assign(`/admin/bulk/${encodeURIComponent(job.jobId)}`);
    } catch (err) {
      progress.remove();
      for (const b of bulk.querySelectorAll('button')) b.disabled = false;
      say(err.message, 'error');
    }
  });

  // --- the keys dialog ------------------------------------------------------------------------
  let keysReturnTo = null;
  function toggleKeys(open = keys?.hidden) {
    if (!keys) return;
    if (open) {
      keysReturnTo = document.activeElement;
      keys.hidden = false;
      keys.tabIndex = -1;
      keys.focus();
    } else if (!keys.hidden) {
      keys.hidden = true;
      if (keysReturnTo instanceof HTMLElement && keysReturnTo.isConnected) keysReturnTo.focus({ preventScroll: true });
    }
  }
  keys?.querySelector('.rd-keys-close')?.addEventListener('click', () => toggleKeys(false));
  document.querySelector('.rd-help-hint')?.addEventListener('click', () => toggleKeys(true));
  document.addEventListener('click', (e) => {
    if (keys && !keys.hidden && !keys.contains(e.target) && !e.target.closest?.('.rd-help-hint')) toggleKeys(false);
  });

  // --- the keyboard ---------------------------------------------------------------------------
  function typing(el) {
    if (!(el instanceof Element)) return false;
    if (el.closest('textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
    return el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type);
  }

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (e.key === 'Escape') {
      if (keys && !keys.hidden) toggleKeys(false);
      else if (document.activeElement === search) { search.blur(); select(current()); }
      return;
    }
    if (typing(e.target)) return;
    const handlers = {
      j: () => move(1),
      k: () => move(-1),
      a: () => actByKey('a'),
      r: () => actByKey('r'),
      s: () => actByKey('s'),
      x: toggleSelected,
      u: () => void undo(),
      '/': () => { search?.focus(); search?.select(); },
      '?': () => toggleKeys(),
    };
    const run = handlers[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  });

  // --- the live queue -------------------------------------------------------------------------
  // New held comments arrive as server-sent events; this page fetches and shows those that belong
  // to the list as it is filtered and paged, and counts the rest.
  const order = params.get('order') === 'newest' ? 'newest' : 'oldest';
  const narrowed = ['page', 'reason', 'q'].some((k) => (params.get(k) ?? '').trim() !== '');
  // Oldest first, a new comment belongs on the last page; newest first, on the first.
  const belongsHere = order === 'oldest' ? !document.querySelector('a[rel="next"]') : !params.get('cursor');

  async function arrived(event) {
    const site = params.get('site');
    if (site && event.siteId !== site) return;
    if (document.getElementById(`card-${event.id}`)) return;
    if (!inThisTab(event.status) || tab === 'reported') {
      bump(event.status, +1);
      return;
    }
    if (narrowed || !belongsHere) {
      bump(tab, +1);
      say('A new comment is waiting. Reload to see it.');
      return;
    }
    const res = await fetch(`/admin/cards/${encodeURIComponent(event.id)}?tab=${encodeURIComponent(tab)}`, {
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
    });
    if (!res.ok) return; // already handled by someone else, or not ours to see
    // Server-rendered, every reader value escaped or sanitised, exactly as on a page load.
    const template = document.createElement('template');
    template.innerHTML = await res.text();
    const card = template.content.querySelector('article.rd-card');
    if (!card || document.getElementById(card.id)) return;
    card.classList.add('rd-new');
    card.addEventListener('animationend', () => card.classList.remove('rd-new'), { once: true });
    if (order === 'newest') list.prepend(card);
    else list.append(card);
    showEmptyIfNeeded();
    bump(tab, +1);
    say(`New comment from ${card.querySelector('.rd-author b')?.textContent ?? 'someone'}.`);
  }

  if ('EventSource' in window) {
    const live = new EventSource('/admin/live');
    live.addEventListener('ready', () => { document.body.dataset.live = 'on'; });
    live.addEventListener('comment', (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch {
        return;
      }
      arrived(event).catch(() => {});
    });
    live.addEventListener('error', () => {
      document.body.dataset.live = live.readyState === EventSource.CLOSED ? 'off' : 'reconnecting';
    });
    addEventListener('pagehide', () => live.close());
  }
})();
