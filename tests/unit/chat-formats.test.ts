import { describe, expect, it } from 'vitest';
import { toChatBody, type ChatNotice } from '../../src/notify/chat-formats.js';
import { readChatTargetInput } from '../../src/notify/chat-target-input.js';

const notice: ChatNotice = {
  kind: 'surge',
  headline: 'Surge on a story: new comments there are held for moderation',
  site: { id: 'news', name: 'The *News* & <Co>' },
  story: { title: 'Vote @channel [here](https://evil.example) <!here>', url: 'https://news.example/a b|c' },
  facts: [['Held on this story', '14']],
  link: 'https://desk.example/admin',
};

describe('toChatBody', () => {
  it('Slack: text and blocks in mrkdwn, with &, < and > escaped so a title makes no link or mention', () => {
    const body = JSON.parse(toChatBody('slack', notice)) as { text: string; blocks: { text?: { text: string } }[] };
    expect(body.text).toBe('Surge on a story: new comments there are held for moderation (The *News* & <Co>)');
    expect(body.blocks[0]?.text?.text).toBe(
      '*Surge on a story: new comments there are held for moderation*\n' +
        '<https://news.example/a%20b%7Cc|Vote @channel [here](https://evil.example) &lt;!here&gt;>\n' +
        'Site: The *News* &amp; &lt;Co&gt;',
    );
  });

  it('Mattermost: Markdown with its characters escaped and @ broken, so a title cannot mention the channel', () => {
    const body = JSON.parse(toChatBody('mattermost', notice)) as { text: string; username: string };
    expect(body.username).toBe('Reply Desk');
    expect(body.text.split('\n')).toEqual([
      '**Surge on a story: new comments there are held for moderation**',
      '[Vote @\u200bchannel \\[here\\](https://evil.example) \\<!here\\>](https://news.example/a%20b%7Cc)',
      'Site: The \\*News\\* & \\<Co\\>',
      'Held on this story: **14**',
      '[Open the desk](https://desk.example/admin)',
    ]);
  });

  it('Teams: an Adaptive Card in the incoming-webhook envelope, with the facts and a link to the desk', () => {
    const body = JSON.parse(toChatBody('teams', notice)) as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: unknown[]; actions: unknown[] };
      }[];
    };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const card = body.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.content.body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Site', value: 'The *News* & <Co>' },
        { title: 'Held on this story', value: '14' },
      ],
    });
    expect(card.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the desk', url: 'https://desk.example/admin' },
    ]);
  });
});

describe('readChatTargetInput', () => {
  it.each([
    ['an unknown service', { service: 'irc', url: 'https://x.example/h', events: 'held' }, 'service'],
    ['a URL that is not http(s)', { service: 'slack', url: 'ftp://x.example/h', events: 'held' }, 'url'],
    ['no URL', { service: 'slack', url: '  ', events: 'held' }, 'url'],
    ['no events', { service: 'slack', url: 'https://x.example/h' }, 'events'],
    ['an unknown event', { service: 'slack', url: 'https://x.example/h', events: ['held', 'all'] }, 'events'],
    [
      'an interval of 0',
      { service: 'slack', url: 'https://x.example/h', events: 'held', heldEveryMinutes: 0 },
      'heldEveryMinutes',
    ],
    [
      'an interval of 2.5',
      { service: 'slack', url: 'https://x.example/h', events: 'held', heldEveryMinutes: '2.5' },
      'heldEveryMinutes',
    ],
  ])('refuses %s, naming the field', (_scenario, raw, field) => {
    const read = readChatTargetInput(raw, 'news');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem.field).toBe(field);
  });

  it('takes a form (strings, one event) or JSON (an array, a number) alike; the site is never from the body', () => {
    expect(
      readChatTargetInput(
        { service: 'teams', url: ' https://x.example/h ', events: 'surge', heldEveryMinutes: '30', siteId: 'other' },
        'news',
      ),
    ).toEqual({
      ok: true,
      target: {
        siteId: 'news',
        service: 'teams',
        url: 'https://x.example/h',
        events: ['surge'],
        heldEveryMinutes: 30,
        description: '',
      },
    });
    const json = readChatTargetInput(
      { service: 'mattermost', url: 'https://x.example/h', events: ['held', 'held', 'appeal'] },
      'news',
    );
    expect(json.ok && json.target.events).toEqual(['held', 'appeal']);
    expect(json.ok && json.target.heldEveryMinutes).toBe(15);
  });
});
