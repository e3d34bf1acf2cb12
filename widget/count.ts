/*
 * count.js: fills every element with data-reply-desk-count="<page>" with that page's approved count,
 * for article lists. One request to /api/counts for up to 100 pages (not one per element, which is
 * what made Disqus' count.js slow), after the page's HTML is parsed. The words come from the script's
 * data-zero / data-one / data-other templates ("{n}" is the number); the default is English.
 *   <a href="/post/1#comments" data-reply-desk-count="post-1"></a>
 *   <script src="https://comments.example.org/count.js" data-site="news" async></script>
 */
const script = document.currentScript as HTMLScriptElement | null;

function fill(): void {
  if (!script) return;
  const { site = '', zero, one = '{n} comment', other = '{n} comments' } = script.dataset;
  const base = new URL('.', script.src).href;
  const els = Array.from(document.querySelectorAll<HTMLElement>('[data-reply-desk-count]'));
  const pages = Array.from(new Set(els.map((e) => e.dataset.replyDeskCount ?? '')));
  const plural = new Intl.PluralRules(document.documentElement.lang || 'en');
  for (let i = 0; i < pages.length; i += 100) {
    const chunk = pages.slice(i, i + 100);
    const query = chunk.map((p) => `&page=${encodeURIComponent(p)}`).join('');
    fetch(`${base}api/counts?site=${encodeURIComponent(site)}${query}`, { credentials: 'omit' })
      .then((r) => r.json() as Promise<{ counts?: Record<string, number> }>)
      .then(({ counts = {} }) => {
        for (const el of els) {
          const n = counts[el.dataset.replyDeskCount ?? ''];
          if (typeof n !== 'number') continue;
          const template = n === 0 && zero !== undefined ? zero : plural.select(n) === 'one' ? one : other;
          el.textContent = template.replace('{n}', String(n));
        }
      })
      .catch(() => {
        // Counts are decoration: a page without them still works.
      });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fill);
else fill();
