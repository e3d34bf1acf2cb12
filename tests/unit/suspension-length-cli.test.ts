import { describe, expect, it } from 'vitest';
import { readSuspensionLength } from '../../src/cli/authors/author-moderation-commands.js';

describe('readSuspensionLength (reply-desk author suspend --for)', () => {
  it.each([
    ['12h', { amount: '12', unit: 'hours' }],
    ['7d', { amount: '7', unit: 'days' }],
    ['3 days', { amount: '3', unit: 'days' }],
    ['1 Hour', { amount: '1', unit: 'hours' }],
  ])('%s', (text, want) => expect(readSuspensionLength(text)).toEqual(want));

  it.each(['', '7', 'd', '2y', '-1d', '1.5d', '7 weeks', '1234567d'])('refuses %j', (text) =>
    expect(readSuspensionLength(text)).toBeNull(),
  );
});
