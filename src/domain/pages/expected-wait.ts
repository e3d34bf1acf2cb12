/*
 * The queue's expected wait (issue 16, item 2): how long a comment held now waits, if the desk keeps
 * deciding at the pace of the last hour. Pure: the counts come in.
 */

/** The window the pace is measured over. */
export const DECISION_WINDOW_MINUTES = 60;

export interface ExpectedWait {
  /** Held comments waiting now. */
  backlog: number;
  /** Held comments a moderator decided per minute over the last hour. */
  perMinute: number;
  /** backlog ÷ perMinute, rounded up; null when nobody decided anything in the hour (no pace to go by). */
  minutes: number | null;
}

/** The held backlog ÷ the decisions per minute over the last hour. */
export function expectedWait(backlog: number, decisionsInWindow: number): ExpectedWait {
  const perMinute = decisionsInWindow / DECISION_WINDOW_MINUTES;
  return {
    backlog,
    perMinute,
    minutes: backlog === 0 ? 0 : perMinute === 0 ? null : Math.ceil(backlog / perMinute),
  };
}

/** "about 25 minutes", "about 3 hours": a wait as a moderator reads it. */
export function formatWait(minutes: number): string {
  if (minutes < 1) return 'none';
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 36 ? `about ${hours} hours` : `about ${Math.round(hours / 24)} days`;
}
