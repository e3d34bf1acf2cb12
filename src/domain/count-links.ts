// What WordPress' check_comment counts as a link: anything with "//" after an optional scheme. Bare
// "www." hosts count too: they are not rendered as links, but readers paste them as links all the same.
const linkPattern = /(?:https?:)?\/\/[^\s/]|\bwww\.[a-z0-9-]+\.[a-z]/gi;

/** How many links a comment's text carries (the website field does not count). */
export function countLinks(text: string): number {
  return text.match(linkPattern)?.length ?? 0;
}
