/*
 * Desk notices in each chat service's own incoming-webhook format (issue 16, item 7). Pure: a notice in,
 * the JSON body that service's incoming webhook takes out.
 *
 * - Slack: `text` (the fallback shown in notifications) and `blocks`: a section in mrkdwn, fields for
 *   the counts, a button to the desk (https://api.slack.com/messaging/webhooks, Block Kit).
 * - Mattermost: `text` in Markdown (https://developers.mattermost.com/integrate/webhooks/incoming/).
 * - Microsoft Teams: an Adaptive Card in the incoming-webhook envelope (`type: "message"`, one
 *   attachment of content type application/vnd.microsoft.card.adaptive), which both the Workflows
 *   webhooks and the older connectors take.
 *
 * Titles and site names are escaped for each format, so a page title cannot turn into a link,
 * a mention (`<!channel>`) or markup in the channel.
 */

export const chatServices = ['slack', 'teams', 'mattermost'] as const;
export type ChatService = (typeof chatServices)[number];

/** One notice, as every format shows it. */
export interface ChatNotice {
  kind: 'held' | 'surge' | 'appeal';
  /** One line: what happened. */
  headline: string;
  site: { id: string; name: string };
  /** The story it is about, when it is about one. */
  story: { title: string; url: string | null } | null;
  /** Label and value pairs: the counts. */
  facts: [string, string][];
  /** Where a moderator acts on it (the desk). */
  link: string;
}

/** Slack's mrkdwn: only &, < and > are control characters (they make links and mentions). */
const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Markdown (Mattermost, Teams' TextBlock): backslash the characters that make emphasis, code, links and
 * HTML; and break `@` with a zero-width space, since Mattermost turns `@channel` or `@all` in a
 * webhook's post into a mention no backslash stops.
 */
const markdownEscape = (s: string): string => s.replace(/([\\`*_[\]<>~|])/g, '\\$1').replace(/@/g, '@\u200b');

/** A link target inside mrkdwn or Markdown: spaces, brackets and pipes (which would end it early) percent-encoded. */
const safeUrl = (u: string): string =>
  u.replace(/[\s|<>()[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Chat lines are short: long titles are cut, control characters dropped. */
const clean = (s: string, max = 200): string => {
  const t = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

function slackBody(n: ChatNotice): unknown {
  const story = n.story
    ? n.story.url
      ? `<${safeUrl(n.story.url)}|${slackEscape(clean(n.story.title))}>`
      : slackEscape(clean(n.story.title))
    : null;
  const summary = [`*${slackEscape(clean(n.headline))}*`, story, `Site: ${slackEscape(clean(n.site.name))}`]
    .filter(Boolean)
    .join('\n');
  return {
    text: `${clean(n.headline)} (${clean(n.site.name)})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: summary } },
      ...(n.facts.length > 0
        ? [
            {
              type: 'section',
              fields: n.facts.map(([k, v]) => ({ type: 'mrkdwn', text: `*${slackEscape(k)}*\n${slackEscape(v)}` })),
            },
          ]
        : []),
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the desk' }, url: n.link }],
      },
    ],
  };
}

function markdownLines(n: ChatNotice): string[] {
  const story = n.story
    ? n.story.url
      ? `[${markdownEscape(clean(n.story.title))}](${safeUrl(n.story.url)})`
      : markdownEscape(clean(n.story.title))
    : null;
  return [
    `**${markdownEscape(clean(n.headline))}**`,
    ...(story ? [story] : []),
    `Site: ${markdownEscape(clean(n.site.name))}`,
    ...n.facts.map(([k, v]) => `${markdownEscape(k)}: **${markdownEscape(v)}**`),
    `[Open the desk](${safeUrl(n.link)})`,
  ];
}

function mattermostBody(n: ChatNotice): unknown {
  return { text: markdownLines(n).join('\n'), username: 'Reply Desk' };
}

function teamsBody(n: ChatNotice): unknown {
  const story = n.story
    ? n.story.url
      ? `[${markdownEscape(clean(n.story.title))}](${safeUrl(n.story.url)})`
      : markdownEscape(clean(n.story.title))
    : null;
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: clean(n.headline), weight: 'Bolder', size: 'Medium', wrap: true },
            ...(story ? [{ type: 'TextBlock', text: story, wrap: true }] : []),
            {
              type: 'FactSet',
              facts: [['Site', clean(n.site.name)] as [string, string], ...n.facts].map(([title, value]) => ({
                title,
                value,
              })),
            },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open the desk', url: n.link }],
        },
      },
    ],
  };
}

/** The JSON body to POST to a target of `service`. */
export function toChatBody(service: ChatService, n: ChatNotice): string {
  const body = service === 'slack' ? slackBody(n) : service === 'teams' ? teamsBody(n) : mattermostBody(n);
  return JSON.stringify(body);
}
