/*
 * Who decides an appeal (issue 16, item 5; DSA art. 20: a complaint is not decided by automated means
 * alone, and here not by the person whose decision it is about). An admin is no exception: a second
 * pair of eyes is the point.
 */

/** Why this moderator may not decide the appeal of a decision made by `decidedBy`, or null when they may. */
export function whyNotAppealDecider(
  moderatorId: number,
  appeal: { status: string; decidedBy: number | null },
): 'SAME_MODERATOR' | 'APPEAL_DECIDED' | null {
  if (appeal.status !== 'open') return 'APPEAL_DECIDED';
  return appeal.decidedBy === moderatorId ? 'SAME_MODERATOR' : null;
}

export const appealOutcomes = ['reinstate', 'uphold'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];
export const isAppealOutcome = (v: string): v is AppealOutcome => (appealOutcomes as readonly string[]).includes(v);

/** How long the statement mail's appeal link works: six months, the DSA's least time to complain. */
export const APPEAL_LINK_DAYS = 183;
