import { describe, expect, it } from 'vitest';
import { asksAkismet } from '../../src/moderation/rules/akismet-rule.js';
import type { CommentStatus } from '../../src/moderation/verdict.js';

// When the submission worker asks Akismet for a second opinion: only about what the local checks would
// publish or hold, and never about a trusted author's comment.
describe('asking Akismet for a second opinion', () => {
  it.each<[CommentStatus, boolean, boolean]>([
    ['approved', false, true],
    ['pending', false, true],
    ['spam', false, false],
    ['rejected', false, false],
    ['approved', true, false],
    ['pending', true, false],
    ['spam', true, false],
    ['rejected', true, false],
  ])('a verdict of %s, trusted author %s: asks %s', (status, trusted, asks) => {
    expect(asksAkismet({ trusted }, { status })).toBe(asks);
  });
});
