import { describe, expect, it } from 'vitest';
import { storedEventWanted, toStoredEvents, type StoredEventAudience } from '../../src/webhooks/comment-events.js';

// Which of a stored comment's events are queued (issue 18 item 6 (b)): only those someone could hear of.
const c = { id: '0190a0b2-7c4e-7000-8000-000000000001', siteId: 'news' };
const nobody: StoredEventAudience = { subscribed: [], replyMail: false };
const types = (status: 'approved' | 'pending' | 'spam' | 'rejected', audience?: StoredEventAudience) =>
  toStoredEvents({ ...c, status }, new Date(), audience).map((e) => e.type);

describe('storedEventWanted', () => {
  it('nobody listening: only a held comment announces itself (held mail, chat notices)', () => {
    expect(types('approved', nobody)).toEqual([]);
    expect(types('spam', nobody)).toEqual([]);
    expect(types('rejected', nobody)).toEqual([]);
    expect(types('pending', nobody)).toEqual(['comment.created']);
  });

  it('a reply to someone who may be mailed announces its approval, and nothing else', () => {
    expect(types('approved', { subscribed: [], replyMail: true })).toEqual(['comment.approved']);
    expect(types('spam', { subscribed: [], replyMail: true })).toEqual([]);
  });

  it('subscribers get the types they asked for', () => {
    const audience: StoredEventAudience = { subscribed: ['comment.created', 'comment.spam'], replyMail: false };
    expect(types('approved', audience)).toEqual(['comment.created']);
    expect(types('spam', audience)).toEqual(['comment.created', 'comment.spam']);
    expect(storedEventWanted('comment.rejected', 'rejected', audience)).toBe(false);
  });

  it('without an audience (a caller that did not read it) every event is queued, as before', () => {
    expect(types('approved')).toEqual(['comment.created', 'comment.approved']);
    expect(types('pending')).toEqual(['comment.created']);
  });
});
