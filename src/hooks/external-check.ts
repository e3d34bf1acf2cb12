/**
 * What the site's external check hook said about one comment (src/hooks/call-check-hook.ts), as the
 * rules read it (CheckContext.externalCheck). `unavailable`: no usable answer (a timeout, a network
 * error, a non-2xx status, an answer that is not one of the four), with `reason` saying which.
 */
export interface ExternalCheck {
  result: 'approve' | 'hold' | 'spam' | 'reject' | 'unavailable';
  /**
   * The hook's reason, already made safe to show (one line, no control characters, at most
   * {@link MAX_REASON_LENGTH} characters); '' when it gave none. For `unavailable`: what went wrong.
   */
  reason: string;
  /** The hook's own score, when it sent a finite number; only shown to moderators. */
  score: number | null;
}

/** The longest reason kept from a hook's answer: it is shown to moderators and, for a refusal, to the reader. */
export const MAX_REASON_LENGTH = 300;
