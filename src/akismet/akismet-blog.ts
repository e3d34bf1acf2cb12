/**
 * Akismet's `blog`: the front page of the site the comment was written on. Both the first check (the
 * submission worker) and later rechecks and reports (the Akismet worker) send it, and must send the
 * same value for the same comment, so it lives here rather than in either worker.
 */
export function blogOf(permalink: string, publicUrl: string): string {
  try {
    return permalink === '' ? publicUrl : `${new URL(permalink).origin}/`;
  } catch {
    return publicUrl;
  }
}
