/*
 * "An appeal was opened" (issue 16, item 5), for whoever tells the desk: chat notifications (issue 16,
 * item 7: Slack, Teams, Mattermost) hang a function here. Called after the appeal's row committed,
 * once per new appeal (a second open of the same link calls nothing); best effort like every
 * follow-up (src/moderation/status-changes.ts): a failure is logged and never fails the reader's request.
 */

/** One new appeal, as a notification needs it. */
export interface AppealOpened {
  appealId: number;
  commentId: string;
  siteId: string;
  /** The reason of the decision appealed against (its label as the commenter read it). */
  reasonLabel: string;
  /** Where a moderator decides it: the desk's Appeals tab. */
  deskUrl: string;
  openedAt: string;
}

export type OnAppealOpened = (appeal: AppealOpened) => Promise<void>;
