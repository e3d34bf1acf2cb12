/**
 * Resolves once `el` comes within `margin` of the viewport (data-loading="lazy": a widget far down an
 * article mounts, and fetches anything, only when the reader scrolls towards it). Without
 * IntersectionObserver, at once: such a browser gets the widget as it always did.
 */
export function whenNearViewport(el: Element, margin = '800px'): Promise<void> {
  if (typeof IntersectionObserver !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const watch = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        watch.disconnect();
        resolve();
      },
      { rootMargin: `${margin} 0px` },
    );
    watch.observe(el);
  });
}
