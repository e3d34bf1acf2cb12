/*
 * The reasons a moderator gives a commenter for a reject or spam decision (issue 16, item 5; the
 * DSA's statement of reasons). Each site keeps its own list (settings.decisionReasons); `rule` names
 * the house rule or law the reason rests on, and goes into the statement-of-reasons mail.
 */

/** One reason of a site's list. */
export interface DecisionReason {
  /** Stable id: lower case, digits and underscores (kept with each decision). */
  code: string;
  /** What the moderator picks and the commenter reads. */
  label: string;
  /** Which rule it rests on (a clause of the house rules, a law); '' for none. */
  rule: string;
}

/** Every site's list until its admin sets one. */
export const defaultDecisionReasons: DecisionReason[] = [
  {
    code: 'abusive',
    label: 'Abusive or hateful',
    rule: 'Community rules: no personal attacks, threats or hate speech.',
  },
  { code: 'off_topic', label: 'Off-topic', rule: 'Community rules: stay on the subject of the article.' },
  {
    code: 'spam',
    label: 'Spam or advertising',
    rule: 'Community rules: no advertising, repeated posts or link farming.',
  },
  {
    code: 'personal_data',
    label: 'Personal data',
    rule: "Community rules: do not publish other people's private details.",
  },
  {
    code: 'legal',
    label: 'Unlawful content',
    rule: 'The law: content that may not lawfully be published, such as defamation.',
  },
];

/** The actions that carry a reason. */
export const reasonedActions = ['reject', 'spam'] as const;
export type ReasonedAction = (typeof reasonedActions)[number];

export function isReasonedAction(action: string): action is ReasonedAction {
  return (reasonedActions as readonly string[]).includes(action);
}

/** The reason of `code` in a site's list, or null (not on the list, or none given). */
export function findDecisionReason(list: readonly DecisionReason[], code: string): DecisionReason | null {
  return code === '' ? null : (list.find((r) => r.code === code) ?? null);
}

/**
 * The reasons every one of these lists holds, by code, in the first list's order: what one bulk action
 * over several sites may carry (each comment's statement then uses its own site's label and rule).
 */
export function sharedDecisionReasons(lists: readonly (readonly DecisionReason[])[]): DecisionReason[] {
  const [first, ...rest] = lists;
  if (first === undefined) return [];
  return first.filter((r) => rest.every((list) => list.some((o) => o.code === r.code)));
}
